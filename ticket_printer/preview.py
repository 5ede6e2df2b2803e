"""The virtual printer: `preview:/dir/`, `preview:/path/ticket.png`, or `preview:` alone
(a folder in the system's temp directory). It "prints" the PNG a real printer would print,
so `layso demo` and a kiosk without a printer show exactly what paper would carry."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

from PIL import Image

from layso.ticket_printer.errors import PrinterError, PrinterStatus
from layso.ticket_printer.parts import Part, compose
from layso.ticket_printer.printer import TicketPrinter


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

    def check(self) -> PrinterStatus:
        return PrinterStatus("ok")

    def print_parts(self, parts: list[Part]) -> None:
        image = compose(parts, self.width_dots)
        self._count += 1
        if self.single_file:
            path = self.target
        else:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            path = self.target / f"ticket-{stamp}-{self._count:03d}.png"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            image.save(path)
        except OSError as exc:
            raise PrinterError("write_failed", f"{path}: {exc}") from exc
        self.last_image, self.last_path = image, path

    def close(self) -> None:
        pass
