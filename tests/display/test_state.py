"""The display's state, fed with the server's snapshot and events, without drawing."""

from __future__ import annotations

from layso.counter_display.state import DisplayState
from tests.display.conftest import called, counter, snapshot, ticket


def test_snapshot_shows_counters_recent_calls_and_waiting(qtbot):
    state = DisplayState()
    recent = [{"ticket": ticket(7, "1005", 1, counter_id=3),
               "called_at": "2026-11-23T08:00:00+07:00",
               "counter": {"id": 3, "number": 3, "name": "Quầy 3"}}]
    snap = snapshot(counters=[counter(1), counter(3, current=ticket(7, "1005", counter_id=3)),
                              counter(2, status="paused")], recent=recent, last_event_id=42)
    snap["waiting"]["1"] = 4
    with qtbot.assertNotEmitted(state.call_highlighted):
        state.apply_snapshot(snap)
    assert [c.number for c in state.counters_in_order()] == [1, 2, 3]
    assert state.counter_by_number(3).ticket_number == "1005"
    assert state.counter_by_number(2).paused
    assert state.latest_call.number == "1005" and state.latest_call.counter_name == "Quầy 3"
    assert not state.highlighted, "a snapshot's calls are old news: shown, not highlighted"
    assert {s.name: n for s, n in state.waiting_by_service()}["Tư pháp – Hộ tịch"] == 4
    assert state.last_event_id == 42 and state.announce_repeat == 2


def test_a_call_puts_the_number_on_its_counter_and_highlights_it(qtbot):
    state = DisplayState()
    state.apply_snapshot(snapshot())
    with qtbot.waitSignal(state.call_highlighted) as blocker:
        assert state.apply_event(11, "ticket.called", called(5, "3001", 3, service_id=3,
                                                             waiting={"3": 2}))
    assert blocker.args[0].number == "3001"
    assert state.counter_by_number(3).ticket_number == "3001"
    assert state.highlighted and state.latest_call.counter_number == 3
    assert state.waiting[3] == 2


def test_events_the_snapshot_already_holds_are_not_applied_twice(qtbot):
    state = DisplayState()
    state.apply_snapshot(snapshot(last_event_id=20))
    assert not state.apply_event(19, "ticket.called", called(5, "3001", 3))
    assert state.counter_by_number(3).ticket_number is None
    assert state.apply_event(21, "ticket.called", called(6, "3002", 3))
    assert state.counter_by_number(3).ticket_number == "3002"


def test_recent_calls_newest_first_and_a_recall_moves_up_without_duplicating(qtbot):
    state = DisplayState()
    state.apply_snapshot(snapshot(last_event_id=0))
    for i, (number, c) in enumerate([("1001", 1), ("1002", 2), ("2001", 6)], start=1):
        state.apply_event(i, "ticket.called", called(i, number, c))
    state.apply_event(4, "ticket.called", called(1, "1001", 1, recall=True))
    assert [c.number for c in state.recent_calls] == ["1001", "2001", "1002"]
    assert state.latest_call.recall


def test_done_no_show_and_transfer_free_the_counter(qtbot):
    state = DisplayState()
    state.apply_snapshot(snapshot(last_event_id=0))
    for i, kind in enumerate(["ticket.done", "ticket.no_show", "ticket.transferred"]):
        state.apply_event(10 * i + 1, "ticket.called", called(100 + i, f"100{i}", 2))
        assert state.counter_by_number(2).ticket_number == f"100{i}"
        state.apply_event(10 * i + 2, kind, {"ticket": ticket(100 + i, f"100{i}")})
        assert state.counter_by_number(2).ticket_number is None, kind


def test_counter_paused_and_resumed(qtbot):
    state = DisplayState()
    state.apply_snapshot(snapshot(last_event_id=0))
    state.apply_event(1, "counter.updated", {"counter": counter(4, status="paused")})
    assert state.counter_by_number(4).paused
    state.apply_event(2, "counter.updated", {"counter": counter(4)})
    assert not state.counter_by_number(4).paused


def test_day_reset_clears_numbers_and_calls(qtbot):
    state = DisplayState()
    state.apply_snapshot(snapshot(last_event_id=0))
    state.apply_event(1, "ticket.called", called(1, "1001", 1, waiting={"1": 5}))
    state.apply_event(2, "day.reset", {"business_day": "2026-11-24"})
    assert state.counter_by_number(1).ticket_number is None
    assert state.recent_calls == [] and state.latest_call is None
    assert not state.highlighted and state.waiting_by_service()[0][1] == 0


def test_highlight_ends_by_itself(qtbot):
    state = DisplayState(highlight_s=0.1)
    state.apply_snapshot(snapshot(last_event_id=0))
    with qtbot.waitSignal(state.highlight_ended, timeout=1000):
        state.apply_event(1, "ticket.called", called(1, "1001", 1))
    assert not state.highlighted


def test_unknown_events_are_ignored_and_connection_is_reported_once(qtbot):
    state = DisplayState()
    state.apply_snapshot(snapshot())
    assert not state.apply_event(50, "device.status", {"status": "paper_out"})
    with qtbot.waitSignal(state.connection_changed) as blocker:
        state.set_connected(True)
    assert blocker.args == [True]
    with qtbot.assertNotEmitted(state.connection_changed):
        state.set_connected(True)


def test_the_hall_clock_runs_on_the_office_time_zone_and_admin_changes_arrive(qapp):
    import datetime as dt

    state = DisplayState()
    state.apply_snapshot({"office": {"name": "UBND phường Sài Gòn", "unit": "TTPVHCC",
                                     "timezone": "Asia/Ho_Chi_Minh"},
                          "counters": [], "recent_calls": [], "waiting": {}})
    now = state.office_now()
    assert now.utcoffset() == dt.timedelta(hours=7)
    state.apply_event(10, "office.updated", {"office": {
        "name": "UBND phường Sài Gòn", "unit": "TTPVHCC", "timezone": "Asia/Ho_Chi_Minh",
        "announcement": {"repeat": 3}, "display": {"notice": "Nghỉ trưa 11:30–13:30"}}})
    assert (state.office_name, state.notice, state.announce_repeat) == \
        ("UBND phường Sài Gòn", "Nghỉ trưa 11:30–13:30", 3)
