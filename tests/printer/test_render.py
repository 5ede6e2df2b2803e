"""Vietnamese prints with every tone mark, long field names wrap, nothing is clipped."""

from __future__ import annotations

import unicodedata

import pytest
from PIL import Image, ImageDraw

from layso.ticket_printer import TicketData, render_ticket
from layso.ticket_printer import text as vtext
from layso.ticket_printer.layout import new_page, text_sizes, ticket_parts
from layso.ticket_printer.parts import RasterPart, compose
from layso.ticket_printer.testpage import build_test_page, sample_ticket, vietnamese_lines
from tests.printer.conftest import longest_service_name
from tests.printer.pictures import contains, same

BASE = {"đ": "d", "Đ": "D"}


def base_letter(char: str) -> str:
    """"ặ" -> "a", "Ư" -> "U": the letter with every mark taken off."""
    stripped = "".join(c for c in unicodedata.normalize("NFD", char)
                       if not unicodedata.combining(c))
    return BASE.get(char, stripped)


def test_every_letter_of_the_test_page_keeps_its_marks():
    face = vtext.font("regular", 22)
    missing_glyph, _ = vtext.text_line("\ue000", face)  # the font's empty box
    question, _ = vtext.text_line("?", face)
    letters = sorted({c for line in vietnamese_lines() for c in line if c.isalpha()})
    marked = [c for c in letters if base_letter(c) != c]
    assert len(marked) >= 12 * 5 * 2 + 2 * 2  # every vowel x 5 tones x 2 cases, Đ/đ, Ă/Ơ/Ư...
    for char in letters:
        glyph, _ = vtext.text_line(char, face)
        assert not same(glyph, missing_glyph), f"{char!r} drawn as a box"
        assert not same(glyph, question), f"{char!r} drawn as '?'"
        if char in marked:
            bare, _ = vtext.text_line(base_letter(char), face)
            assert not same(glyph, bare), f"{char!r} lost its marks"


def test_decomposed_input_prints_the_same_as_composed():
    face = vtext.font("bold", 30)
    name = longest_service_name()
    nfd, _ = vtext.text_line(unicodedata.normalize("NFD", name), face)
    nfc, _ = vtext.text_line(name, face)
    assert same(nfd, nfc)


@pytest.mark.parametrize("width", [384, 576])
def test_the_test_page_holds_every_vietnamese_line(width):
    page = compose(build_test_page(width, "ok", sample_ticket()), width)
    size = text_sizes(width)["info"]
    face = vtext.font("regular", size)
    builder = new_page(width)
    for line in vietnamese_lines():
        for row in vtext.wrap(line, face, builder.text_width):
            image, _ = vtext.text_line(row, face)
            assert contains(page, image), row


@pytest.mark.parametrize(("width", "rows"), [(384, 2), (576, 1)])
def test_longest_field_name_wraps_without_clipping(ticket, width, rows):
    face = vtext.font("bold", text_sizes(width)["service"])
    margin = new_page(width).margin
    wrapped = vtext.wrap(ticket.service_name, face, width - 2 * margin)
    assert len(wrapped) == rows
    assert " ".join(wrapped) == ticket.service_name  # no word lost or cut
    for row in wrapped:
        image, _ = vtext.text_line(row, face)
        # The same words drawn on a roomy canvas have exactly this much ink: nothing cut.
        roomy = Image.new("L", (2000, 200), 0)
        ImageDraw.Draw(roomy).text((100, 150), row, font=face, fill=255, anchor="ls")
        ink = vtext.ink_to_bitmap(roomy)
        left, top, right, bottom = Image.eval(ink.convert("L"), lambda v: 255 - v).getbbox()
        assert image.height == bottom - top
        assert image.width == right - left + (-(right - left) % 8)
        assert image.width <= width - 2 * margin + 8
    page = render_ticket(ticket, width)
    edges = [page.crop((0, 0, margin - 4, page.height)),
             page.crop((width - margin + 4, 0, width, page.height))]
    assert all(edge.convert("L").getextrema() == (255, 255) for edge in edges)


@pytest.mark.parametrize("width", [384, 576])
def test_a_ticket_has_every_line_the_office_needs(ticket, width):
    parts = ticket_parts(ticket, width)
    rasters = [p.image for p in parts if isinstance(p, RasterPart)]
    face = vtext.font("regular", text_sizes(width)["info"])
    for line in ["Số người đang chờ trước bạn: 7", "Thời gian chờ dự kiến: khoảng 15 phút",
                 "Giờ lấy số: 08:15 – 22/11/2026"]:
        image, _ = vtext.text_line(line, face)
        assert any(same(image, r) for r in rasters), line
    plain = TicketData(**{**ticket.__dict__, "priority_name": None, "qr_url": None,
                          "estimated_wait_s": None, "counters": []})
    assert len(ticket_parts(plain, width)) < len(parts) - 4
    assert render_ticket(plain, width).height < render_ticket(ticket, width).height


def test_from_api_reads_server_json():
    ticket = TicketData.from_api(
        {"id": 7, "number": "1005", "service_name": "Tư pháp – Hộ tịch", "priority": "NCT",
         "priority_name": "Người cao tuổi (từ 75 tuổi)", "issued_at": "2026-11-22T08:15:03+07:00",
         "waiting_ahead": 3, "estimated_wait_s": 480, "status_url": "http://x/t/7"},
        {"name": "UBND phường Sài Gòn", "unit": "Trung tâm Phục vụ hành chính công",
         "ticket": {"footer": "Cảm ơn", "status_url": "http://x/t/{id}"}},
        [1, 2])
    assert ticket.number == "1005" and ticket.waiting_ahead == 3
    assert ticket.issued_at.utcoffset().total_seconds() == 7 * 3600
    assert ticket.issued_at.hour == 8
    assert ticket.priority_name == "Người cao tuổi (từ 75 tuổi)"
    assert ticket.qr_url == "http://x/t/7" and ticket.footer == "Cảm ơn"
    assert ticket.counters == ["1", "2"]
    normal = TicketData.from_api({"number": "1006", "issued_at": "2026-11-22T08:16:00+07:00",
                                  "priority": None, "priority_name": None, "status_url": None},
                                 {"name": "X", "unit": "Y", "ticket": {"footer": ""}})
    assert normal.priority_name is None and normal.qr_url is None and normal.footer is None


def test_sample_tickets_are_saved_for_a_person_to_look_at(output_dir, ticket):
    for width in (384, 576):
        image = render_ticket(ticket, width)
        assert image.mode == "1" and image.width == width
        image.save(output_dir / f"printer-ticket-{width}.png")
        compose(build_test_page(width, "ok", sample_ticket()), width).save(
            output_dir / f"printer-testpage-{width}.png")
    assert (output_dir / "printer-ticket-384.png").stat().st_size > 1000
