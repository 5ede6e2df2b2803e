"""The database connection: SQLite (WAL) by default, PostgreSQL by URL.

Writes go through `Database.write()`: one transaction at a time per server process,
`BEGIN IMMEDIATE` on SQLite. Serialising writes keeps event ids in commit order (a
client reading "events after id N" never misses one committed late).

Transactions run in pool threads, never on the gevent loop (see server/workers.py),
and no request waits for the database longer than `wait_s`: our own write lock,
SQLite's busy wait (another process holding the write lock), a free pooled connection
and PostgreSQL's lock waits share that bound; past it, `DatabaseBusy` (503).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from time import monotonic

from sqlalchemy import create_engine, event, exc, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from layso.server.workers import native_rlock

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
WAIT_S = 3.0          # below the kiosk's 5 s timeout, so it hears "busy", not silence
_SQLITE_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
_PG_BUSY = ("55P03", "57014")  # lock_not_available, query_canceled (lock_timeout)


class DatabaseBusy(Exception):
    """The database stayed locked or out of connections for longer than the wait bound."""


def is_busy(error: BaseException) -> bool:
    """Whether a driver error means "locked / no connection free", not "broken"."""
    if isinstance(error, exc.TimeoutError):  # no pooled connection came free
        return True
    orig = getattr(error, "orig", None)
    if isinstance(orig, sqlite3.OperationalError):
        return (getattr(orig, "sqlite_errorcode", 0) & 0xFF) in _SQLITE_BUSY \
            or "locked" in str(orig)
    return getattr(orig, "sqlstate", None) in _PG_BUSY


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("layso", appauthor=False))


def data_dir_path(explicit: str | os.PathLike | None) -> Path:
    """--data-dir, else $LAYSO_DATA_DIR, else the platform's user data directory."""
    if explicit:
        return Path(explicit)
    if os.environ.get("LAYSO_DATA_DIR"):
        return Path(os.environ["LAYSO_DATA_DIR"])
    return default_data_dir()


def database_url(config_url: str | None, data_dir: Path) -> str:
    """$LAYSO_DATABASE_URL, else the config's database_url, else SQLite in the data dir."""
    url = os.environ.get("LAYSO_DATABASE_URL") or config_url
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'layso.db'}"


class Database:
    def __init__(self, url: str, wait_s: float = WAIT_S):
        self.url = url
        self.wait_s = wait_s
        self.is_sqlite = url.startswith("sqlite")
        self._write_lock = native_rlock()  # taken in pool threads: a real lock
        self._write_deadline = 0.0         # of the write holding the lock
        # While serving, this says "you are on the event loop": refuse, it would stall.
        self.forbidden_here: Callable[[], bool] = lambda: False
        if self.is_sqlite:
            self.write_engine = self._sqlite_engine(url, immediate=True)
            self.read_engine = self._sqlite_engine(url, immediate=False)
        else:
            self.write_engine = create_engine(
                url, pool_size=10, max_overflow=20, pool_pre_ping=True, pool_timeout=wait_s,
                connect_args={"options": f"-c lock_timeout={int(wait_s * 1000)}"})
            self.read_engine = self.write_engine
        self.write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    def _sqlite_engine(self, url: str, immediate: bool) -> Engine:
        engine = create_engine(url, connect_args={"check_same_thread": False,
                                                  "timeout": self.wait_s},
                               pool_size=1 if immediate else 8,
                               max_overflow=0 if immediate else 16, pool_timeout=self.wait_s)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            # Let SQLAlchemy's "begin" hook below issue BEGIN itself.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={int(self.wait_s * 1000)}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            if immediate:
                # What is left of this write's bound after waiting for our own lock.
                left_ms = max(1, int((self._write_deadline - monotonic()) * 1000))
                conn.connection.driver_connection.execute(f"PRAGMA busy_timeout={left_ms}")
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.exec_driver_sql("BEGIN")

        return engine

    def _refuse_on_loop(self) -> None:
        if self.forbidden_here():
            raise RuntimeError("database call on the event loop; run it via Workers.run()")

    def _take_write_lock(self) -> None:
        started = monotonic()
        if not self._write_lock.acquire(timeout=self.wait_s):
            raise DatabaseBusy("waited for the write lock")
        self._write_deadline = started + self.wait_s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction; `after_commit` callbacks run once it is durable."""
        self._refuse_on_loop()
        self._take_write_lock()
        try:
            session = self.write_sessions()
            callbacks: list[Callable[[], None]] = []
            session.info["after_commit"] = callbacks
            try:
                with session.begin():
                    yield session
            except (exc.OperationalError, exc.TimeoutError) as e:
                if is_busy(e):
                    raise DatabaseBusy(str(e.orig if hasattr(e, "orig") else e)) from e
                raise
            finally:
                session.close()
            for callback in callbacks:
                callback()
        finally:
            self._write_lock.release()

    @contextmanager
    def read(self) -> Iterator[Session]:
        self._refuse_on_loop()
        session = self._read_sessions()
        try:
            with session.begin():
                yield session
        except (exc.OperationalError, exc.TimeoutError) as e:
            if is_busy(e):
                raise DatabaseBusy(str(e.orig if hasattr(e, "orig") else e)) from e
            raise
        finally:
            session.close()

    def ping(self) -> bool:
        self._refuse_on_loop()
        with self.read_engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def migrate(self) -> None:
        """Bring the schema up to the newest Alembic revision."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        self._take_write_lock()
        try:
            with self.write_engine.connect() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                conn.commit()
        finally:
            self._write_lock.release()

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once this write transaction has committed (e.g. publish events)."""
    session.info["after_commit"].append(callback)
