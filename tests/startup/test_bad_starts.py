"""Every bad start gets one line naming the file or address and what to do — never a
traceback, never a half-started server — run as the technician runs it: `layso ...`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.live_server import REPO

LAYSO = [sys.executable, "-m", "layso.cli"]


def layso(*argv: str, env: dict | None = None, stdin: str = "",
          wrapper: list[str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("LAYSO_CONFIG", "LAYSO_DATABASE_URL", "LAYSO_DATA_DIR")}
    return subprocess.run([*(wrapper or []), *LAYSO, *argv], input=stdin, capture_output=True,
                          text=True, timeout=timeout, check=False, cwd=REPO,
                          env={**clean, **(env or {})})


def files_in(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# Read-only for root too: root ignores permission bits, but not the immutable attribute.

def can_make_immutable(tmp_path: Path) -> bool:
    probe = tmp_path / "immutable-probe"
    probe.write_text("x")
    ok = subprocess.run(["chattr", "+i", str(probe)], capture_output=True,
                        check=False).returncode == 0 if shutil.which("chattr") else False
    if ok:
        subprocess.run(["chattr", "-i", str(probe)], check=True)
    probe.unlink()
    return ok


@contextmanager
def read_only(path: Path, tmp_path: Path) -> Iterator[None]:
    """Nobody may write `path` (a file, or a folder's entries)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if not can_make_immutable(tmp_path):
        pytest.skip("running as root on a file system without chattr +i: a read-only "
                    "path cannot be made here")
    subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture(scope="module")
def good_database(tmp_path_factory) -> bytes:
    """The bytes of a real LaySo database (migrated, seeded, one user)."""
    folder = tmp_path_factory.mktemp("good")
    r = layso("user", "add", "admin", "--role", "admin", "--data-dir", str(folder),
              stdin="a-long-password\n")
    assert r.returncode == 0, r.stderr
    return (folder / "layso.db").read_bytes()


@dataclass
class Start:
    """One bad start: the command, and what the single line must name."""

    argv: list[str]
    names: list[str]  # the file or address, and the problem (English half of the line)
    env: dict = field(default_factory=dict)
    stdin: str = ""
    watch: Path | None = None  # a folder that must be exactly as it was afterwards
    within_s: float = 20.0
    absent: list[str] = field(default_factory=list)  # what must never be printed
    wrapper: list[str] | None = None


@contextmanager
def holding_write_lock(db: Path) -> Iterator[None]:
    """Another program in the middle of a write transaction on the database."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
         "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait(5)


@contextmanager
def listening() -> Iterator[int]:
    """A port that is taken: something listens and never says a word."""
    server = socket.create_server(("127.0.0.1", 0))
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def server_args(data_dir: Path, *extra: str) -> list[str]:
    return ["server", "--host", "127.0.0.1", "--port", "0", "--data-dir", str(data_dir), *extra]


CASES: dict[str, Callable] = {}


def case(name: str) -> Callable:
    """Register a bad start: a generator that sets the scene, yields the Start, cleans up."""
    def add(maker: Callable) -> Callable:
        CASES[name] = contextmanager(maker)
        return maker
    return add


@case("read-only data directory")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "data"
    data.mkdir()
    with read_only(data, tmp):
        yield Start(server_args(data), [str(data), "data directory is not writable"], watch=data)


@case("read-only database file")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "data"
    data.mkdir()
    (data / "layso.db").write_bytes(good)
    with read_only(data / "layso.db", tmp):
        yield Start(server_args(data), [str(data / "layso.db"), "database file is read-only"],
                    watch=data)


@case("data directory's parent not writable")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    parent = tmp / "srv"
    parent.mkdir()
    with read_only(parent, tmp):
        yield Start(server_args(parent / "layso" / "data"),
                    [str(parent / "layso" / "data"), f"{parent} is not writable"], watch=parent)


@case("read-only file system (bind mount)")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "data"
    data.mkdir()
    (data / "layso.db").write_bytes(good)
    wrapper = ["unshare", "--mount", "sh", "-c",
               f"mount --bind -o ro '{data}' '{data}' && exec \"$@\"", "sh"]
    if os.geteuid() != 0 or not shutil.which("unshare") or subprocess.run(
            [*wrapper, "true"], capture_output=True, check=False).returncode != 0:
        pytest.skip("needs root and mount namespaces (unshare --mount) for a read-only mount")
    yield Start(server_args(data), [str(data), "data directory is not writable"],
                watch=data, wrapper=wrapper)


@case("random bytes as the database")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "data"
    data.mkdir()
    (data / "layso.db").write_bytes(os.urandom(8192))
    yield Start(server_args(data), [str(data / "layso.db"), "not an SQLite database"],
                watch=data)


@case("a text file as the database")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "data"
    data.mkdir()
    (data / "layso.db").write_text("Danh sách cán bộ\nNguyễn Văn A\n", encoding="utf-8")
    yield Start(server_args(data), [str(data / "layso.db"), "not an SQLite database"],
                watch=data)


@case("a truncated database")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "data"
    data.mkdir()
    (data / "layso.db").write_bytes(good[:len(good) // 2])
    yield Start(server_args(data), [str(data / "layso.db"), "a damaged one"], watch=data)


@case("the data directory is a file")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "data"
    data.write_text("not a folder")
    yield Start(server_args(data), [str(data), "this is a file, not a directory"], watch=tmp)


@case("the database locked by another program")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "data"
    data.mkdir()
    (data / "layso.db").write_bytes(good)
    with holding_write_lock(data / "layso.db"):
        yield Start(server_args(data), [str(data / "layso.db"), "locked by another program"],
                    within_s=10)


@case("the port in use")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    with listening() as port:
        yield Start(["server", "--host", "127.0.0.1", "--port", str(port),
                     "--data-dir", str(tmp / "data")],
                    [f"127.0.0.1:{port}", "Address already in use"], watch=tmp)


@case("layso user add on a corrupt database")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "data"
    data.mkdir()
    (data / "layso.db").write_bytes(os.urandom(4096))
    yield Start(["user", "add", "canbo1", "--role", "clerk", "--data-dir", str(data)],
                [str(data / "layso.db"), "not an SQLite database"], stdin="a-long-password\n",
                watch=data)


@case("layso demo on a corrupt database")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    data = tmp / "demo"
    data.mkdir()
    (data / "layso.db").write_text("SQLite format 2\n", encoding="utf-8")
    yield Start(["demo", "--no-gui", "--port", "0", "--data-dir", str(data)],
                [str(data / "layso.db"), "not an SQLite database"], watch=data)


@case("a mysql:// URL")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    yield Start(server_args(tmp / "data"),
                ["mysql://layso:***@127.0.0.1/layso", "uses only SQLite or PostgreSQL"],
                env={"LAYSO_DATABASE_URL": "mysql://layso:s3cret-pw@127.0.0.1/layso"},
                watch=tmp, absent=["s3cret-pw"])


@case("PostgreSQL refusing connections")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    with listening() as port:
        pass  # closed again: nobody listens there now
    yield Start(server_args(tmp / "data"),
                [f"127.0.0.1:{port}/layso", "cannot connect to PostgreSQL"],
                env={"LAYSO_DATABASE_URL": f"postgresql://layso:s3cret-pw@127.0.0.1:{port}/layso"},
                watch=tmp, absent=["s3cret-pw"])


@case("PostgreSQL that never answers")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    with listening() as port:
        yield Start(server_args(tmp / "data"),
                    [f"127.0.0.1:{port}/layso", "cannot connect to PostgreSQL", "timeout"],
                    env={"LAYSO_DATABASE_URL":
                         f"postgresql+psycopg://layso:s3cret-pw@127.0.0.1:{port}/layso"},
                    watch=tmp, within_s=15, absent=["s3cret-pw"])


@case("the config path is a directory")
def _(tmp: Path, good: bytes) -> Iterator[Start]:
    folder = tmp / "layso.toml"
    folder.mkdir()
    yield Start(server_args(tmp / "data", "--config", str(folder)),
                [str(folder), "directory, not a config file"], watch=tmp)


@pytest.mark.parametrize("name", list(CASES))
def test_a_bad_start_is_one_line_naming_what_and_what_to_do(name, tmp_path, good_database):
    work = tmp_path / "case"
    work.mkdir()
    with CASES[name](work, good_database) as start:
        before = files_in(start.watch) if start.watch else None
        listing = sorted(p.name for p in start.watch.iterdir()) if start.watch else None
        started = time.monotonic()
        r = layso(*start.argv, env=start.env, stdin=start.stdin, wrapper=start.wrapper)
        elapsed = time.monotonic() - started
        if start.watch:  # nothing half-started: no file made, changed or removed
            assert files_in(start.watch) == before
            assert sorted(p.name for p in start.watch.iterdir()) == listing
    assert r.returncode != 0, r.stdout
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    line = lines[0]
    assert line.startswith("layso: ")
    for expected in start.names:
        assert expected in line, line
    for secret in start.absent:
        assert secret not in line
    assert elapsed < start.within_s, f"took {elapsed:.1f} s"
