"""`layso backup` / `layso restore` on PostgreSQL: pg_dump -Fc beside a running server,
pg_restore into a fresh database, and the one line when the tools are missing or old."""

from __future__ import annotations

import os
import stat
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.backup.test_sqlite_backup import issue, one_line_refusal, waiting_numbers
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.postgres


@pytest.fixture
def new_database() -> Iterator[Callable[[], str]]:
    """Makes fresh databases on the suite's PostgreSQL (the role has CREATEDB); all dropped."""
    base = os.environ.get("LAYSO_TEST_PG_URL")
    if not base:
        pytest.skip("no PostgreSQL here (set LAYSO_TEST_PG_URL; tools/start-test-postgres.sh)")
    import psycopg

    admin = base.replace("postgresql+psycopg://", "postgresql://")
    made: list[str] = []

    def make() -> str:
        name = "layso_b_" + uuid.uuid4().hex[:10]
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return base.rsplit("/", 1)[0] + "/" + name

    yield make
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in made:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def password_of(url: str) -> str:
    password = make_url(url).password
    assert password
    return password


def test_backup_beside_the_server_then_restore_into_a_fresh_database(tmp_path, test_config,
                                                                     new_database):
    first_url = new_database()
    server = LiveServer(test_config, tmp_path / "one", database_url=first_url).start()
    try:
        server.add_user("admin", "admin", "admin-pass-123")
        before = issue(server, 3)
        dump = tmp_path / "layso-today.dump"
        made = server.cli("backup", str(dump))
        assert made.returncode == 0, made.stderr
        later = issue(server, 2)
        refused = one_line_refusal(server.cli("restore", str(dump)))
        assert "other sessions are connected" in refused
        assert sorted(waiting_numbers(server)) == sorted(before + later)  # nothing changed
    finally:
        server.stop()
    assert dump.read_bytes().startswith(b"PGDMP")
    assert password_of(first_url) not in made.stdout + made.stderr + refused

    second = LiveServer(test_config, tmp_path / "two", database_url=new_database())
    restored = second.cli("restore", str(dump))
    assert restored.returncode == 0, restored.stderr
    kept = list((tmp_path / "two").glob("layso_b_*.before-restore-*.dump"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"PGDMP")
    second.start()
    try:
        assert waiting_numbers(second) == sorted(before)
        assert issue(second, 1) == [later[0]]  # numbering goes on from the restored day
    finally:
        second.stop()


def fake_tool(folder: Path, name: str, version: str) -> Path:
    """A PostgreSQL tool of another version: only what `--version` prints."""
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\nexit 1\n")
    tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return tool


def test_a_missing_or_old_pg_dump_is_one_line_naming_the_package(tmp_path, test_config,
                                                               new_database):
    url = new_database()
    empty = tmp_path / "no-tools"
    empty.mkdir()
    old = tmp_path / "old-tools"
    fake_tool(old, "pg_dump", "9.6.24")
    out = tmp_path / "b.dump"
    for folder, expected in ((empty, "pg_dump not found: install postgresql-client-"),
                             (old, "pg_dump 9 is older than the PostgreSQL")):
        server = LiveServer(test_config, tmp_path / "data", database_url=url,
                            env={"LAYSO_PG_BIN": str(folder)})
        line = one_line_refusal(server.cli("backup", str(out)))
        assert expected in line
        assert password_of(url) not in line
        assert not out.exists() and not list(tmp_path.glob("*.partial"))


def test_an_sqlite_backup_is_not_restored_into_postgresql(tmp_path, test_config, new_database):
    sqlite_backup = tmp_path / "b.db"
    sqlite_backup.write_bytes(b"SQLite format 3\x00" + bytes(4080))
    server = LiveServer(test_config, tmp_path / "data", database_url=new_database())
    line = one_line_refusal(server.cli("restore", str(sqlite_backup)))
    assert "this is an SQLite backup but the configured database is PostgreSQL" in line
