"""Tickets on paper: layout, Vietnamese rendering, ESC/POS bytes, connections, status.

    from layso.ticket_printer import TicketData, render_ticket, open_printer, PrinterError
    printer = open_printer("tcp://192.168.1.50:9100", width_dots=576)
    printer.print_ticket(TicketData.from_api(ticket_json, office_json, ["2"]))  # counter numbers

The names load on first use: `layso --help` and the server's command line import this
package's `cli` without Pillow or python-escpos (which also configures logging on import).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_HOMES = {"PrinterError": "errors", "PrinterStatus": "errors", "render_ticket": "layout",
          "TicketPrinter": "printer", "open_printer": "printer", "TicketData": "ticket"}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value
