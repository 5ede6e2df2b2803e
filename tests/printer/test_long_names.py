"""Names of any length: a ticket stays a ticket (cut with an ellipsis, a bounded length of
paper), and bidirectional controls in a name turn no text around on paper."""

from __future__ import annotations

import dataclasses

import pytest

from layso.ticket_printer import render_ticket
from layso.ticket_printer import text as vtext
from layso.ticket_printer.layout import new_page, text_sizes, ticket_parts
from layso.ticket_printer.parts import NumberPart, QrPart
from tests.printer.pictures import contains, same

MAX_TICKET_DOTS = 1600  # 20 cm of paper at 203 dpi, on 58 mm and 80 mm alike
WORDS = "TrungtâmPhụcvụhànhchínhcôngphườngBếnNghéquận"
VIETNAMESE_200 = (WORDS * 5)[:200]  # 200 characters, no space to wrap at
WIDEST_200 = "W" * 200
RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"


def with_names(ticket, name: str):
    return dataclasses.replace(
        ticket, office_name=name, office_unit=name, service_name=name, priority_name=name,
        counters=[name] * 4, footer=" ".join([name] * 3),
        qr_url="http://192.168.1.10:8080/t/" + "7" * 400)


@pytest.mark.parametrize("name", [VIETNAMESE_200, WIDEST_200], ids=["vietnamese", "widest"])
@pytest.mark.parametrize("width", [384, 576])
def test_very_long_names_keep_the_ticket_within_its_length(ticket, width, name):
    page = render_ticket(with_names(ticket, name), width)
    assert page.width == width
    assert page.height <= MAX_TICKET_DOTS, f"{page.height} dots of paper"
    margin = new_page(width).margin
    for edge in (page.crop((0, 0, margin - 4, page.height)),
                 page.crop((width - margin + 4, 0, width, page.height))):
        assert edge.convert("L").getextrema() == (255, 255)  # nothing runs off the side
    kinds = [type(part) for part in ticket_parts(with_names(ticket, name), width)]
    assert NumberPart in kinds and QrPart in kinds  # the number and the QR still print


@pytest.mark.parametrize("width", [384, 576])
def test_a_cut_name_keeps_its_start_and_ends_with_an_ellipsis_on_paper(ticket, width):
    size = text_sizes(width)["office"]
    face = vtext.font("bold", size)
    rows = vtext.wrap(VIETNAMESE_200, face, new_page(width).text_width, max_lines=2)
    assert len(rows) == 2
    assert rows[-1].endswith("…")
    assert VIETNAMESE_200.startswith(rows[0] + rows[1].removesuffix("…"))
    page = render_ticket(with_names(ticket, VIETNAMESE_200), width)
    for row in rows:
        assert contains(page, vtext.text_line(row, face)[0]), row
    dots, _ = vtext.text_line("…", face)
    assert not same(dots, vtext.text_line("\ue000", face)[0])  # a real glyph, not a box
    assert not same(dots, vtext.text_line(".", face)[0])


def test_a_name_exactly_as_long_as_its_lines_is_not_cut():
    face = vtext.font("regular", 21)
    rows = vtext.wrap("Quầy tiếp nhận hồ sơ", face, 1000, max_lines=1)
    assert rows == ["Quầy tiếp nhận hồ sơ"]


@pytest.mark.parametrize("width", [384, 576])
def test_bidi_controls_in_names_turn_no_text_around(ticket, width):
    tricked = dataclasses.replace(
        ticket, office_name=RLO + ticket.office_name,
        service_name=f"{RLI}{ticket.service_name}{PDI}",
        counters=[f"{RLO}5", f"6{PDF}"])
    honest = dataclasses.replace(ticket, counters=["5", "6"])
    assert same(render_ticket(tricked, width), render_ticket(honest, width))
