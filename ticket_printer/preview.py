"""The virtual printer: `preview:/dir/`, `preview:/path/ticket.png`, or `preview:` alone
(a folder in the system's temp directory). It "prints" the PNG a real printer would print,
so `layso demo` and a kiosk without a printer show exactly what paper would carry.

A ticket's file is named after its issue time as printed on it, in the office's time
(`ticket-20261122-081503-001.png`), whatever zone the PC is set to."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from PIL import Image

from layso.ticket_printer.errors import PrinterError, PrinterStatus
from layso.ticket_printer.parts import Part, compose
from layso.ticket_printer.printer import TicketPrinter
from layso.ticket_printer.ticket import TicketData


def default_preview_dir() -> Path:
    return Path(tempfile.gettempdir()) / "layso-preview"


class PreviewPrinter(TicketPrinter):
    def __init__(self, target: str, width_dots: int = 576, cut: str = "partial",
                 timeout: float = 3.0, mode: str = "mixed") -> None:
        super().__init__(None, width_dots, cut, timeout, mode)
        path = Path(target.removeprefix("//")) if target else default_preview_dir()
        self.single_file = path.suffix.lower() == ".png"
        self.target = path
        self.last_image: Image.Image | None = None
        self.last_path: Path | None = None
        self._count = 0
        self._issued_at: datetime | None = None  # of the ticket being printed

    def check(self) -> PrinterStatus:
        return PrinterStatus("ok")

    def print_ticket(self, ticket: TicketData) -> None:
        self._issued_at = ticket.issued_at
        try:
            super().print_ticket(ticket)
        finally:
            self._issued_at = None

    def print_parts(self, parts: list[Part]) -> None:
        image = compose(parts, self.width_dots)
        self._count += 1
        if self.single_file:
            path = self.target
        else:
            # the ticket's own time (office time); a test page has none: this PC's clock
            moment = self._issued_at or datetime.now()
            path = self.target / f"ticket-{moment:%Y%m%d-%H%M%S}-{self._count:03d}.png"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            image.save(path)
        except OSError as exc:
            raise PrinterError("write_failed", f"{path}: {exc}") from exc
        self.last_image, self.last_path = image, path

    def close(self) -> None:
        pass
