"""Events in → the hall and counter screens show the right numbers (offscreen Qt)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QLabel

from layso.counter_display.counter_screen import CounterScreen
from layso.counter_display.hall import HallScreen
from layso.counter_display.state import DisplayState
from layso.counter_display.texts import EN, VI
from layso.counter_display.widgets import FitLabel
from tests.display.conftest import called, counter, snapshot, ticket

NOTICE = ("Công dân vui lòng chuẩn bị đầy đủ hồ sơ trước khi đến quầy. "
          "Giờ làm việc: 7 giờ 30 đến 17 giờ, từ thứ Hai đến thứ Sáu.")
FIXED_NOW = dt.datetime(2026, 11, 23, 8, 15, 3)


def clipped_labels(widget) -> list[str]:
    """Texts of visible labels that do not fit their box (cut off on screen)."""
    bad = []
    for label in widget.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if isinstance(label, FitLabel):
            if not label.fits():
                bad.append(label.text())
        elif label.sizeHint().width() > label.width() + 1:
            bad.append(label.text())
    return bad


def busy_state(state: DisplayState) -> None:
    """Six counters serving, counter 6 paused with nobody, calls arriving in order."""
    state.apply_snapshot(snapshot(
        counters=[counter(n) for n in range(1, 6)] + [counter(6, status="paused")],
        notice=NOTICE, last_event_id=100))
    calls = [(201, "1012", 1, 1), (202, "2007", 2, 2), (203, "3021", 3, 3),
             (204, "7004", 4, 7), (205, "5015", 5, 5), (206, "1013", 2, 1)]
    waiting = {"1": 7, "2": 3, "3": 12, "4": 0, "5": 4, "6": 9, "7": 1, "8": 2}
    for i, (tid, number, counter_no, service) in enumerate(calls):
        state.apply_event(101 + i, "ticket.called",
                          called(tid, number, counter_no, service_id=service, waiting=waiting))


@pytest.fixture
def hall(qtbot, display_font):
    state = DisplayState(highlight_s=0.3)
    screen = HallScreen(state, VI, now=lambda: FIXED_NOW)
    qtbot.addWidget(screen)
    screen.resize(1920, 1080)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def test_six_busy_counters_are_shown_with_their_numbers(hall, qtbot, output_dir):
    busy_state(hall.state)
    qtbot.wait(50)
    assert hall.latest_number.text() == "1013"
    assert hall.latest_counter.text() == "→ Quầy 2"
    shown = {hall.counter_rows[i][0].text(): hall.counter_rows[i][1].text() for i in range(1, 7)}
    assert shown == {"Quầy 1": "1012", "Quầy 2": "1013", "Quầy 3": "3021",
                     "Quầy 4": "7004", "Quầy 5": "5015", "Quầy 6": "Tạm dừng"}
    recent = [(n.text(), w.text()) for n, w in hall.recent_labels]
    assert recent == [("5015", "→ Quầy 5"), ("7004", "→ Quầy 4"),
                      ("3021", "→ Quầy 3"), ("2007", "→ Quầy 2")]
    waiting = {name.text(): count.text() for name, count in hall.waiting_labels.values()}
    assert waiting["Đất đai"] == "12" and waiting["Tư pháp – Hộ tịch"] == "7"
    assert hall.office_label.text() == "UBND phường Sài Gòn"
    assert hall.date_label.text() == "Thứ Hai, 23/11/2026"
    assert hall.clock_label.text() == "08:15:03"
    assert hall.ticker.isVisible() and hall.ticker.text == NOTICE
    assert not hall.mark.isVisible() or not hall.state.connected
    hall.state.set_connected(True)
    hall.grab().save(str(output_dir / "display-hall-1920x1080.png"))
    assert clipped_labels(hall) == []
    # ~25 mm letters per 10 m: a 55" 1080p TV has 0.63 mm pixels, so ≥ 56 px type
    assert hall.latest_number.font().pixelSize() >= 200, "the latest call must be huge"
    assert min(hall.counter_rows[i][1].font().pixelSize() for i in range(1, 7)) >= 56
    assert min(c.font().pixelSize() for _, c in hall.waiting_labels.values()) >= 26
    hall.grab().save(str(output_dir / "display-hall-1920x1080.png"))


def test_a_new_call_is_highlighted_for_a_few_seconds(hall, qtbot):
    busy_state(hall.state)
    assert hall.state.highlighted
    lit_style = hall.call_panel.styleSheet()
    qtbot.waitUntil(lambda: not hall.state.highlighted, timeout=2000)
    assert hall.call_panel.styleSheet() != lit_style


def test_portrait_hall_fits(hall, qtbot, output_dir):
    busy_state(hall.state)
    hall.state.set_connected(True)
    hall.resize(1080, 1920)
    qtbot.wait(50)
    assert hall.latest_number.text() == "1013"
    assert clipped_labels(hall) == []
    hall.grab().save(str(output_dir / "display-hall-portrait-1080x1920.png"))


def test_disconnected_mark_is_shown_only_while_disconnected(hall, qtbot, output_dir):
    busy_state(hall.state)
    hall.state.set_connected(True)
    assert not hall.mark.isVisible()
    hall.state.set_connected(False)
    qtbot.wait(50)   # rows added to a shown window appear on the next turn of the loop
    assert hall.mark.isVisible() and "Mất kết nối" in hall.mark.text()
    assert hall.mark.width() < hall.width() / 8, "the mark is discreet"
    assert not hall.mark.geometry().intersects(hall.office_label.geometry())
    assert hall.counter_rows[1][1].isVisible(), "the last picture stays up"
    hall.grab().save(str(output_dir / "display-hall-disconnected.png"))
    hall.state.set_connected(True)
    assert not hall.mark.isVisible()


def test_done_frees_the_counter_and_day_reset_clears_the_hall(hall):
    busy_state(hall.state)
    hall.state.apply_event(200, "ticket.done",
                           {"ticket": ticket(203, "3021", 3, status="done", counter_id=3),
                            "waiting": {"3": 11}})
    assert hall.counter_rows[3][1].text() == "—"
    assert hall.waiting_labels[3][1].text() == "11"
    hall.state.apply_event(201, "day.reset", {"business_day": "2026-11-24"})
    assert [hall.counter_rows[i][1].text() for i in range(1, 6)] == ["—"] * 5
    assert hall.latest_number.text() == "—"


def test_english_hall(qtbot, display_font):
    state = DisplayState()
    screen = HallScreen(state, EN, now=lambda: FIXED_NOW)
    qtbot.addWidget(screen)
    screen.resize(1920, 1080)
    screen.show()
    busy_state(state)
    assert screen.counter_rows[6][1].text() == "Paused"
    assert screen.date_label.text() == "Monday, 23/11/2026"


def test_counter_screen_shows_only_its_counter(qtbot, display_font, output_dir):
    state = DisplayState(highlight_s=0.3)
    screen = CounterScreen(state, VI, counter_number=3)
    qtbot.addWidget(screen)
    screen.resize(640, 360)
    screen.show()
    qtbot.waitExposed(screen)
    busy_state(state)
    state.set_connected(True)
    assert screen.name_label.text() == "Quầy 3"
    assert screen.number_label.text() == "3021"
    with qtbot.waitSignal(screen.shown, timeout=1000) as blocker:
        state.apply_event(300, "ticket.called", called(207, "4001", 3, service_id=4))
    assert blocker.args[0].number == "4001"
    assert screen.number_label.text() == "4001"
    state.apply_event(301, "ticket.called", called(208, "1014", 1))
    assert screen.number_label.text() == "4001", "another counter's call changes nothing here"
    assert clipped_labels(screen) == []
    screen.grab().save(str(output_dir / "display-counter-3.png"))
    state.apply_event(302, "counter.updated", {"counter": counter(3, status="paused")})
    assert screen.status_label.text() == "Tạm dừng"
