"""`layso backup` and `layso restore` on SQLite, run as the technician runs them, beside a
real `layso server` that kiosks keep issuing tickets on."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest
import requests
from alembic.script import ScriptDirectory

from layso.server.storage.db import MIGRATIONS_DIR
from tests.support.live_server import LiveServer, write_test_config

HEAD = ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


class Kiosks:
    """Kiosks issuing tickets back to back; each acknowledged ticket with its time."""

    def __init__(self, server: LiveServer, count: int = 2) -> None:
        self.server = server
        self.acked: list[tuple[float, int, str]] = []  # (monotonic time of the answer, id, number)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        headers = server.headers(server.kiosk_token)
        services = requests.get(server.api + "/services", headers=headers, timeout=10).json()
        self.service_id = next(s["id"] for s in services if s["code"] == "TP")
        self.threads = [threading.Thread(target=self._issue, daemon=True) for _ in range(count)]

    def _issue(self) -> None:
        session = requests.Session()
        headers = self.server.headers(self.server.kiosk_token)
        while not self.stop.is_set():
            r = session.post(self.server.api + "/tickets", json={"service_id": self.service_id},
                             headers=headers, timeout=10)
            assert r.status_code == 201, r.text
            with self.lock:
                self.acked.append((time.monotonic(), r.json()["id"], r.json()["number"]))

    def __enter__(self) -> Kiosks:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(15)

    def wait_for(self, n: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acked) < n and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(self.acked) >= n, f"only {len(self.acked)} tickets in {timeout} s"

    def before(self, moment: float) -> set[int]:
        with self.lock:
            return {tid for at, tid, _ in self.acked if at < moment}


def issue(server: LiveServer, n: int) -> list[str]:
    headers = server.headers(server.kiosk_token)
    services = requests.get(server.api + "/services", headers=headers, timeout=10).json()
    tp = next(s["id"] for s in services if s["code"] == "TP")
    return [requests.post(server.api + "/tickets", json={"service_id": tp}, headers=headers,
                          timeout=10).json()["number"] for _ in range(n)]


def ticket_ids(path: Path) -> set[int]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM tickets")}


def waiting_numbers(server: LiveServer) -> list[str]:
    token = server.login("admin", "admin-pass-123")
    r = requests.get(server.api + "/tickets", headers=server.headers(token), timeout=10)
    r.raise_for_status()
    return sorted(t["number"] for t in r.json())


def file_names(server: LiveServer) -> list[str]:
    return sorted(p.name for p in server.data_dir.iterdir())


def files(folder: Path) -> dict[str, bytes]:
    """The data directory's files but the empty lock file a restore leaves (see
    server/running.py: it is never deleted, or two programs could each lock a copy)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and p.name != "layso.db.lock"}


def one_line_refusal(result) -> str:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("layso: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def test_backup_while_kiosks_issue_holds_every_ticket_acknowledged_before_it(live_server,
                                                                           tmp_path):
    out = tmp_path / "backups" / "layso-today.db"
    out.parent.mkdir()
    with Kiosks(live_server) as kiosks:
        kiosks.wait_for(40)
        began = time.monotonic()
        result = live_server.cli("backup", str(out))
        kiosks.wait_for(len(kiosks.acked) + 20)  # the server kept issuing after it
    assert result.returncode == 0, result.stderr
    acknowledged = kiosks.before(began)
    with sqlite3.connect(out) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    copied = ticket_ids(out)
    assert acknowledged <= copied, sorted(acknowledged - copied)[:10]
    assert len(acknowledged) >= 40
    assert copied < {tid for _, tid, _ in kiosks.acked}  # a moment's copy, not the end
    assert not list(out.parent.glob("*.partial"))


def test_restore_is_refused_while_the_server_runs_and_changes_nothing(live_server, tmp_path):
    issue(live_server, 3)
    backup = tmp_path / "b.db"
    assert live_server.cli("backup", str(backup)).returncode == 0
    issue(live_server, 2)
    names_before = file_names(live_server)
    database = live_server.data_dir / "layso.db"
    tickets_before = ticket_ids(database)

    line = one_line_refusal(live_server.cli("restore", str(backup)))

    assert file_names(live_server) == names_before
    assert f"layso server 127.0.0.1:{live_server.port}" in line
    assert f"pid {live_server.proc.pid}" in line
    assert "stop it first" in line
    assert ticket_ids(database) == tickets_before
    assert len(waiting_numbers(live_server)) == 5  # still serving, on its own data


def test_restore_after_stop_then_the_server_starts_on_the_restored_data(live_server, tmp_path):
    first = issue(live_server, 3)
    backup = tmp_path / "b.db"
    assert live_server.cli("backup", str(backup)).returncode == 0
    later = issue(live_server, 2)
    live_server.stop()

    result = live_server.cli("restore", str(backup))
    assert result.returncode == 0, result.stderr
    asides = list(live_server.data_dir.glob("layso.db.before-restore-*"))
    assert len(asides) == 1 and str(asides[0]) in result.stdout
    assert len(ticket_ids(asides[0])) == 5  # the replaced database, whole
    assert not list(live_server.data_dir.glob("layso.db.restoring*"))

    live_server.start()
    assert waiting_numbers(live_server) == sorted(first)
    assert issue(live_server, 1) == [later[0]]  # numbering goes on from the restored day


def test_restore_is_not_refused_after_a_power_cut(live_server, tmp_path):
    """The lock dies with the process: a killed server leaves nothing stale behind."""
    backup = tmp_path / "b.db"
    assert live_server.cli("backup", str(backup)).returncode == 0
    live_server.kill()
    result = live_server.cli("restore", str(backup))
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """A stopped installation (config, data directory with a real database) and its backup."""
    folder = tmp_path_factory.mktemp("installed")
    server = LiveServer(write_test_config(folder / "layso.toml"), folder / "data")
    server.data_dir.mkdir()
    server.add_user("admin", "admin", "admin-pass-123")
    assert server.cli("backup", str(folder / "good.db")).returncode == 0
    return server.config, server.data_dir


@pytest.fixture
def stopped(installed, tmp_path) -> LiveServer:
    config, data = installed
    shutil.copytree(data, tmp_path / "data")
    return LiveServer(config, tmp_path / "data")


def _garbage(tmp_path: Path, good: Path) -> dict[str, Path]:
    random_bytes = tmp_path / "random.db"
    random_bytes.write_bytes(bytes(range(256)) * 64)
    text = tmp_path / "notes.txt"
    text.write_text("sao lưu ngày 1/7\n", encoding="utf-8")
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    other = tmp_path / "other-app.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    damaged = tmp_path / "damaged.db"
    data = bytearray(good.read_bytes())
    page = 4096
    for n in range(2, len(data) // page):  # every page after the first two scrambled
        data[n * page + 100:(n + 1) * page - 100] = bytes(range(256)) * 15 + bytes(136)
    damaged.write_bytes(bytes(data))
    newer = tmp_path / "newer.db"
    newer.write_bytes(good.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    return {"random": random_bytes, "text": text, "empty": empty, "other": other,
            "damaged": damaged, "newer": newer, "missing": tmp_path / "not-there.db",
            "folder": tmp_path}


EXPECTED = {"random": "not a LaySo backup", "text": "not a LaySo backup",
            "empty": "not a LaySo backup", "other": "not a LaySo backup",
            "damaged": "damaged", "newer": "newer LaySo (schema 9999)",
            "missing": "backup file not found", "folder": "this is a directory"}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_a_file_that_is_not_a_good_backup_is_refused_and_nothing_changes(installed, stopped,
                                                                         tmp_path, kind):
    (tmp_path / "bad").mkdir()
    bad = _garbage(tmp_path / "bad", installed[1].parent / "good.db")
    before = files(stopped.data_dir)

    line = one_line_refusal(stopped.cli("restore", str(bad[kind])))

    assert EXPECTED[kind] in line
    assert str(bad[kind]) in line
    assert files(stopped.data_dir) == before


def test_an_older_backup_is_migrated_to_the_current_schema(stopped, tmp_path):
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    old = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{old}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0002")
        conn.commit()
    engine.dispose()

    result = stopped.cli("restore", str(old))
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(stopped.data_dir / "layso.db") as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == HEAD
    stopped.start()  # the server seeds the office into the restored (empty) schema
    assert requests.get(stopped.api + "/health", timeout=5).status_code == 200
