"""Windows spooler, raw mode: `win32://XP-80C` (the printer's name in Windows' Printers list).

Install the vendor's driver (or "Generic / Text Only") for the USB port; LaySo sends raw
ESC/POS through it, so the driver's own page settings do not matter. The spooler gives
no real-time status. Needs pywin32 (`pip install pywin32`), imported only on Windows.
"""

from __future__ import annotations

import sys
from typing import Any
from urllib.parse import unquote

from layso.ticket_printer.errors import PrinterError
from layso.ticket_printer.links.base import Link, bad_uri


class Win32Link(Link):
    def __init__(self, name: str, timeout: float = 3.0) -> None:
        super().__init__(timeout)
        self.name = name
        self._printer: Any = None

    @classmethod
    def from_uri(cls, rest: str, timeout: float) -> Win32Link:
        name = unquote(rest.removeprefix("//")).strip("/")
        if not name:
            raise bad_uri("win32:" + rest, "expected win32://Printer Name")
        return cls(name, timeout)

    def open(self) -> None:
        if sys.platform != "win32":
            raise PrinterError("unsupported", "win32:// printers exist only on Windows")
        try:
            from escpos.printer import Win32Raw

            self._printer = Win32Raw(self.name)
            known = self.name in self._printer.printers
        except Exception as exc:  # pywin32 raises its own pywintypes.error
            raise PrinterError("connection_failed", f"{self.name}: {exc}") from exc
        if not known:
            self._printer = None
            raise PrinterError("connection_failed", f"{self.name}: no such Windows printer")

    def write(self, data: bytes) -> None:
        """One spooler job per write: the spooler sends a job to the printer when it ends."""
        try:
            self._printer.open(job_name="LaySo")
            self._printer._raw(data)
            self._printer.close()
        except Exception as exc:
            raise PrinterError("write_failed", f"{self.name}: {exc}") from exc

    def close(self) -> None:
        self._printer = None

    @property
    def is_open(self) -> bool:
        return self._printer is not None
