"""The database connection: SQLite (WAL) by default, PostgreSQL by URL.

Writes go through `Database.write()`: one transaction at a time per server process,
`BEGIN IMMEDIATE` on SQLite. Serialising writes keeps event ids in commit order (a
client reading "events after id N" never misses one committed late) and lets a
gevent server share one SQLite file without lock waits that would stall every greenlet.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


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
    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self._write_lock = threading.RLock()
        self._after_commit: list[Callable[[], None]] = []
        if self.is_sqlite:
            self.write_engine = self._sqlite_engine(url, immediate=True)
            self.read_engine = self._sqlite_engine(url, immediate=False)
        else:
            self.write_engine = create_engine(url, pool_size=10, max_overflow=20,
                                              pool_pre_ping=True)
            self.read_engine = self.write_engine
        self._write_sessions = sessionmaker(self.write_engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(self.read_engine, expire_on_commit=False)

    @staticmethod
    def _sqlite_engine(url: str, immediate: bool) -> Engine:
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30},
                               pool_size=1 if immediate else 8, max_overflow=0 if immediate else 8)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):
            # Let SQLAlchemy's "begin" hook below issue BEGIN itself.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction; `after_commit` callbacks run once it is durable."""
        with self._write_lock:
            session = self._write_sessions()
            callbacks: list[Callable[[], None]] = []
            session.info["after_commit"] = callbacks
            try:
                with session.begin():
                    yield session
            finally:
                session.close()
            for callback in callbacks:
                callback()

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._read_sessions()
        try:
            with session.begin():
                yield session
        finally:
            session.close()

    def ping(self) -> bool:
        with self.read_engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    def migrate(self) -> None:
        """Bring the schema up to the newest Alembic revision."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with self._write_lock, self.write_engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()

    def dispose(self) -> None:
        self.write_engine.dispose()
        if self.read_engine is not self.write_engine:
            self.read_engine.dispose()


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run `callback` once this write transaction has committed (e.g. publish events)."""
    session.info["after_commit"].append(callback)
