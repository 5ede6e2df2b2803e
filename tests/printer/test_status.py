"""The kiosk learns why a printer cannot print, in Vietnamese, within the timeout."""

from __future__ import annotations

import time

import pytest

from layso.ticket_printer import PrinterError, open_printer
from tests.printer import fake_printer as fake


@pytest.mark.parametrize(("tcp_printer", "code", "message"), [
    (fake.PAPER_OUT, "paper_out", "Máy in hết giấy"),
    (fake.COVER_OPEN, "cover_open", "Nắp máy in đang mở"),
    # With the lid up the paper sensor sees no paper: "close the cover" is the fix, not
    # "load paper" (a clerk would load paper that is already there).
    (fake.COVER_OPEN_NO_PAPER, "cover_open", "Nắp máy in đang mở"),
    (fake.OFFLINE, "offline", "Máy in đang tạm ngừng (không sẵn sàng)"),
    (fake.CUTTER_JAM, "printer_error", "Máy in báo lỗi (dao cắt hoặc lỗi cơ khí)"),
], indirect=["tcp_printer"])
def test_printer_that_cannot_print_raises_its_reason_and_gets_no_ticket(
        tcp_printer, ticket, code, message):
    with open_printer(tcp_printer.uri) as printer, pytest.raises(PrinterError) as caught:
        printer.print_ticket(ticket)
    assert caught.value.code == code
    assert str(caught.value) == caught.value.message_vi == message
    assert caught.value.message_en
    time.sleep(0.1)
    assert tcp_printer.responder.job() == b""  # nothing printed into a jammed printer


@pytest.mark.parametrize("tcp_printer", [fake.SILENT], indirect=True)
def test_silent_printer_is_no_answer_within_the_timeout(tcp_printer, ticket):
    started = time.monotonic()
    with open_printer(tcp_printer.uri, timeout=1.0) as printer, \
            pytest.raises(PrinterError) as caught:
        printer.print_ticket(ticket)
    elapsed = time.monotonic() - started
    assert caught.value.code == "no_answer"
    assert str(caught.value) == "Máy in không phản hồi"
    assert 0.9 <= elapsed < 1.5


@pytest.mark.parametrize("tcp_printer", [fake.SILENT], indirect=True)
def test_even_a_long_timeout_is_held_to_three_seconds(tcp_printer):
    started = time.monotonic()
    with pytest.raises(PrinterError):
        open_printer(tcp_printer.uri, timeout=30).check()
    assert time.monotonic() - started < 3.5


@pytest.mark.parametrize("serial_printer", [fake.SILENT], indirect=True)
def test_silent_serial_printer_is_no_answer_within_the_timeout(serial_printer):
    started = time.monotonic()
    with open_printer(serial_printer.uri, timeout=0.5) as printer, \
            pytest.raises(PrinterError) as caught:
        printer.check()
    assert caught.value.code == "no_answer"
    assert time.monotonic() - started < 1.0


@pytest.mark.parametrize("serial_printer", [fake.COVER_OPEN], indirect=True)
def test_serial_printer_with_cover_open(serial_printer):
    with open_printer(serial_printer.uri) as printer, pytest.raises(PrinterError) as caught:
        printer.check()
    assert caught.value.code == "cover_open"


@pytest.mark.parametrize("tcp_printer", [fake.PAPER_NEAR_END], indirect=True)
def test_paper_near_end_is_a_warning_and_the_ticket_still_prints(tcp_printer, ticket):
    with open_printer(tcp_printer.uri) as printer:
        status = printer.check()
        printer.print_ticket(ticket)
    assert status.code == "paper_near_end" and status.paper_near_end
    assert status.message_vi == "Máy in sắp hết giấy"
    assert status.raw[4] == 0x1E
    assert tcp_printer.wait_for(1000)[:2] == b"\x1b@"


def test_something_else_on_the_port_is_not_taken_for_a_printer():
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))

    def answer_like_a_web_server() -> None:
        conn, _ = server.accept()
        conn.recv(16)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")
        conn.close()

    threading.Thread(target=answer_like_a_web_server, daemon=True).start()
    with pytest.raises(PrinterError) as caught:
        open_printer(f"tcp://127.0.0.1:{server.getsockname()[1]}").check()
    server.close()
    assert caught.value.code == "no_answer"
    assert "not an ESC/POS status" in caught.value.detail


def test_nobody_listening_is_connection_failed_at_once():
    import socket

    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    started = time.monotonic()
    with pytest.raises(PrinterError) as caught:
        open_printer(f"tcp://127.0.0.1:{port}").check()
    assert caught.value.code == "connection_failed"
    assert str(caught.value) == "Không kết nối được với máy in"
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("uri", ["bogus://x", "tcp://", "usb://zz:1", "serial:///dev/x?speed=9",
                                 "file://", "win32://"])
def test_bad_uri_is_refused_before_any_connection(uri):
    with pytest.raises(PrinterError) as caught:
        open_printer(uri)
    assert caught.value.code == "bad_uri"


def test_windows_spooler_is_unsupported_elsewhere():
    import sys

    if sys.platform == "win32":
        pytest.skip("this machine has a spooler")
    with pytest.raises(PrinterError) as caught:
        open_printer("win32://XP-80C").check()
    assert caught.value.code == "unsupported"
