"""Many generated office days: the line a counter shows is the order it then calls.

Each day has its own fields, counters serving overlapping fields, priority run 0..3 and
max wait on or off; citizens arrive (some with priority), clerks call, send no-shows away,
bring them back and transfer citizens to other fields while the clock moves. Through the
HTTP API on the real storage (in-process, SQLite in a temporary directory).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.api_office import KIOSK, ApiOffice, Field, Plan, open_office

FIELDS = [Field("TP", "1"), Field("DD", "3"), Field("KD", "5")]


@dataclass
class Day:
    plan: Plan
    actions: list[tuple]
    counter: int            # the counter whose line is checked at the end


@st.composite
def office_days(draw) -> Day:
    fields = FIELDS[:draw(st.integers(1, 3))]
    n_counters = draw(st.integers(1, 3))
    codes = [f.code for f in fields]
    counters = {number: sorted(draw(st.sets(st.sampled_from(codes), min_size=1)))
                for number in range(1, n_counters + 1)}
    plan = Plan(fields, counters, priority_run=draw(st.integers(0, 3)),
                max_wait_minutes=draw(st.sampled_from([0, 0, 5, 15])))
    counter_numbers = st.sampled_from(list(counters))
    action = st.one_of(
        st.tuples(st.just("issue"), st.sampled_from(codes), st.booleans()),
        st.tuples(st.just("issue"), st.sampled_from(codes), st.booleans()),
        st.tuples(st.just("wait"), st.integers(0, 12)),
        st.tuples(st.just("call"), counter_numbers),
        st.tuples(st.just("no_show"), counter_numbers),
        st.tuples(st.just("reactivate"), st.integers(0, 5)),
        st.tuples(st.just("transfer"), counter_numbers, st.sampled_from(codes), st.booleans()),
    )
    actions = draw(st.lists(action, min_size=4, max_size=35))
    return Day(plan, actions, draw(counter_numbers))


def numbers(tickets: list[dict]) -> list[str]:
    return [t["number"] for t in tickets]


def live_through(office: ApiOffice, day: Day) -> None:
    """The day's actions; before each call, the head of the line is what gets called."""
    at_desk: dict[int, dict] = {}
    no_shows: list[dict] = []
    for action in day.actions:
        kind = action[0]
        if kind == "issue":
            _, code, priority = action
            r = office.request("POST", "/tickets", KIOSK,
                               json={"service_id": office.services[code]}
                               | ({"priority": "NCT"} if priority else {}))
            assert r.status_code in (201, 409), r.get_json()
        elif kind == "wait":
            office.clock.advance(minutes=action[1])
        elif kind == "call":
            head = numbers(office.line(action[1], limit=1))
            called = office.call(action[1])
            assert head == ([called["number"]] if called else [])
            if called:
                at_desk[action[1]] = called
            else:
                at_desk.pop(action[1], None)
        elif kind == "no_show" and action[1] in at_desk:
            ticket = at_desk.pop(action[1])
            no_shows.append(office.act(f"/tickets/{ticket['id']}/no-show"))
        elif kind == "reactivate" and no_shows:
            ticket = no_shows.pop(action[1] % len(no_shows))
            office.act(f"/tickets/{ticket['id']}/reactivate")
        elif kind == "transfer" and action[1] in at_desk:
            _, number, code, keep_time = action
            if at_desk[number]["service_code"] != code:
                ticket = at_desk.pop(number)
                office.act(f"/tickets/{ticket['id']}/transfer",
                           service_id=office.services[code], keep_time=keep_time)


def calls_until_empty(office: ApiOffice, counter: int) -> list[dict]:
    called = []
    while (ticket := office.call(counter)) is not None:
        called.append(ticket)
    return called


def run_day(day: Day, check) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        office = open_office(Path(tmp), day.plan)
        try:
            live_through(office, day)
            check(office, day.counter)
        finally:
            office.close()


SETTINGS = settings(max_examples=30, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(office_days())
def test_with_no_new_arrivals_a_counter_calls_exactly_its_line(day):
    def check(office: ApiOffice, counter: int) -> None:
        line = office.line(counter)
        for limit in (1, 3):
            assert office.line(counter, limit=limit) == line[:limit]
        assert numbers(calls_until_empty(office, counter)) == numbers(line)
    run_day(day, check)


@SETTINGS
@given(office_days())
def test_with_one_counter_open_people_ahead_is_how_many_are_called_first(day):
    def check(office: ApiOffice, counter: int) -> None:
        for other in day.plan.counters:
            if other != counter:
                office.set_counter_status(other, "closed")
        served = {office.services[code] for code in day.plan.counters[counter]}
        ahead = {t["id"]: t["waiting_ahead"] for t in office.waiting()
                 if t["service_id"] in served}
        called = calls_until_empty(office, counter)
        assert {t["id"]: i for i, t in enumerate(called)} == ahead
    run_day(day, check)
