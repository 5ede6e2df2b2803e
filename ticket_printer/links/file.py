"""A device file or a plain file: `file:///dev/usb/lp0`, `/dev/usb/lp0`, `file:///tmp/job.bin`.

Linux's usblp driver makes a USB printer /dev/usb/lp0 (add the kiosk's user to the `lp`
group). A device is written without blocking, so a stuck printer fails within the
timeout; a plain file is truncated when first opened and receives each job in turn.
Neither answers status requests.
"""

from __future__ import annotations

import os
import select
import stat

from layso.ticket_printer.errors import PrinterError
from layso.ticket_printer.links.base import Deadline, Link, bad_uri


class FileLink(Link):
    def __init__(self, path: str, timeout: float = 3.0) -> None:
        super().__init__(timeout)
        self.path = path
        self._fd: int | None = None
        self._device = False

    @classmethod
    def from_uri(cls, rest: str, timeout: float) -> FileLink:
        path = rest.removeprefix("//")
        if not path or "?" in path:
            raise bad_uri("file:" + rest, "expected file:///path")
        return cls(path, timeout)

    def open(self) -> None:
        try:
            self._device = os.path.exists(self.path) and stat.S_ISCHR(os.stat(self.path).st_mode)
            if self._device:
                flags = os.O_WRONLY | getattr(os, "O_NONBLOCK", 0)
            else:
                flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
            self._fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise PrinterError("connection_failed", f"{self.path}: {exc}") from exc

    def write(self, data: bytes) -> None:
        assert self._fd is not None
        view = memoryview(data)
        deadline = Deadline(self.timeout)
        try:
            while view:
                if self._device and os.name == "posix":
                    _, ready, _ = select.select([], [self._fd], [], deadline.left())
                    if not ready:
                        raise PrinterError("write_failed", f"{self.path}: printer not taking data")
                try:
                    sent = os.write(self._fd, view)
                except BlockingIOError:
                    continue
                view = view[sent:]
                deadline = Deadline(self.timeout)  # progress: a slow printer is not dead
        except OSError as exc:
            raise PrinterError("write_failed", f"{self.path}: {exc}") from exc

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @property
    def is_open(self) -> bool:
        return self._fd is not None
