#!/usr/bin/env bash
# Starts Debian's PostgreSQL on 127.0.0.1 and makes the test role and database.
# Prints the URL for LAYSO_TEST_PG_URL. Used by .ci/run; safe to run again.
set -euo pipefail
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$ver main$"; then
  pg_createcluster "$ver" main >/dev/null
fi
pg_ctlcluster "$ver" main start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  pg_isready -h 127.0.0.1 -q && break
  sleep 0.5
done
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='layso'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE layso LOGIN CREATEDB PASSWORD 'layso-test'\""
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='layso_test'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE DATABASE layso_test OWNER layso\""
echo "postgresql+psycopg://layso:layso-test@127.0.0.1:5432/layso_test"
