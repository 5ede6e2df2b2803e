"""A citizen at the kiosk, with the real server and a printer on a TCP socket."""

from __future__ import annotations

import threading

import requests

from layso.kiosk import messages as m
from layso.kiosk.events import EventStream
from layso.kiosk.state import PrintState, Screen
from tests.kiosk.conftest import PIN
from tests.kiosk.fake_printer import PAPER_OUT, READY

WAIT_MS = 10_000


def waiting(live_server, service_id: int) -> int:
    services = requests.get(live_server.api + "/services", timeout=5,
                            headers=live_server.headers(live_server.kiosk_token)).json()
    return next(s["waiting"] for s in services if s["id"] == service_id)


def ready_kiosk(qtbot, live_server, make_kiosk, printer_uri: str = ""):
    kiosk = make_kiosk(live_server.url, live_server.kiosk_token, printer_uri)
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.HOME and bool(kiosk.window.home.buttons),
                    timeout=WAIT_MS)
    return kiosk


def tap(qtbot, kiosk, index: int = 0):
    button = kiosk.window.home.buttons[index]
    qtbot.mouseClick(button, qtbot_left())
    return button.service_id


def qtbot_left():
    from PySide6.QtCore import Qt
    return Qt.MouseButton.LeftButton


def test_one_tap_issues_one_ticket_and_the_printer_receives_its_number(
        qtbot, live_server, make_kiosk, fake_printer):
    kiosk = ready_kiosk(qtbot, live_server, make_kiosk, fake_printer.uri)
    service_id = tap(qtbot, kiosk)
    qtbot.waitUntil(lambda: kiosk.state.ticket is not None
                    and kiosk.state.ticket.print_state is PrintState.PRINTED, timeout=WAIT_MS)
    number = kiosk.state.ticket.number
    assert number == "1001"
    qtbot.waitUntil(lambda: number.encode() in fake_printer.data(), timeout=WAIT_MS)
    assert waiting(live_server, service_id) == 1
    assert kiosk.window.confirmation.number.text() == number
    assert kiosk.window.stack.currentWidget() is kiosk.window.confirmation
    qtbot.waitUntil(lambda: kiosk.state.ticket.preview is not None, timeout=WAIT_MS)
    # a tap on the confirmation brings the next citizen home
    qtbot.mouseClick(kiosk.window.confirmation, qtbot_left())
    assert kiosk.state.screen is Screen.HOME


def test_a_triple_tap_issues_one_ticket(qtbot, live_server, make_kiosk, fake_printer):
    kiosk = ready_kiosk(qtbot, live_server, make_kiosk, fake_printer.uri)
    button = kiosk.window.home.buttons[1]
    for _ in range(3):
        qtbot.mouseClick(button, qtbot_left())
    qtbot.waitUntil(lambda: kiosk.state.ticket is not None
                    and kiosk.state.ticket.print_state is PrintState.PRINTED, timeout=WAIT_MS)
    qtbot.wait(300)  # any stray second request would have landed by now
    assert waiting(live_server, button.service_id) == 1
    assert fake_printer.data().count(kiosk.state.ticket.number.encode()) >= 1


def test_the_priority_path_prints_a_priority_ticket(qtbot, live_server, make_kiosk,
                                                    fake_printer):
    kiosk = ready_kiosk(qtbot, live_server, make_kiosk, fake_printer.uri)
    qtbot.mouseClick(kiosk.window.home.priority, qtbot_left())
    assert kiosk.window.stack.currentWidget() is kiosk.window.priority
    qtbot.mouseClick(kiosk.window.priority.buttons[0], qtbot_left())
    assert kiosk.window.home.title.text() == "Ưu tiên: Người cao tuổi (từ 75 tuổi)"
    tap(qtbot, kiosk)
    qtbot.waitUntil(lambda: kiosk.state.ticket is not None, timeout=WAIT_MS)
    assert kiosk.state.ticket.ticket["priority"] == "NCT"


def test_the_server_goes_down_and_the_kiosk_recovers_by_itself(
        qtbot, live_server, make_kiosk, fake_printer, output_dir):
    kiosk = ready_kiosk(qtbot, live_server, make_kiosk, fake_printer.uri)
    live_server.kill()
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.NOTICE, timeout=WAIT_MS)
    assert kiosk.window.notice.title.text() == m.text("server_down")
    assert kiosk.window.stack.currentWidget() is kiosk.window.notice
    kiosk.window.grab().save(str(output_dir / "kiosk-server-down-1280x800.png"))
    live_server.start()
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.HOME, timeout=20_000)
    tap(qtbot, kiosk)
    qtbot.waitUntil(lambda: kiosk.state.ticket is not None
                    and kiosk.state.ticket.print_state is PrintState.PRINTED, timeout=WAIT_MS)
    assert kiosk.state.ticket.number.encode() in fake_printer.data()


def test_paper_out_shows_a_notice_tells_the_office_and_issues_nothing(
        qtbot, live_server, make_kiosk, fake_printer):
    seen: list[tuple[str, dict]] = []
    got = threading.Event()

    def on_event(event):
        seen.append((event.type, event.data))
        if event.type == "device.status" and event.data.get("status") == "paper_out":
            got.set()

    stream = EventStream(live_server.api, live_server.display_token, on_event,
                         on_connected=lambda: None, on_lost=lambda why: None)
    stream.start()
    try:
        kiosk = ready_kiosk(qtbot, live_server, make_kiosk, fake_printer.uri)
        fake_printer.set_status(PAPER_OUT)
        service_id = tap(qtbot, kiosk)
        qtbot.waitUntil(lambda: kiosk.state.screen is Screen.NOTICE, timeout=WAIT_MS)
        assert kiosk.window.notice.title.text() == "Máy in hết giấy"
        assert got.wait(10), f"no device.status paper_out event, saw {seen}"
        assert waiting(live_server, service_id) == 0
        fake_printer.set_status(READY)
        qtbot.waitUntil(lambda: kiosk.state.screen is Screen.HOME, timeout=WAIT_MS)
    finally:
        stream.stop()


def test_a_print_failure_after_issue_keeps_the_number_and_the_technician_reprints_it(
        qtbot, live_server, make_kiosk, fake_printer):
    kiosk = ready_kiosk(qtbot, live_server, make_kiosk, fake_printer.uri)
    qtbot.wait(200)
    fake_printer.change_after(3, PAPER_OUT)   # the kiosk's check passes, the print's does not
    tap(qtbot, kiosk)
    qtbot.waitUntil(lambda: kiosk.state.ticket is not None
                    and kiosk.state.ticket.print_state is PrintState.FAILED, timeout=WAIT_MS)
    number = kiosk.state.ticket.number
    assert number.encode() not in fake_printer.data()
    status = kiosk.window.confirmation.status.text()
    assert number in status and "báo cán bộ" in status
    assert kiosk.window.confirmation.number.text() == number
    assert kiosk.window.confirmation.noted.isVisible()

    # the technician refills the paper, holds the corner, types the PIN and reprints
    fake_printer.set_status({1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12})
    kiosk.open_technician()
    for digit in PIN:
        qtbot.mouseClick(kiosk.window.pin_pad.findChild(type(kiosk.window.pin_pad.ok),
                                                        f"digit{digit}"), qtbot_left())
    qtbot.mouseClick(kiosk.window.pin_pad.ok, qtbot_left())
    assert kiosk.window.stack.currentWidget() is kiosk.window.settings_panel
    assert number in kiosk.window.settings_panel.reprint.text()
    qtbot.mouseClick(kiosk.window.settings_panel.reprint, qtbot_left())
    qtbot.waitUntil(lambda: number.encode() in fake_printer.data(), timeout=WAIT_MS)


def test_a_wrong_pin_keeps_the_settings_closed(qtbot, live_server, make_kiosk):
    kiosk = ready_kiosk(qtbot, live_server, make_kiosk)
    kiosk.open_technician()
    kiosk.window.pin_pad.entered.emit("0000")
    assert kiosk.window.stack.currentWidget() is kiosk.window.pin_pad
    assert kiosk.window.pin_pad.message.text() == m.text("pin_wrong")
