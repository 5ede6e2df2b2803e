"""The ticket's layout: one design for 58 mm (384 dots), 80 mm (576 dots) and any width."""

from __future__ import annotations

from PIL import Image

from layso.ticket_printer import messages as m
from layso.ticket_printer.parts import PageBuilder, Part, compose
from layso.ticket_printer.ticket import TicketData


def text_sizes(width_dots: int) -> dict[str, int]:
    """Font sizes in dots (203 dpi: 24 dots = 3 mm). Narrow paper shrinks text less than
    it shrinks the paper, so a 58 mm ticket stays readable."""
    scale = max(0.8, min(1.25, width_dots / 576))
    base = {"office": 25, "unit": 21, "service": 29, "mark": 24, "info": 21, "footer": 18}
    return {key: round(size * scale) for key, size in base.items()}


# Lines a name may take before it is cut with an ellipsis: with these, and the QR's bound
# (parts.QR_MAX_SIDE), no ticket is longer than about 1,250 dots (16 cm) at 80 mm.
MAX_LINES = {"office": 2, "unit": 2, "service": 3, "number": 1, "priority": 2, "info": 2,
             "counters": 2, "footer": 3}


def new_page(width_dots: int) -> PageBuilder:
    return PageBuilder(width_dots, margin=max(4, width_dots // 48))


def ticket_parts(ticket: TicketData, width_dots: int = 576) -> list[Part]:
    size = text_sizes(width_dots)
    lang = ticket.lang
    page = new_page(width_dots)
    page.gap(8)
    lines = MAX_LINES
    page.paragraph(ticket.office_name, "bold", size["office"], lines["office"])
    page.paragraph(ticket.office_unit, "regular", size["unit"], lines["unit"])
    page.gap(size["info"] // 2)
    page.paragraph(ticket.service_name, "bold", size["service"], lines["service"])
    page.gap(6)
    page.number(ticket.number, lines["number"])
    if ticket.priority_name:
        page.gap(10)
        page.inverted_label(m.ticket_line(m.PRIORITY_MARK, lang), "bold", size["mark"])
        page.gap(4)
        page.paragraph(ticket.priority_name, "semibold", size["info"], lines["priority"])
    page.gap(10)
    issued = m.ticket_line(m.ISSUED_AT, lang).format(
        time=ticket.issued_at.strftime("%H:%M"), date=ticket.issued_at.strftime("%d/%m/%Y"))
    page.paragraph(issued, "regular", size["info"], lines["info"])
    page.paragraph(m.ticket_line(m.WAITING_AHEAD, lang).format(n=ticket.waiting_ahead),
                   "regular", size["info"], lines["info"])
    if ticket.estimated_wait_s is not None:
        wait = m.wait_text(ticket.estimated_wait_s, lang)
        page.paragraph(m.ticket_line(m.ESTIMATED_WAIT, lang).format(wait=wait),
                       "regular", size["info"], lines["info"])
    if ticket.counters:
        page.paragraph(m.counters_line(ticket.counters, lang),
                       "semibold", size["info"], lines["counters"])
    if ticket.qr_url and page.qr(ticket.qr_url, space_before=12):
        page.gap(4)
        page.paragraph(m.ticket_line(m.QR_CAPTION, lang), "regular", size["footer"])
    if ticket.footer:
        page.gap(10)
        page.paragraph(ticket.footer, "regular", size["footer"], lines["footer"])
    return page.parts


def render_ticket(ticket: TicketData, width_dots: int = 576) -> Image.Image:
    """Exactly what will be printed, mode "1" (the big number and the QR drawn the way the
    printer draws them in mixed mode; sent as this very raster in raster mode)."""
    return compose(ticket_parts(ticket, width_dots), width_dots)
