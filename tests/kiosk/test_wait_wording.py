"""The kiosk's screen and the printed ticket say the estimated wait in the same words
("dưới 1 phút", "khoảng 2 phút", ...), decided once in the ticket printer's catalogue."""

from __future__ import annotations

import pytest

from layso.kiosk import messages as m
from layso.kiosk.app import make_app
from layso.kiosk.state import KioskState
from layso.kiosk.ui.window import KioskWindow
from layso.ticket_printer import TicketData, render_ticket
from layso.ticket_printer import messages as ticket_words
from tests.display.pixels import ocr

OFFICE = {"name": "UBND xã Tân Phú", "unit": "Trung tâm Phục vụ hành chính công",
          "timezone": "Asia/Ho_Chi_Minh"}


def kiosk_showing(qtbot, seconds: int | None) -> tuple[KioskWindow, KioskState, dict]:
    make_app()
    state = KioskState()
    state.set_office(OFFICE)
    state.set_services([{"id": 1, "code": "TP", "name": "Tư pháp – Hộ tịch", "waiting": 0,
                         "estimated_wait_s": seconds, "available": True, "open": True}])
    state.set_online(True)
    window = KioskWindow(state)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    window.render()
    ticket = {"id": 9, "number": "1001", "service_id": 1, "service_name": "Tư pháp – Hộ tịch",
              "priority": None, "waiting_ahead": 0, "estimated_wait_s": seconds,
              "status": "waiting", "issued_at": "2026-11-23T08:15:00+07:00"}
    return window, state, ticket


@pytest.mark.parametrize("seconds", [0, 30, 61, 900, 4500])
def test_screen_and_ticket_say_the_same_wait(qtbot, seconds):
    window, state, ticket = kiosk_showing(qtbot, seconds)
    on_paper = ticket_words.wait_text(seconds)
    assert on_paper in window.home.buttons[0].info.text().split("\n")
    state.ticket_issued(state.tap_service(1), ticket)
    assert window.confirmation.wait.text() == ticket_words.ESTIMATED_WAIT.format(wait=on_paper)
    state.toggle_language()
    assert window.confirmation.wait.text().endswith(ticket_words.wait_text(seconds, "en"))


def test_nobody_ahead_reads_under_a_minute_on_screen_and_on_paper(qtbot, output_dir):
    window, state, ticket = kiosk_showing(qtbot, 0)
    assert "dưới 1 phút" in window.home.buttons[0].info.text()
    assert "không phải chờ" not in window.home.buttons[0].info.text()
    state.ticket_issued(state.tap_service(1), ticket)
    assert window.confirmation.wait.text() == "Thời gian chờ dự kiến: dưới 1 phút"
    state.toggle_language()
    assert window.confirmation.wait.text() == "Estimated wait: under 1 min"
    paper = render_ticket(TicketData.from_api(ticket, OFFICE, ["Quầy 1"]), 576)
    paper.save(output_dir / "kiosk-ticket-no-wait.png")
    read = ocr(paper.convert("RGB"), lang="vie")
    if read is not None:
        assert "dưới 1 phút" in read, read


def test_no_estimate_says_nothing_rather_than_no_wait(qtbot):
    window, state, ticket = kiosk_showing(qtbot, None)
    assert window.home.buttons[0].info.text() == m.text("waiting", n=0)
    state.ticket_issued(state.tap_service(1), ticket)
    assert not window.confirmation.wait.isVisibleTo(window)
