"""`layso backup FILE` and `layso restore FILE`.

SQLite: the backup is SQLite's online backup API copying one moment of the database while
the server goes on writing (WAL), into one self-contained file. A restore owns the
database the way `layso server` does (server/running.py), so it is refused while a server
runs on it; it checks the file (integrity, a LaySo schema this version knows), migrates a
copy to the current schema, keeps the replaced database aside as
`layso.db.before-restore-<time>` and only then puts the copy in its place.

PostgreSQL: pg_dump and pg_restore (server/backup_pg.py).

Every failure is a StartupError: the one line `layso` prints, and nothing is changed.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from layso.server.startup import (
    LOCK_WAIT_S,
    StartupError,
    check_writable_directory,
    own_database,
    sqlite_path,
    step,
)
from layso.server.storage.db import MIGRATIONS_DIR, Database

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"  # pg_dump's custom format
LAYSO_TABLES = {"alembic_version", "offices", "tickets", "events"}


def backup(url: str, out: Path) -> None:
    """A consistent copy of the database at `url` in `out`, while the server runs."""
    path = sqlite_path(url)
    if path is None:
        from layso.server import backup_pg

        backup_pg.dump(url, out)
    else:
        backup_sqlite(path, out)


def restore(url: str, source: Path, data_dir: Path) -> Path | None:
    """Put the backup `source` in place of the database at `url`; where the replaced
    database was kept (None when there was none)."""
    kind = backup_kind(source)
    path = sqlite_path(url)
    if path is None:
        if kind == "sqlite":
            raise StartupError("backup", str(source), "backup_is_sqlite")
        if kind != "postgresql":
            raise StartupError("backup", str(source), "not_a_backup")
        from layso.server import backup_pg

        return backup_pg.restore(url, source, data_dir)
    if kind == "postgresql":
        raise StartupError("backup", str(source), "backup_is_postgresql")
    if kind != "sqlite":
        raise StartupError("backup", str(source), "not_a_backup")
    return restore_sqlite(url, path, source)


def backup_kind(source: Path) -> str | None:
    """"sqlite", "postgresql" (a pg_dump archive) or None, from the file's first bytes."""
    with step("backup", source):
        if source.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(source))
        with open(source, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    return None


def check_revision(revision: str | None, source: Path) -> None:
    """The backup's schema is one this LaySo's migrations know (and so can bring up)."""
    from alembic.script import ScriptDirectory

    if revision is None:
        raise StartupError("backup", str(source), "not_a_backup")
    known = {script.revision for script in ScriptDirectory(str(MIGRATIONS_DIR)).walk_revisions()}
    if revision not in known:
        raise StartupError("backup", str(source), "backup_newer", revision=revision)


def partial_file(out: Path) -> Path:
    """Where a backup is written before it is renamed to `out`: a failed backup never leaves
    a file that looks like one. Made empty now, so a folder that cannot take it says so."""
    partial = out.with_name(out.name + ".partial")
    if not out.parent.is_dir():
        raise StartupError("backup", str(out.parent), "no_folder")
    with step("backup", out):
        if out.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(out))
        partial.open("wb").close()
    return partial


# --- SQLite -----------------------------------------------------------------------------

def backup_sqlite(database: Path, out: Path) -> None:
    if not database.exists():
        raise StartupError("database", str(database), "no_database")
    partial = partial_file(out)
    try:
        with step("database", database):
            source = sqlite3.connect(database, timeout=LOCK_WAIT_S)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)  # all pages in one step: one moment of the database
                target.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
                verdict = target.execute("PRAGMA quick_check(1)").fetchone()
            finally:
                target.close()
                source.close()
        if not verdict or verdict[0] != "ok":
            raise StartupError("database", str(database), "database_corrupt")
        os.replace(partial, out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def restore_sqlite(url: str, database: Path, source: Path) -> Path | None:
    check_writable_directory(database.parent)
    owner = own_database(url, "layso restore")
    temp = database.with_name(database.name + ".restoring")
    try:
        _remove_with_journal(temp)
        with step("backup", source):
            shutil.copyfile(source, temp)
        try:
            _check_sqlite_backup(temp, source)
            with step("database", temp):
                restored = Database(f"sqlite:///{temp}")
                try:
                    restored.migrate()
                finally:
                    restored.dispose()
                _as_one_file(temp)
        except BaseException:
            _remove_with_journal(temp)
            raise
        with step("database", database):
            aside = _move_aside(database)
            os.replace(temp, database)
    finally:
        if owner is not None:
            owner.release()
    return aside


def _check_sqlite_backup(copy: Path, source: Path) -> None:
    try:
        conn = sqlite3.connect(copy, isolation_level=None)
        try:
            verdict = conn.execute("PRAGMA integrity_check(1)").fetchone()
            tables = {row[0] for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            revision = None
            if LAYSO_TABLES <= tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        problem = "not_a_backup" if code == sqlite3.SQLITE_NOTADB else "backup_damaged"
        raise StartupError("backup", str(source), problem) from exc
    if not verdict or verdict[0] != "ok":
        raise StartupError("backup", str(source), "backup_damaged")
    check_revision(revision, source)


def _as_one_file(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")  # folds the -wal in and removes it
    finally:
        conn.close()


def _remove_with_journal(path: Path) -> None:
    for part in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        part.unlink(missing_ok=True)


def _move_aside(database: Path) -> Path | None:
    """Rename the database (its -wal with it: committed rows may still be there) to
    `<name>.before-restore-<time>`; None when there is none."""
    if not database.exists():
        return None
    _fold_wal(database)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.name}.before-restore-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = database.with_name(f"{database.name}.before-restore-{stamp}-{n}")
    wal, shm = Path(f"{database}-wal"), Path(f"{database}-shm")
    if wal.exists():  # the fold failed (a damaged database): keep the pair together
        os.replace(wal, Path(f"{aside}-wal"))
    os.replace(database, aside)
    shm.unlink(missing_ok=True)  # an index SQLite rebuilds; never data
    return aside


def _fold_wal(database: Path) -> None:
    """Checkpoint the database's -wal into it, so what is set aside is one file."""
    try:
        _as_one_file(database)
    except sqlite3.Error:
        pass  # damaged or not a database: it is set aside as it is, -wal beside it
