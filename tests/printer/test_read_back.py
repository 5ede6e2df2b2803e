"""The ticket read back from paper: the bytes sent to the printer are turned into a page by
our own ESC/POS reader, and OCR (tesseract, Vietnamese) reads every line a citizen needs,
in order. Nothing here asks the layout what it meant to print."""

from __future__ import annotations

import pytest

from layso.ticket_printer.encode import encode
from layso.ticket_printer.layout import render_ticket, ticket_parts
from tests.printer.escpos_stream import print_page
from tests.printer.pictures import ocr_lines, read_in_order

ON_PAPER = [
    "UBND phường Sài Gòn",
    "Trung tâm Phục vụ hành chính công",
    "ƯU TIÊN",
    "Phụ nữ mang thai, người có con dưới 6 tuổi",
    "Giờ lấy số: 08:15 – 22/11/2026",
    "Số người đang chờ trước bạn: 7",
    "Thời gian chờ dự kiến: khoảng 15 phút",
    "Mời đến: Quầy 5",
    "Quét mã để xem lượt chờ",
]


@pytest.mark.parametrize("width", [384, 576])
def test_every_line_of_the_printed_ticket_reads_back_in_order(ticket, width):
    job = encode(ticket_parts(ticket, width), width, "mixed", "partial")
    found = read_in_order(ON_PAPER, ocr_lines(print_page(job, width).image))
    invited = found[ON_PAPER.index("Mời đến: Quầy 5")]
    assert invited.split()[-1] == "5"  # the counter's number itself, not a look-alike


def test_a_ticket_without_counters_has_no_invitation_line(ticket):
    """The check above can fail: the same reading finds no "Mời đến" line when none is printed."""
    plain = type(ticket)(**{**ticket.__dict__, "counters": []})
    with pytest.raises(AssertionError, match="Mời đến"):
        read_in_order(ON_PAPER, ocr_lines(render_ticket(plain, 576)))
