#!/usr/bin/env bash
# Runs LaySo's whole test suite on a Debian machine with Python 3.11:
# installs what the tests need (Debian and pip packages), starts PostgreSQL on
# 127.0.0.1 for the PostgreSQL tests, then runs pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh --test
LAYSO_TEST_PG_URL=$(bash tools/start-test-postgres.sh)
export LAYSO_TEST_PG_URL
exec .venv/bin/python -m pytest "$@"
