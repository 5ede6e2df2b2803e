"""Who owns an SQLite database: the lock `layso server` (or `layso restore`) holds on it.

An operating-system lock on `<database>.lock` beside the database (`flock` on Linux and
macOS, `msvcrt.locking` on Windows), held for as long as the owner runs. The kernel lets
go of it however the process ends — SIGTERM, SIGKILL, a power cut — so there is no stale
pid file to clean up and no guessing from process names. The file's text names the owner
(pid, what it is, since when) for the one line a refused command prints.

    owner = DatabaseOwner.take(Path("layso.db"), "layso server 0.0.0.0:8080")  # or Held
    ...
    owner.release()
"""

from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

# Windows locks byte ranges and refuses reads inside one: lock a byte far past the text.
_WINDOWS_LOCK_OFFSET = 1 << 30


class Held(Exception):
    """Another process owns the database; `holder` says who, as its lock file tells."""

    def __init__(self, path: Path, holder: str) -> None:
        super().__init__(f"{path} is held by {holder}")
        self.path, self.holder = path, holder


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _holder_text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        text = ""
    return text or "một chương trình layso khác (another layso program)"


class DatabaseOwner:
    """This process owns the database until `release()` (or until it ends)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self._fd = path, fd

    @classmethod
    def take(cls, database: Path, what: str) -> DatabaseOwner:
        """Own `database` or raise Held. OSError when the lock file cannot be made."""
        path = lock_path(database)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd):
            os.close(fd)
            raise Held(path, _holder_text(path))
        since = datetime.now().astimezone().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{what} (pid {os.getpid()}, {since})\n".encode())
        return cls(path, fd)

    def release(self) -> None:
        if self._fd < 0:
            return
        try:
            os.ftruncate(self._fd, 0)  # nobody is named once nobody holds it
            _unlock(self._fd)
        finally:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> DatabaseOwner:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()

