"""Tickets on paper: layout, Vietnamese rendering, ESC/POS bytes, connections, status.

    from layso.ticket_printer import TicketData, render_ticket, open_printer, PrinterError
    printer = open_printer("tcp://192.168.1.50:9100", width_dots=576)
    printer.print_ticket(TicketData.from_api(ticket_json, office_json, ["Quầy 2"]))
"""

from layso.ticket_printer.errors import PrinterError, PrinterStatus
from layso.ticket_printer.layout import render_ticket
from layso.ticket_printer.printer import TicketPrinter, open_printer
from layso.ticket_printer.ticket import TicketData

__all__ = ["PrinterError", "PrinterStatus", "TicketData", "TicketPrinter", "open_printer",
           "render_ticket"]
