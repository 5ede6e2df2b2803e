"""The one exception the kiosk catches, and the status a check returns."""

from __future__ import annotations

from dataclasses import dataclass, field

from layso.ticket_printer.messages import PRINTER_MESSAGES


class PrinterError(Exception):
    """A printer that cannot print now. `str(e)` is the Vietnamese message to show.

    code: "paper_out" | "cover_open" | "offline" | "printer_error" | "no_answer" |
    "connection_failed" | "write_failed" | "bad_uri" | "unsupported".
    `detail` holds the technical cause (for logs and technicians), never shown to citizens.
    """

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.message_vi, self.message_en = PRINTER_MESSAGES.get(code, (code, code))
        self.detail = detail
        super().__init__(self.message_vi)

    def __str__(self) -> str:
        return self.message_vi


@dataclass(frozen=True)
class PrinterStatus:
    """What the printer said. `code` is "ok", "paper_near_end" (still prints) or "unknown"
    (the connection cannot answer, e.g. a file or the Windows spooler)."""

    code: str = "ok"
    raw: dict[int, int] = field(default_factory=dict)  # DLE EOT n -> answer byte

    @property
    def known(self) -> bool:
        return self.code != "unknown"

    @property
    def paper_near_end(self) -> bool:
        return self.code == "paper_near_end"

    @property
    def message_vi(self) -> str:
        return PRINTER_MESSAGES[self.code][0]

    @property
    def message_en(self) -> str:
        return PRINTER_MESSAGES[self.code][1]
