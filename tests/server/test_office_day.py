"""An office's day, on the real storage with a clock the test moves (no sleeps)."""

import pytest

from layso.server.domain.errors import Conflict, Forbidden
from layso.server.operations import Actor
from tests.support.office_clock import Clock, OfficeDay, make_office


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def office(tmp_path, clock) -> OfficeDay:
    return make_office(tmp_path, clock)


def test_numbers_per_field_start_at_the_prefix_and_count_up(office):
    assert [office.issue("TP")["number"] for _ in range(3)] == ["1001", "1002", "1003"]
    assert office.issue("DD")["number"] == "3001"
    assert office.issue("KD")["number"] == "A001"


def test_counter_3_serves_tp_and_dd_oldest_first(office):
    office.issue("DD")
    office.clock.advance(minutes=1)
    office.issue("TP")
    assert [office.call(3), office.call(3), office.call(3)] == ["3001", "1001", None]


def test_a_priority_ticket_is_called_first_but_at_most_two_in_a_row(office):
    office.issue("TP")                       # 1001, normal, waiting first
    for _ in range(3):
        office.clock.advance(minutes=1)
        office.issue("TP", priority="NCT")   # 1002..1004
    assert [office.call(1) for _ in range(5)] == ["1002", "1003", "1001", "1004", None]


def test_the_run_cap_is_per_counter(tmp_path, clock):
    day = make_office(tmp_path, clock, priority_run=1)
    day.issue("TP")
    day.issue("TP", priority="NKT")
    day.issue("TP", priority="NCC")
    assert day.call(1) == "1002"
    assert day.call(1) == "1001"   # cap of one reached at counter 1
    assert day.call(3) == "1003"


def test_a_normal_ticket_waiting_too_long_is_served_before_later_priorities(tmp_path, clock):
    day = make_office(tmp_path, clock, priority_run=10, max_wait=20)
    day.issue("TP")                                  # 1001 at 09:00
    clock.advance(minutes=5)
    day.issue("TP", priority="NCT")                  # 1002 at 09:05
    clock.advance(minutes=10)
    assert day.call(1) == "1002"                     # 15 min: not overdue yet
    clock.advance(minutes=1)
    day.issue("TP", priority="NCT")                  # 1003 at 09:16
    clock.advance(minutes=10)                        # 1001 has waited 26 min
    assert day.call(1) == "1001"
    assert day.call(1) == "1003"


def test_transfer_keeps_the_number_and_its_place_in_line(office):
    office.issue("TP")                   # 1001 at 09:00
    office.clock.advance(minutes=1)
    office.issue("DD")                   # 3001 at 09:01
    office.clock.advance(minutes=1)
    first = office.queue.call_next(office.clerk, office.counter(1))
    assert first["number"] == "1001"
    moved = office.queue.transfer(office.clerk, first["id"], office.service("DD"))
    assert (moved["number"], moved["status"], moved["service_code"]) == ("1001", "waiting", "DD")
    # 1001 was issued before 3001, so counter 3 calls it first
    assert office.call(3) == "1001"
    assert office.events("ticket.transferred")[0]["from"] == "called"


def test_transfer_to_the_back_of_the_line_when_asked(office):
    office.issue("TP")
    office.clock.advance(minutes=1)
    office.issue("DD")
    first = office.queue.call_next(office.clerk, office.counter(1))
    office.clock.advance(minutes=1)
    office.queue.transfer(office.clerk, first["id"], office.service("DD"), keep_time=False)
    assert office.call(3) == "3001"


def test_a_no_show_comes_back_at_its_original_time(office):
    office.issue("TP")                       # 1001
    office.clock.advance(minutes=1)
    office.issue("TP")                       # 1002
    called = office.queue.call_next(office.clerk, office.counter(1))
    office.queue.finish(office.clerk, called["id"], "no_show")
    office.clock.advance(minutes=10)
    office.issue("TP")                       # 1003
    back = office.queue.reactivate(office.clerk, called["id"])
    assert (back["number"], back["status"]) == ("1001", "waiting")
    assert [office.call(1), office.call(1), office.call(1)] == ["1001", "1002", "1003"]


def test_calling_next_finishes_the_citizen_being_served(office):
    office.issue("TP")
    office.issue("TP")
    office.call(1)
    office.call(1)
    done = office.events("ticket.done")
    assert [(e["data"]["ticket"]["number"], e["from"], e["to"]) for e in done] == \
        [("1001", "called", "done")]


def test_a_finished_ticket_cannot_be_finished_again(office):
    office.issue("TP")
    ticket = office.queue.call_next(office.clerk, office.counter(1))
    office.queue.finish(office.clerk, ticket["id"], "done")
    with pytest.raises(Conflict) as e:
        office.queue.finish(office.clerk, ticket["id"], "no_show")
    assert e.value.params["status"] == "done"


def test_a_ticket_called_at_counter_1_cannot_be_called_out_of_order_at_counter_3(office):
    ticket = office.issue("TP")
    office.call(1)
    with pytest.raises(Conflict) as e:
        office.queue.call_ticket(office.clerk, office.counter(3), ticket["id"])
    assert e.value.code == "ticket_called_elsewhere"
    assert e.value.params["counter"] == "Quầy 1"


def test_calling_out_of_order_is_recorded(office):
    office.issue("TP")
    late = office.issue("TP")
    called = office.queue.call_ticket(office.clerk, office.counter(1), late["id"])
    assert called["number"] == "1002"
    assert office.events("ticket.called")[-1]["data"]["out_of_order"] is True


def test_recall_announces_again_and_is_counted(office):
    office.issue("TP")
    office.call(1)
    again = office.queue.recall(office.clerk, office.counter(1))
    calls = office.events("ticket.called")
    assert again["recall_count"] == 1
    assert [c["data"]["recall"] for c in calls] == [False, True]
    assert calls[1]["data"]["announcement"] == \
        "Xin mời công dân có số thứ tự một nghìn không trăm linh một đến quầy số một"


def test_a_paused_counter_cannot_call_until_it_resumes(office):
    office.issue("TP")
    office.queue.pause(office.clerk, office.counter(1), "Họp giao ban")
    with pytest.raises(Conflict):
        office.call(1)
    office.queue.resume(office.clerk, office.counter(1))
    assert office.call(1) == "1001"
    paused = office.events("counter.updated")[0]["data"]["counter"]
    assert (paused["status"], paused["pause_reason"]) == ("paused", "Họp giao ban")


def test_a_clerk_assigned_to_counter_1_cannot_call_at_counter_3(office):
    office.issue("TP")
    assigned = Actor("user", office.clerk.id, office.clerk.office_id, "clerk", "canbo",
                     frozenset({office.counter(1)}))
    with pytest.raises(Forbidden):
        office.queue.call_next(assigned, office.counter(3))
    assert office.queue.call_next(assigned, office.counter(1))["number"] == "1001"


def test_the_daily_cap_stops_issuing_without_skipping_a_number(office):
    assert [office.issue("KD")["number"] for _ in range(3)] == ["A001", "A002", "A003"]
    with pytest.raises(Conflict) as e:
        office.issue("KD")
    assert e.value.code == "service_capped"
    with pytest.raises(Conflict):
        office.issue("KD")
    # the next business day starts again at A001
    office.clock.advance(days=1)
    assert office.issue("KD")["number"] == "A001"


def test_no_numbers_after_the_cut_off_time(office):
    office.clock.advance(hours=7, minutes=31)     # 16:31 local
    with pytest.raises(Conflict) as e:
        office.issue("KD")
    assert e.value.code == "service_cutoff"
    assert office.issue("TP")["number"] == "1001"   # other fields have no cut-off


def test_no_numbers_outside_reception_hours(office):
    office.clock.advance(hours=8, minutes=30)     # 17:30 local
    with pytest.raises(Conflict) as e:
        office.issue("TP")
    assert e.value.code == "service_outside_hours"


def test_the_day_resets_at_opening_and_leftovers_expire(office):
    office.issue("TP")
    office.issue("TP")
    office.call(1)                                  # 1001 called, 1002 waiting
    office.clock.advance(hours=22, minutes=29)      # 07:29 next day: same business day
    assert office.queue.roll_day(office.kiosk.office_id) is False
    office.clock.advance(minutes=1)                 # 07:30: a new day
    assert office.queue.roll_day(office.kiosk.office_id) is True
    resets = office.events("day.reset")
    assert resets[-1]["data"] == {"business_day": "2026-11-24", "expired": 2,
                                  "at": "2026-11-24T07:30:00+07:00"}
    expired = office.events("ticket.expired")
    assert sorted(e["from"] for e in expired) == ["called", "waiting"]
    assert office.issue("TP")["number"] == "1001"
    assert office.call(1) == "1001"


def test_idempotency_key_returns_the_same_ticket(office):
    first, created = office.queue.issue_ticket(office.kiosk, office.service("TP"), None, "tap-1")
    again, created_again = office.queue.issue_ticket(office.kiosk, office.service("TP"), None,
                                                     "tap-1")
    other, _ = office.queue.issue_ticket(office.kiosk, office.service("TP"), None, "tap-2")
    assert (created, created_again) == (True, False)
    assert again["id"] == first["id"]
    assert other["number"] == "1002"


def test_waiting_ahead_and_estimate_follow_the_line(office):
    office.issue("TP")
    office.issue("TP")
    third = office.issue("TP")
    urgent = office.issue("TP", priority="NCT")
    assert third["waiting_ahead"] == 2
    assert urgent["waiting_ahead"] == 0
    # 3 ahead of a new normal ticket, 2 counters serve TP, 8 minutes each → 2 rounds
    fifth = office.issue("TP")
    assert fifth["waiting_ahead"] == 4
    assert fifth["estimated_wait_s"] == 2 * 8 * 60
