"""Start-up checks: a bad start ends with one line naming the file or address and what to do.

The server-side commands run every start-up step inside `step(kind, where)`. Whatever
the standard library, SQLite, SQLAlchemy or psycopg raises there is turned into that one
line here, once (`explain`); `one_line` prints it and sets the exit code. The checks run
before anything is written: the port before the database, the database before migrations.
"""

from __future__ import annotations

import argparse
import errno
import functools
import os
import socket
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from layso.server.config import ConfigError
from layso.server.running import DatabaseOwner, Held
from layso.server.startup_texts import KINDS, MESSAGES

LOCK_WAIT_S = 3.0  # another program's write lock: wait this long at start, not 30 s
PG_CONNECT_TIMEOUT_S = 5  # libpq's connect_timeout, added to PostgreSQL URLs without one
SUPPORTED_BACKENDS = ("sqlite", "postgresql")

NO_ACCESS = (errno.EACCES, errno.EPERM, errno.EROFS)


class StartupError(Exception):
    """Start-up cannot go on. `str(e)` is the one line to show: where, what, what to do."""

    def __init__(self, kind: str, where: str, problem: str, detail: str = "",
                 **params: object) -> None:
        self.kind, self.where, self.problem, self.detail = kind, where, problem, detail
        what_vi, what_en, option = KINDS[kind]
        values = {"what": what_vi, "what_en": what_en, "option": option, **params}
        vi, en = MESSAGES[problem]
        text = f"{where}: {vi.format(**values)} ({en.format(**values)})"
        if detail:  # what the driver or the system said, once, after both languages
            text += f": {detail}"
        super().__init__(" ".join(text.split()))  # one line, whatever a driver said


@contextmanager
def step(kind: str, where: str | os.PathLike) -> Iterator[None]:
    """Run one start-up step; a failure we understand becomes a StartupError about `where`."""
    try:
        yield
    except (StartupError, ConfigError):
        raise
    except Exception as exc:
        problem = explain(exc, kind, str(where))
        if problem is None:
            raise
        raise problem from exc


def explain(exc: BaseException, kind: str, where: str) -> StartupError | None:
    """The one translation of start-up failures; None for what is not a start-up problem."""
    from sqlalchemy import exc as sa

    if isinstance(exc, sa.DBAPIError) and exc.orig is not None:
        return explain(exc.orig, kind, where)
    if isinstance(exc, sa.NoSuchModuleError | sa.ArgumentError) or (
            isinstance(exc, ModuleNotFoundError) and kind == "database"):
        return StartupError("database", where, "database_unsupported")
    if isinstance(exc, sqlite3.Error):
        return _sqlite_problem(exc, where)
    psycopg = sys.modules.get("psycopg")  # only loaded when a PostgreSQL URL was used
    if psycopg is not None and isinstance(exc, psycopg.OperationalError):
        return StartupError("database", where, "database_unreachable", _first_line(exc))
    if psycopg is not None and isinstance(exc, psycopg.Error):
        return StartupError("database", where, "database_failed", _first_line(exc))
    if isinstance(exc, OSError):
        return _os_problem(exc, kind, where)
    if exc.__cause__ is not None:  # our own wrapper (e.g. "database busy") around a driver's
        return explain(exc.__cause__, kind, where)
    return None


# SQLite's primary result codes (the low byte of an extended code) -> our problem.
SQLITE_PROBLEMS = {sqlite3.SQLITE_BUSY: "database_locked", sqlite3.SQLITE_LOCKED: "database_locked",
                   sqlite3.SQLITE_NOTADB: "database_corrupt",
                   sqlite3.SQLITE_CORRUPT: "database_corrupt",
                   sqlite3.SQLITE_READONLY: "database_read_only",
                   sqlite3.SQLITE_CANTOPEN: "database_unopenable",
                   sqlite3.SQLITE_FULL: "disk_full"}


def _sqlite_problem(exc: sqlite3.Error, where: str) -> StartupError:
    code = getattr(exc, "sqlite_errorcode", None)
    problem = SQLITE_PROBLEMS.get(code & 0xFF) if code is not None else None
    if problem is None:
        return StartupError("database", where, "database_failed", str(exc))
    return StartupError("database", where, problem)


def _os_problem(exc: OSError, kind: str, where: str) -> StartupError:
    code = exc.errno
    if kind == "address":
        problem = {errno.EADDRINUSE: "address_in_use", errno.EADDRNOTAVAIL: "address_not_here",
                   errno.EACCES: "port_privileged"}.get(code or 0)
        if problem:
            return StartupError(kind, where, problem)
    if isinstance(exc, socket.gaierror):
        return StartupError(kind, where, "address_not_here")
    # A data directory is named as asked for, not by the folder mkdir happened to stop at.
    path = where if kind == "data_dir" or not exc.filename else str(exc.filename)
    if code in NO_ACCESS:
        if kind == "config":
            return StartupError(kind, path, "not_readable")
        if not os.path.exists(path):
            return StartupError(kind, path, "parent_not_writable",
                                parent=_nearest_existing(Path(path)))
        return StartupError(kind, path, "not_writable")
    if code in (errno.EEXIST, errno.ENOTDIR) and kind == "data_dir":
        return StartupError(kind, _first_file(Path(path)), "not_a_directory")
    problem = {errno.EISDIR: "is_a_directory", errno.ENOENT: "not_found",
               errno.ENOSPC: "disk_full"}.get(code or 0)
    if problem:
        return StartupError(kind, path, problem)
    return StartupError(kind, path, "os_error", exc.strerror or str(exc))


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _nearest_existing(path: Path) -> Path:
    return next((parent for parent in path.parents if parent.exists()), Path(path.anchor))


def _first_file(path: Path) -> Path:
    """The file that stands where a directory should be (the path itself or a parent)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate if not candidate.is_dir() else path
    return path


# The checks, in the order `layso server` runs them.

def check_address(host: str, port: int) -> None:
    """Bind and release the listening address, so a taken port stops us before the database
    is touched. SO_REUSEADDR as the server sets it: a port in TIME_WAIT is not "taken"."""
    with step("address", f"{host}:{port}"):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))


def database_url(config_url: str | None, data_dir: str | None) -> str:
    """The database `layso` would open (storage.db decides which), checked: a supported URL,
    a writable data directory, an SQLite file that is one, unlocked and whole."""
    url = resolve_database_url(config_url, data_dir)
    path = sqlite_path(url)
    if path is not None:
        check_sqlite_file(path)
    return url


def resolve_database_url(config_url: str | None, data_dir: str | None) -> str:
    """The database `layso` would open, a supported URL, without looking inside the SQLite
    file (`layso restore` replaces one that may be damaged)."""
    from sqlalchemy.engine import make_url

    from layso.server.storage import db

    folder = db.data_dir_path(data_dir)
    with step("data_dir", folder):
        url = db.database_url(config_url, folder)
    shown = describe(url)
    with step("database", shown):
        parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise StartupError("database", shown, "database_unsupported")
    if backend == "postgresql":
        if "connect_timeout" not in parsed.query:
            parsed = parsed.update_query_dict({"connect_timeout": str(PG_CONNECT_TIMEOUT_S)})
        return parsed.render_as_string(hide_password=False)
    return url


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL; None for PostgreSQL or an in-memory database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def own_database(url: str, what: str) -> DatabaseOwner | None:
    """Make this process the one that owns an SQLite database (see server/running.py);
    refused with one line while another `layso server` or `layso restore` owns it.
    PostgreSQL is shared by design: None."""
    path = sqlite_path(url)
    if path is None:
        return None
    with step("database", path):
        try:
            return DatabaseOwner.take(path, what)
        except Held as held:
            raise StartupError("database", str(path), "server_running",
                               holder=held.holder) from None


def describe(url: str) -> str:
    """How a database is named in a message: the SQLite file, or the URL without password."""
    from sqlalchemy.engine import make_url

    try:
        parsed = make_url(url)
    except Exception:  # not even a URL (ArgumentError): never show what may be a password
        return url.rpartition("@")[2]
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return parsed.database
    return parsed.render_as_string(hide_password=True)


def check_writable_directory(folder: Path) -> None:
    """SQLite writes its -wal and -shm files beside the database: the folder must take files."""
    with step("data_dir", folder):
        if not folder.exists():
            raise FileNotFoundError(errno.ENOENT, "no such directory", str(folder))
        if not folder.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a directory", str(folder))
        fd, probe = tempfile.mkstemp(prefix=".layso-write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)


def check_sqlite_file(path: Path) -> None:
    check_writable_directory(path.parent)
    if not path.exists():
        return  # a new database: migrations create it
    with step("database", path):
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(path))
        for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            if part.exists():
                try:
                    os.close(os.open(part, os.O_RDWR))
                except OSError as exc:
                    if exc.errno in NO_ACCESS:
                        raise StartupError("database", str(part), "database_read_only") from exc
                    raise
        connection = sqlite3.connect(path, timeout=LOCK_WAIT_S, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")  # the write lock: free within LOCK_WAIT_S?
            connection.execute("ROLLBACK")
            verdict = connection.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            connection.close()
        if not verdict or verdict[0] != "ok":
            raise StartupError("database", str(path), "database_corrupt")


def one_line(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A server-side command whose start-up problems end as one line on stderr, never a
    traceback: exit code 2 for a bad config file (the user's text), 1 for the machine."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except ConfigError as error:
            return fail(str(error), 2)
        except StartupError as error:
            return fail(str(error), 1)

    return run


def fail(text: str, code: int = 2) -> int:
    print(f"layso: {text}", file=sys.stderr)
    return code
