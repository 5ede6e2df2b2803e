"""The kiosk's decisions, with plain objects and a hand-turned clock: nothing is drawn."""

from __future__ import annotations

import pytest

from layso.kiosk import messages as m
from layso.kiosk.state import (
    CONFIRMATION_S,
    DEBOUNCE_S,
    PRINT_FAILED_S,
    PRIORITY_IDLE_S,
    KioskState,
    PrintState,
    Problem,
    Screen,
)

OFFICE = {"name": "UBND phường Sài Gòn", "unit": "Trung tâm Phục vụ hành chính công",
          "timezone": "Asia/Ho_Chi_Minh",
          "priority_categories": [{"code": "NCT", "name": "Người cao tuổi (từ 75 tuổi)"},
                                  {"code": "NKT", "name": "Người khuyết tật"}]}
SERVICES = [
    {"id": 1, "code": "TP", "name": "Tư pháp – Hộ tịch", "waiting": 3, "estimated_wait_s": 900,
     "open": True, "available": True, "counters": [1, 2]},
    {"id": 6, "code": "KD", "name": "Đăng ký kinh doanh hộ", "waiting": 80, "open": True,
     "available": False, "unavailable_reason": "capped",
     "unavailable_message": "Lĩnh vực Đăng ký kinh doanh hộ đã hết số hôm nay", "counters": [6]},
    {"id": 7, "code": "NN", "name": "Nông nghiệp và Môi trường", "open": False,
     "available": False, "unavailable_reason": "closed"},
]
PAPER_OUT = Problem("paper_out", "Máy in hết giấy", "Printer out of paper")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def state(clock: Clock) -> KioskState:
    s = KioskState(clock=clock)
    s.set_office(OFFICE)
    s.set_services(SERVICES)
    s.set_online(True)
    return s


def issued_ticket(number: str = "1004", service_id: int = 1) -> dict:
    return {"id": 4, "number": number, "service_id": service_id, "waiting_ahead": 3,
            "estimated_wait_s": 900, "priority": None}


def test_a_citizen_sees_home_once_the_server_answered(clock):
    s = KioskState(clock=clock)
    assert s.screen is Screen.NOTICE and s.notice.title == m.text("connecting")
    s.set_services(SERVICES)
    s.set_online(True)
    assert s.screen is Screen.HOME


def test_a_switched_off_service_is_not_on_the_home_screen(state):
    assert [s.code for s in state.visible_services] == ["TP", "KD"]


def test_one_tap_asks_for_one_ticket_and_a_second_tap_is_the_same_wish(state, clock):
    requests = []
    state.issue_requested.connect(requests.append)
    first = state.tap_service(1)
    clock.now += 0.2
    assert state.tap_service(1) is None
    assert requests == [first] and first.priority is None and len(first.idempotency_key) == 32


def test_taps_within_the_debounce_are_ignored_even_after_a_failed_issue(state, clock):
    first = state.tap_service(1)
    state.issue_aborted(first)
    clock.now += DEBOUNCE_S / 2
    assert state.tap_service(1) is None
    clock.now += DEBOUNCE_S
    second = state.tap_service(1)
    assert second is not None and second.idempotency_key != first.idempotency_key


def test_a_capped_service_cannot_be_tapped(state):
    assert state.tap_service(6) is None and state.pending is None


def test_the_priority_path_picks_a_category_then_a_service(state):
    state.open_priority()
    assert state.screen is Screen.PRIORITY
    state.pick_category("NCT")
    assert state.screen is Screen.HOME and state.priority.name.startswith("Người cao tuổi")
    request = state.tap_service(1)
    assert request.priority == "NCT"


def test_a_priority_path_left_half_way_goes_back_home(state, clock):
    state.open_priority()
    clock.now += PRIORITY_IDLE_S + 1
    state.tick()
    assert state.screen is Screen.HOME and state.priority is None


def test_the_number_shows_until_printed_then_goes_home_after_a_few_seconds(state, clock):
    request = state.tap_service(1)
    state.ticket_issued(request, issued_ticket())
    assert state.screen is Screen.CONFIRMATION and state.pending is None
    clock.now += 60
    state.tick()
    state.dismiss()
    assert state.screen is Screen.CONFIRMATION, "never hide the number while it prints"
    state.ticket_printed(4)
    clock.now += CONFIRMATION_S - 1
    state.tick()
    assert state.screen is Screen.CONFIRMATION
    clock.now += 1
    state.tick()
    assert state.screen is Screen.HOME and state.last_ticket.number == "1004"


def test_a_failed_print_keeps_the_number_on_screen_and_warns_the_next_citizen(state, clock):
    request = state.tap_service(1)
    state.ticket_issued(request, issued_ticket())
    state.print_failed(4, PAPER_OUT)
    assert state.ticket.print_state is PrintState.FAILED
    clock.now += CONFIRMATION_S + 1
    state.tick()
    assert state.screen is Screen.CONFIRMATION
    clock.now += PRINT_FAILED_S
    state.tick()
    assert state.screen is Screen.NOTICE and state.notice.title == "Máy in hết giấy"


def test_the_server_outage_notice_wins_over_everything_but_a_ticket_on_screen(state):
    state.set_printer_problem(PAPER_OUT)
    state.set_online(False)
    assert state.notice.title == m.text("server_down")
    assert state.notice.title == "Hệ thống đang tạm gián đoạn, xin vui lòng chờ trong giây lát"
    state.set_online(True)
    assert state.notice.kind == "printer"
    state.set_printer_problem(None)
    assert state.screen is Screen.HOME


def test_an_issue_refused_by_the_server_shows_its_message_for_a_while(state, clock):
    request = state.tap_service(1)
    state.issue_failed(request, "Lĩnh vực Tư pháp – Hộ tịch đã hết số hôm nay")
    assert state.notice.title == "Lĩnh vực Tư pháp – Hộ tịch đã hết số hôm nay"
    clock.now += 10
    state.tick()
    assert state.screen is Screen.HOME


def test_ticket_events_move_the_waiting_counts_and_other_events_ask_for_a_refresh(state):
    refreshes = []
    state.refresh_needed.connect(lambda: refreshes.append(1))
    state.apply_event("ticket.issued", {"ticket": {}, "waiting": {"1": 4, "6": 80}})
    assert state.service(1).waiting == 4
    state.apply_event("day.reset", {"business_day": "2026-11-23"})
    assert refreshes == [1]
    state.apply_event("office.updated", {"office": {"name": "UBND phường Sài Gòn"}})
    assert refreshes == [1, 1]
    state.apply_event("services.updated", {"services": [dict(SERVICES[0], available=False,
                                                             unavailable_reason="cutoff")]})
    assert [s.available for s in state.services] == [False]


def test_english_lasts_for_one_citizen(state):
    state.toggle_language()
    assert state.lang == m.EN
    request = state.tap_service(1)
    state.ticket_issued(request, issued_ticket())
    state.ticket_printed(4)
    state.dismiss()
    assert state.lang == m.VI


def test_wait_words_follow_the_glossary():
    assert m.wait_text(900) == "khoảng 15 phút"
    assert m.wait_text(900, m.EN) == "about 15 min"
    assert m.wait_text(4500) == "khoảng 1 giờ 15 phút"
    assert (m.wait_text(3600), m.wait_text(3600, m.EN)) == ("khoảng 1 giờ", "about 1 h")
    assert m.wait_text(None) == "", "no estimate: nothing is said, as on the ticket"
    assert m.reason_text("capped", m.EN) == "No more numbers today"
    assert m.reason_text("capped") == "Đã hết số hôm nay"
