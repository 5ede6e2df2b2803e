"""Real-time status (DLE EOT n) read over a link, turned into a PrinterStatus or error.

Answer bytes (Epson ESC/POS; Xprinter, Rongta, HPRT... follow it): every answer has
bit 1 and bit 4 set and bits 0 and 7 clear.
  n=1 printer:  bit 3 offline
  n=2 offline cause: bit 2 cover open, bit 5 stopped for paper end, bit 6 error
  n=3 error:    bit 3 cutter error, bit 5 unrecoverable, bit 6 auto-recoverable
  n=4 paper:    bits 2-3 paper near end, bits 5-6 paper out
"""

from __future__ import annotations

from escpos.constants import RT_STATUS

from layso.ticket_printer.errors import PrinterError, PrinterStatus
from layso.ticket_printer.links.base import Deadline, Link

PRINTER, OFFLINE_CAUSE, ERROR_CAUSE, PAPER = 1, 2, 3, 4


def is_status_byte(value: int) -> bool:
    return value & 0b1001_0011 == 0b0001_0010


def query(link: Link, n: int, deadline: Deadline) -> int | None:
    """Ask DLE EOT n; the answer byte, or None when the printer is silent until the deadline.
    Anything else answering (an HTTP server on the wrong port...) is not a printer."""
    link.write(RT_STATUS + bytes((n,)))
    answer = link.read(1, deadline.left())
    if not answer:
        return None
    if not is_status_byte(answer[0]):
        raise PrinterError("no_answer", f"answer {answer[0]:#04x} to DLE EOT {n} is not "
                                        "an ESC/POS status: is this a receipt printer?")
    return answer[0]


def read_status(link: Link, timeout: float) -> PrinterStatus:
    """Ask the printer how it is, within `timeout` seconds in all; raise PrinterError
    when it cannot print now, return "ok" or "paper_near_end" otherwise."""
    deadline = Deadline(timeout)
    link.discard_input()
    raw: dict[int, int] = {}
    first = query(link, PRINTER, deadline)
    if first is None:
        raise PrinterError("no_answer", f"no answer to DLE EOT 1 within {timeout:g} s")
    raw[PRINTER] = first
    for n in (OFFLINE_CAUSE, PAPER):
        answer = query(link, n, deadline)
        if answer is not None:
            raw[n] = answer
    if raw.get(OFFLINE_CAUSE, 0) & 0x40:
        answer = query(link, ERROR_CAUSE, deadline)
        if answer is not None:
            raw[ERROR_CAUSE] = answer
    code = judge(raw)
    if code not in ("ok", "paper_near_end"):
        raise PrinterError(code, "DLE EOT " + ", ".join(f"{n}={b:#04x}" for n, b in raw.items()))
    return PrinterStatus(code, raw)


def judge(raw: dict[int, int]) -> str:
    """The one thing a clerk must fix first, from the answers we got."""
    cause = raw.get(OFFLINE_CAUSE, 0)
    paper = raw.get(PAPER, 0)
    if cause & 0x04:
        return "cover_open"
    if paper & 0x60 or cause & 0x20:
        return "paper_out"
    if cause & 0x40 or raw.get(ERROR_CAUSE, 0) & 0x68:
        return "printer_error"
    if raw.get(PRINTER, 0) & 0x08:
        return "offline"
    if paper & 0x0C:
        return "paper_near_end"
    return "ok"
