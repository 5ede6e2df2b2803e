"""The ticket arrives whole over the wire, and the page it prints is the rendered image."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from layso.ticket_printer import open_printer, render_ticket
from layso.ticket_printer.encode import encode
from layso.ticket_printer.layout import ticket_parts
from layso.ticket_printer.parts import NumberPart, QrPart, part_boxes
from tests.printer.escpos_stream import parse, print_page
from tests.printer.pictures import same


def blank(image: Image.Image, boxes) -> Image.Image:
    image = image.copy()
    draw = ImageDraw.Draw(image)
    for box in boxes:
        draw.rectangle((box[0], box[1], box[2] - 1, box[3] - 1), fill=1)
    return image


def assert_prints_as_rendered(job: bytes, ticket, width: int) -> None:
    """Raster parts equal the rendered ticket dot for dot; the native number and QR land
    exactly where the preview drew them, with the right content."""
    page = print_page(job, width)
    rendered = render_ticket(ticket, width)
    parts = ticket_parts(ticket, width)
    native_boxes = [box for part, box in zip(parts, part_boxes(parts, width))
                    if isinstance(part, NumberPart | QrPart)]
    assert [box for _, _, box in page.natives] == native_boxes
    assert [(kind, content) for kind, content, _ in page.natives] == [
        ("text", ticket.number), ("qr", ticket.qr_url)]
    assert page.image.size == rendered.size
    assert same(page.image, blank(rendered, native_boxes))
    # The preview really draws the number and QR in those boxes (they are not left empty).
    for box in native_boxes:
        assert rendered.crop(box).convert("L").getextrema() == (0, 255)


@pytest.mark.parametrize("width", [384, 576])
def test_tcp_printer_receives_whole_ticket_that_prints_as_rendered(tcp_printer, ticket, width):
    expected = encode(ticket_parts(ticket, width), width, "mixed", "partial")
    with open_printer(tcp_printer.uri, width_dots=width) as printer:
        printer.print_ticket(ticket)
    job = tcp_printer.wait_for(len(expected))
    assert job == expected
    assert_prints_as_rendered(job, ticket, width)
    assert print_page(job, width).cut == 1  # partial cut, after the feed


@pytest.mark.parametrize("width", [384, 576])
def test_serial_printer_through_socat_receives_whole_ticket(serial_printer, ticket, width):
    expected = encode(ticket_parts(ticket, width), width, "mixed", "full")
    with open_printer(serial_printer.uri, width_dots=width, cut="full") as printer:
        assert printer.check().code == "ok"
        printer.print_ticket(ticket)
    job = serial_printer.wait_for(len(expected))
    assert job == expected
    assert_prints_as_rendered(job, ticket, width)
    assert print_page(job, width).cut == 0  # full cut


@pytest.mark.parametrize("width", [384, 576])
def test_full_raster_mode_prints_exactly_the_rendered_image(tcp_printer, ticket, width):
    with open_printer(tcp_printer.uri, width_dots=width, mode="raster") as printer:
        printer.print_ticket(ticket)
    expected = encode(ticket_parts(ticket, width), width, "raster", "partial")
    job = tcp_printer.wait_for(len(expected))
    page = print_page(job, width)
    assert page.natives == []
    assert same(page.image, render_ticket(ticket, width))


def test_mixed_mode_keeps_80mm_ticket_under_12_kb_and_sends_only_ascii_text(ticket):
    job = encode(ticket_parts(ticket, 576), 576, "mixed", "partial")
    assert len(job) <= 12 * 1024
    texts = [op.data for op in parse(job) if op.name == "text"]
    assert texts == [b"5012"]  # no Vietnamese went through a code page (no "?")


def test_ticket_prints_twice_on_one_connection_and_reconnects_after_printer_restart(
        tcp_printer, ticket):
    one = encode(ticket_parts(ticket, 576), 576, "mixed", "partial")
    with open_printer(tcp_printer.uri) as printer:
        printer.print_ticket(ticket)
        printer.print_ticket(ticket)
        assert tcp_printer.wait_for(2 * len(one)).count(one) == 2
        tcp_printer.restart()
        printer.print_ticket(ticket)
        assert tcp_printer.wait_for(3 * len(one)).count(one) == 3


def test_file_uri_receives_the_job(tmp_path, ticket):
    target = tmp_path / "job.bin"
    with open_printer(f"file://{target}", width_dots=384) as printer:
        assert printer.check().code == "unknown"  # a file cannot answer DLE EOT
        printer.print_ticket(ticket)
    assert target.read_bytes() == encode(ticket_parts(ticket, 384), 384, "mixed", "partial")


def test_preview_printer_writes_the_rendered_png(tmp_path, ticket):
    printer = open_printer(f"preview:{tmp_path}/kiosk", width_dots=384)
    printer.print_ticket(ticket)
    printer.print_ticket(ticket)
    files = sorted((tmp_path / "kiosk").glob("*.png"))
    assert len(files) == 2
    assert same(Image.open(files[0]), render_ticket(ticket, 384))
    assert printer.last_path == files[1]

    single = open_printer(f"preview:{tmp_path}/one.png")
    single.print_ticket(ticket)
    assert same(Image.open(tmp_path / "one.png"), render_ticket(ticket, 576))
