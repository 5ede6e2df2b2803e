"""`layso server` says where it listens: its own INFO lines are not swallowed by a library
that configured logging on import (python-escpos calls logging.basicConfig())."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.support.live_server import LiveServer


def test_layso_server_prints_the_address_it_serves_on(tmp_path, test_config):
    server = LiveServer(test_config, tmp_path / "data")
    server.start()
    try:
        log = server.log_path.read_text(encoding="utf-8")
    finally:
        server.stop()
    serving = [line for line in log.splitlines() if "(serving)" in line]
    assert len(serving) == 1, log
    assert f"LaySo đang chạy tại http://127.0.0.1:{server.port} (serving)" in serving[0]
    assert " INFO " in serving[0]
    assert "setup plugin" not in log  # alembic's chatter stays out of the technician's way


@pytest.fixture
def fresh_pg_url():
    base = os.environ.get("LAYSO_TEST_PG_URL")
    if not base:
        pytest.skip("no PostgreSQL here (set LAYSO_TEST_PG_URL; tools/start-test-postgres.sh)")
    import psycopg

    name = "layso_s_" + uuid.uuid4().hex[:10]
    admin_url = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.postgres
def test_a_good_start_on_postgresql_with_the_connect_timeout_added(tmp_path, test_config,
                                                                   fresh_pg_url):
    server = LiveServer(test_config, tmp_path / "data", database_url=fresh_pg_url)
    server.start()
    try:
        server.add_user("admin", "admin", "admin-pass-123")
        assert server.login("admin", "admin-pass-123")
    finally:
        server.stop()
    assert "(serving)" in server.log_path.read_text(encoding="utf-8")
