"""A ticket printer: a link plus the one way to turn tickets into bytes and check status."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from layso.ticket_printer.encode import CUTS, MODES, encode
from layso.ticket_printer.errors import PrinterError, PrinterStatus
from layso.ticket_printer.layout import ticket_parts
from layso.ticket_printer.links import Link, link_for
from layso.ticket_printer.parts import Part
from layso.ticket_printer.status import read_status
from layso.ticket_printer.ticket import TicketData

MAX_TIMEOUT = 3.0  # a dead printer never holds the kiosk longer than this per call
LINK_FAILURES = ("no_answer", "connection_failed", "write_failed")


class TicketPrinter:
    """Connects on first use and again after any failure, so a printer switched off and
    on again during the day just works on the next ticket."""

    def __init__(self, link: Link | None, width_dots: int = 576, cut: str = "partial",
                 timeout: float = MAX_TIMEOUT, mode: str = "mixed") -> None:
        if mode not in MODES or cut not in CUTS:
            raise ValueError(f"mode must be one of {MODES}, cut one of {CUTS}")
        if width_dots < 128 or width_dots % 8:
            raise ValueError("width_dots must be a multiple of 8, at least 128")
        self.link = link
        self.width_dots = width_dots
        self.cut = cut
        self.timeout = min(timeout, MAX_TIMEOUT)
        self.mode = mode

    def check(self) -> PrinterStatus:
        """Read DLE EOT where the link can answer; raise PrinterError if it cannot print."""
        assert self.link is not None
        reused = self.link.is_open
        try:
            with self._failures_close():
                return self._check()
        except PrinterError as error:
            # A connection kept from an earlier ticket may have died with a printer restart:
            # one fresh attempt (these failures are quick, so the 3 s promise holds).
            if not reused or error.code not in ("connection_failed", "write_failed"):
                raise
        with self._failures_close():
            return self._check()

    def _check(self) -> PrinterStatus:
        assert self.link is not None
        self._connect()
        if not self.link.can_answer:
            return PrinterStatus("unknown")
        return read_status(self.link, self.timeout)

    def print_ticket(self, ticket: TicketData) -> None:
        """Check, then print; raises PrinterError."""
        self.check()
        self.print_parts(ticket_parts(ticket, self.width_dots))

    def print_parts(self, parts: list[Part]) -> None:
        """Print without checking first (the test page checks and prints what it found)."""
        assert self.link is not None
        data = encode(parts, self.width_dots, self.mode, self.cut)
        with self._failures_close():
            self._connect()
            self.link.write(data)

    def close(self) -> None:
        if self.link is not None:
            self.link.close()

    def _connect(self) -> None:
        assert self.link is not None
        if not self.link.is_open:
            self.link.open()

    @contextmanager
    def _failures_close(self) -> Iterator[None]:
        """A broken connection is dropped so the next call reconnects from scratch."""
        try:
            yield
        except PrinterError as error:
            if error.code in LINK_FAILURES:
                self.close()
            raise

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_printer(uri: str, width_dots: int = 576, cut: str = "partial",
                 timeout: float = MAX_TIMEOUT, mode: str = "mixed") -> TicketPrinter:
    """A printer for `uri` (see ticket_printer.links.link_for, plus `preview:[path]`).
    Raises PrinterError("bad_uri") now; connection problems surface on check/print."""
    if uri.startswith("preview:"):
        from layso.ticket_printer.preview import PreviewPrinter

        return PreviewPrinter(uri.removeprefix("preview:"), width_dots, cut, timeout, mode)
    return TicketPrinter(link_for(uri, timeout), width_dots, cut, timeout, mode)
