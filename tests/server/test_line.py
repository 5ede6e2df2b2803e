"""The line: one order for call-next, GET /counters/{id}/line, "people ahead", the printed
ticket and the office's waiting list — through the HTTP API, on the real storage."""

from __future__ import annotations

from dataclasses import replace

import pytest

from layso.server.domain.numbering import estimate_wait_s
from layso.ticket_printer.layout import render_ticket
from layso.ticket_printer.ticket import TicketData
from tests.support.api_office import (
    CLERK,
    DISPLAY,
    KIOSK,
    Field,
    Plan,
    open_office,
    postgres_database,
)
from tests.support.office_clock import Clock


@pytest.fixture
def office(tmp_path):
    day = open_office(tmp_path)
    yield day
    day.close()


def numbers(tickets: list[dict]) -> list[str]:
    return [t["number"] for t in tickets]


def office_json(office) -> dict:
    return office.request("GET", "/office", KIOSK).get_json()


def printed(ticket: dict, office: dict):
    return render_ticket(TicketData.from_api(ticket, office))


def test_one_normal_then_three_priority_line_people_ahead_print_and_calls_agree(office):
    """The issue's example, priority run 2: everything says 1002, 1003, 1001, 1004."""
    first = office.issue("TP")
    issued = [first]
    for _ in range(3):
        office.clock.advance(minutes=1)
        issued.append(office.issue("TP", "NCT"))
    expected = ["1002", "1003", "1001", "1004"]

    assert numbers(office.line(1)) == expected
    assert numbers(office.line(3)) == expected
    assert [t["waiting_ahead"] for t in office.line(1)] == [0, 1, 2, 3]
    by_number = {t["number"]: office.ticket(t["id"]) for t in issued}
    assert [by_number[n]["waiting_ahead"] for n in expected] == [0, 1, 2, 3]
    assert numbers(office.waiting()) == expected

    # The last ticket's paper, printed from the kiosk's answer, says 3 people ahead; and a
    # reprint of 1001 now says 2 (it printed 0 when it was alone).
    paper = office_json(office)
    last = TicketData.from_api(issued[-1], paper)
    assert last.waiting_ahead == 3
    assert printed(issued[-1], paper).tobytes() == render_ticket(
        replace(last, waiting_ahead=3)).tobytes()
    assert printed(issued[-1], paper).tobytes() != render_ticket(
        replace(last, waiting_ahead=2)).tobytes()
    assert first["waiting_ahead"] == 0 and by_number["1001"]["waiting_ahead"] == 2

    assert [office.call(1)["number"] for _ in range(4)] == expected
    assert office.call(1) is None


def test_a_limit_gives_the_first_of_the_line_with_the_same_people_ahead(office):
    for i in range(6):
        office.issue("TP", "NKT" if i % 3 == 2 else None)
        office.issue("DD")
        office.clock.advance(minutes=1)
    whole = office.line(3)
    assert len(whole) == 12
    for limit in (1, 2, 5, 12, 500):
        assert office.line(3, limit=limit) == whole[:limit]
    assert [t["waiting_ahead"] for t in whole] == \
        [office.ticket(t["id"])["waiting_ahead"] for t in whole]


def test_people_ahead_is_the_shortest_wait_over_the_open_counters_of_the_field(office):
    # Counter 1 serves TP; counter 3 serves TP and DD. Five DD citizens came first.
    for _ in range(5):
        office.issue("DD")
    office.clock.advance(minutes=1)
    tp = office.issue("TP")
    assert numbers(office.line(3))[-1] == tp["number"]       # sixth at counter 3
    assert tp["waiting_ahead"] == 0                         # but first at counter 1
    assert tp["estimated_wait_s"] == 0

    office.set_counter_status(1, "closed")
    again = office.ticket(tp["id"])
    assert again["waiting_ahead"] == 5
    # One open counter serves TP now, and nobody has been served: 8 minutes each.
    assert again["estimated_wait_s"] == estimate_wait_s(5, 1, 8 * 60) == 5 * 8 * 60
    # A closed counter's line is still its order; its people ahead come from counter 3.
    closed_line = office.line(1, limit=1)
    assert numbers(closed_line) == [tp["number"]] and closed_line[0]["waiting_ahead"] == 5

    office.set_counter_status(1, "paused")   # a paused clerk comes back: it counts
    assert office.ticket(tp["id"])["waiting_ahead"] == 0


def test_the_waiting_list_is_ordered_by_people_ahead_then_time(office):
    dd = [office.issue("DD") for _ in range(3)]
    office.clock.advance(minutes=1)
    tp = [office.issue("TP") for _ in range(2)]
    waiting = office.waiting()
    # DD 3001 heads counter 3 and TP 1001 heads counter 1: both 0, the older first.
    assert [(t["number"], t["waiting_ahead"]) for t in waiting] == [
        ("3001", 0), ("1001", 0), ("3002", 1), ("1002", 1), ("3003", 2)]
    only_tp = office.request("GET", "/tickets", DISPLAY,
                             query_string={"status": "waiting",
                                           "service_id": office.services["TP"]}).get_json()
    assert numbers(only_tp) == numbers(tp)
    assert {t["id"] for t in waiting} == {t["id"] for t in dd + tp}


def test_transfers_and_reactivated_no_shows_keep_their_time_in_the_line(office):
    office.issue("TP")                          # 1001 at 09:00
    office.clock.advance(minutes=1)
    office.issue("DD")                          # 3001 at 09:01
    office.clock.advance(minutes=1)
    office.issue("TP")                          # 1002 at 09:02
    called = office.call(1)
    assert called["number"] == "1001"
    office.act(f"/tickets/{called['id']}/transfer", service_id=office.services["DD"])
    assert numbers(office.line(3)) == ["1001", "3001", "1002"]

    no_show = office.call(1)
    assert no_show["number"] == "1002"
    office.act(f"/tickets/{no_show['id']}/no-show")
    office.clock.advance(minutes=5)
    office.issue("TP")                          # 1003 at 09:07
    office.act(f"/tickets/{no_show['id']}/reactivate")
    assert numbers(office.line(3)) == ["1001", "3001", "1002", "1003"]
    assert [office.call(3)["number"] for _ in range(4)] == ["1001", "3001", "1002", "1003"]


def test_the_line_route_refuses_a_bad_limit_an_unknown_counter_and_a_kiosk(office):
    office.issue("TP")
    base = f"/counters/{office.counters[1]}/line"
    for bad in ("0", "501", "-1", "abc", "1.5", "", "٣"):
        r = office.request("GET", base, DISPLAY, query_string={"limit": bad})
        assert r.status_code == 422, bad
        assert r.get_json()["error"]["code"] == "invalid_field"
        assert "limit" in r.get_json()["error"]["message"]
    assert office.request("GET", "/counters/9999/line", DISPLAY).status_code == 404
    assert office.request("GET", base, KIOSK).status_code == 403
    assert office.request("GET", base, CLERK).status_code == 200
    assert office.request("GET", base, DISPLAY, query_string={"limit": "500"}).status_code == 200


def test_a_field_no_open_counter_serves_cannot_issue(tmp_path):
    plan = Plan([Field("TP", "1"), Field("DD", "3")], {1: ["TP"], 2: ["DD"]})
    day = open_office(tmp_path, plan)
    try:
        day.set_counter_status(2, "closed")
        r = day.request("POST", "/tickets", KIOSK, json={"service_id": day.services["DD"]})
        assert r.status_code == 409
        assert r.get_json()["error"]["code"] == "service_no_counter"
        services = {s["code"]: s for s in day.request("GET", "/services", KIOSK).get_json()}
        assert services["DD"]["unavailable_reason"] == "no_counter"
        assert services["TP"]["available"] is True
        day.set_counter_status(2, "paused")      # paused still takes tickets
        assert day.issue("DD")["number"] == "3001"
    finally:
        day.close()


def test_the_streak_starts_only_once_a_normal_ticket_waits(office):
    """Only priority tickets wait, then a normal one comes: the run of two starts then."""
    for _ in range(4):
        office.issue("TP", "NCT")                  # 1001..1004
    assert office.call(1)["number"] == "1001"      # nobody normal waits: no streak
    assert office.call(1)["number"] == "1002"
    office.clock.advance(minutes=1)
    office.issue("TP")                             # 1005, normal
    assert numbers(office.line(1)) == ["1003", "1004", "1005"]
    assert [office.call(1)["number"] for _ in range(3)] == ["1003", "1004", "1005"]


def test_each_office_has_its_own_measured_service_time(tmp_path):
    """Two servers in one process: the busy one's 60 s never shows in the fresh one."""
    clock = Clock()                                 # one wall clock for both
    busy = open_office(tmp_path / "busy", clock=clock)
    fresh = open_office(tmp_path / "fresh", Plan(
        [Field("TP", "1"), Field("DD", "3")], {1: ["TP"], 3: ["TP", "DD"]},
        service_minutes=8), clock=clock)
    try:
        for _ in range(5):
            busy.issue("TP")
        for _ in range(4):                          # three served in 60 s each
            busy.call(1)
            busy.clock.advance(seconds=60)
        busy_tp = {s["code"]: s for s in busy.request("GET", "/services", KIOSK).get_json()}
        assert busy_tp["TP"]["waiting"] == 1
        assert busy_tp["TP"]["estimated_wait_s"] == 60   # 1 waiting, 2 counters, 60 s each

        fresh.issue("TP")
        fresh.issue("TP")
        fresh.set_counter_status(3, "closed")
        fresh_tp = {s["code"]: s for s in fresh.request("GET", "/services", KIOSK).get_json()}
        assert fresh_tp["TP"]["estimated_wait_s"] == 2 * 480
        assert fresh.ticket(fresh.line(1)[-1]["id"])["estimated_wait_s"] == 480
    finally:
        busy.close()
        fresh.close()


@pytest.mark.postgres
def test_the_line_on_postgresql(tmp_path):
    """The same order, heads and positions from PostgreSQL (aware times, its own SQL)."""
    with postgres_database() as url:
        office = open_office(tmp_path, db_url=url)
        try:
            first = office.issue("TP")
            for _ in range(3):
                office.clock.advance(minutes=1)
                office.issue("TP", "NCT")
            office.clock.advance(minutes=1)
            office.issue("DD")
            assert numbers(office.line(1)) == ["1002", "1003", "1001", "1004"]
            assert numbers(office.line(3)) == ["1002", "1003", "1001", "1004", "3001"]
            assert office.line(3, limit=2) == office.line(3)[:2]
            assert office.ticket(first["id"])["waiting_ahead"] == 2
            assert [office.call(3)["number"] for _ in range(5)] == \
                ["1002", "1003", "1001", "1004", "3001"]
        finally:
            office.close()
