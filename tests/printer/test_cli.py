"""The technician's commands, run as `layso printer ...` would run them."""

from __future__ import annotations

import argparse

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
