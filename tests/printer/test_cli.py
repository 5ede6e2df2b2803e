"""The technician's commands, run as `layso printer ...` would run them."""

from __future__ import annotations

import argparse
import time

import pytest
from PIL import Image

from layso.ticket_printer import cli
from tests.printer import fake_printer as fake
from tests.printer.escpos_stream import print_page


def layso(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="layso")
    cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["printer", *argv])
    return args.func(args)


def test_printer_test_prints_the_test_page_with_the_status(tcp_printer, capsys):
    assert layso("test", "--uri", tcp_printer.uri, "--width", "384") == 0
    job = tcp_printer.wait_for(4000)
    page = print_page(job, 384)
    assert page.cut == 1
    assert page.image.height > 1000  # ruler, alphabet, tones, sample ticket
    assert [kind for kind, _, _ in page.natives] == ["text", "qr"]
    assert "Máy in sẵn sàng (Printer ready)" in capsys.readouterr().out


@pytest.mark.parametrize("tcp_printer", [fake.PAPER_OUT], indirect=True)
def test_printer_test_on_paper_out_says_so_and_prints_nothing(tcp_printer, capsys):
    assert layso("test", "--uri", tcp_printer.uri) == 1
    assert "Máy in hết giấy (Printer out of paper)" in capsys.readouterr().err
    assert tcp_printer.responder.job() == b""


@pytest.mark.parametrize("tcp_printer", [fake.PAPER_NEAR_END], indirect=True)
def test_printer_status_shows_the_answer_bytes(tcp_printer, capsys):
    assert layso("status", "--uri", tcp_printer.uri) == 0
    out = capsys.readouterr().out
    assert "Máy in sắp hết giấy" in out
    assert "DLE EOT 4: 0x1e" in out


@pytest.mark.parametrize("serial_printer", [fake.SILENT], indirect=True)
def test_printer_status_of_a_silent_serial_printer(serial_printer, capsys):
    assert layso("status", "--uri", serial_printer.uri, "--timeout", "0.3") == 1
    assert "Máy in không phản hồi (Printer not responding)" in capsys.readouterr().err


def test_printer_preview_writes_a_png_of_the_ticket(tmp_path, capsys):
    out = tmp_path / "phieu.png"
    assert layso("preview", "--out", str(out), "--width", "384") == 0
    image = Image.open(out)
    assert image.width == 384 and image.height > 500
    assert str(out) in capsys.readouterr().out


def test_printer_list_always_gives_the_network_hint(capsys):
    assert layso("list") == 0
    assert "tcp://IP:9100" in capsys.readouterr().out


def test_bad_uri_is_a_clear_message(capsys):
    assert layso("status", "--uri", "lpt1") == 1
    assert "Địa chỉ máy in không hợp lệ" in capsys.readouterr().err


@pytest.mark.parametrize("tcp_printer", [fake.NEVER_READS, fake.SILENT, fake.GARBAGE, fake.SLOW],
                         ids=["never-reads", "silent", "garbage", "answers-after-5-s"],
                         indirect=True)
def test_printer_test_fails_clearly_on_a_port_that_is_no_working_printer(tcp_printer, capsys):
    started = time.monotonic()
    assert layso("test", "--uri", tcp_printer.uri, "--timeout", "1") == 1
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert err.splitlines()[0] == "Máy in không phản hồi (Printer not responding)"
    assert "Đã in trang thử" not in out and "test page sent" not in out
    assert tcp_printer.responder.job() == b""  # no test page went down that line
    assert elapsed < 2.5


@pytest.mark.parametrize("tcp_printer", [fake.SLOW], indirect=True)
def test_printer_status_of_a_printer_answering_after_5_s_is_no_answer(tcp_printer, capsys):
    assert layso("status", "--uri", tcp_printer.uri, "--timeout", "1") == 1
    assert "Máy in không phản hồi (Printer not responding)" in capsys.readouterr().err


def test_printer_test_through_a_link_that_cannot_answer_prints_and_says_so(tmp_path, capsys):
    target = tmp_path / "lp0"
    assert layso("test", "--uri", f"file://{target}", "--width", "384") == 0
    out = capsys.readouterr().out
    assert "Kết nối này không đọc được trạng thái máy in" in out
    assert "Đã in trang thử" in out
    assert print_page(target.read_bytes(), 384).cut == 1


@pytest.mark.parametrize("tcp_printer", [fake.STOPS_READING], indirect=True)
def test_printer_test_is_not_sent_until_the_printer_has_read_the_page(tcp_printer, capsys):
    """Ready when asked, then it takes no more bytes: the page sits in the network buffers,
    and the printer's silence after it is what tells."""
    assert layso("test", "--uri", tcp_printer.uri, "--timeout", "1") == 1
    out, err = capsys.readouterr()
    assert "Máy in sẵn sàng" in out  # what it said before the page
    assert err.splitlines()[0] == "Máy in không phản hồi (Printer not responding)"
    assert "Đã in trang thử" not in out
