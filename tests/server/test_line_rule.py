"""The line as a plain rule (domain/line.py), without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from layso.server.domain.line import calls, line
from layso.server.domain.policy import CallRules, Candidate

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def ticket(id_: int, minute: int, priority: bool = False, service: int = 1) -> Candidate:
    return Candidate(id_, T0 + timedelta(minutes=minute), priority, service)


def ids(tickets: list[Candidate]) -> list[int]:
    return [t.id for t in tickets]


def test_run_of_two_interleaves_priorities_with_the_oldest_normal():
    waiting = [ticket(1, 0), ticket(2, 1, True), ticket(3, 2, True), ticket(4, 3, True),
               ticket(5, 4), ticket(6, 5, True)]
    assert ids(line(waiting, 0, CallRules(priority_run=2), T0)) == [2, 3, 1, 4, 6, 5]
    # the counter has already called two priorities in a row: the normal one is due
    assert ids(line(waiting, 2, CallRules(priority_run=2), T0)) == [1, 2, 3, 5, 4, 6]


def test_a_run_of_zero_lets_no_priority_pass_a_waiting_normal_ticket():
    waiting = [ticket(1, 5), ticket(2, 0, True), ticket(3, 6)]
    assert ids(line(waiting, 0, CallRules(priority_run=0), T0)) == [1, 3, 2]


def test_an_overdue_normal_ticket_goes_before_priorities_issued_after_it():
    waiting = [ticket(1, 0), ticket(2, 5, True), ticket(3, 50, True)]
    rules = CallRules(priority_run=9, max_wait=timedelta(minutes=30))
    assert ids(line(waiting, 0, rules, T0 + timedelta(minutes=20))) == [2, 3, 1]
    assert ids(line(waiting, 0, rules, T0 + timedelta(minutes=40))) == [1, 2, 3]


def test_the_line_mixes_fields_by_time_and_breaks_ties_by_id():
    waiting = [ticket(7, 0, service=2), ticket(5, 0, service=1), ticket(6, 1, service=1)]
    assert ids(line(waiting, 0, CallRules(), T0)) == [5, 7, 6]


def test_each_call_carries_the_streak_the_counter_will_have():
    waiting = [ticket(1, 0), ticket(2, 1, True), ticket(3, 2, True)]
    assert [(c.ticket.id, c.streak) for c in calls(waiting, 0, CallRules(), T0)] == \
        [(2, 1), (3, 2), (1, 0)]


waiting_lists = st.lists(
    st.tuples(st.integers(0, 120), st.booleans(), st.integers(1, 3)), max_size=40,
).map(lambda rows: [ticket(i + 1, m, p, s) for i, (m, p, s) in enumerate(rows)])
rules_ = st.builds(CallRules, priority_run=st.integers(0, 3),
                   max_wait=st.sampled_from([None, timedelta(minutes=10),
                                             timedelta(minutes=60)]))


@settings(max_examples=300, deadline=None)
@given(waiting_lists, st.integers(0, 3), rules_, st.integers(0, 200), st.integers(1, 12))
def test_the_first_n_need_only_the_first_n_of_each_queue(waiting, streak, rules, minute,
                                                         depth):
    """What lets GET /line?limit=N and call-next read only each queue's first N."""
    now = T0 + timedelta(minutes=minute)
    whole = line(waiting, streak, rules, now)
    assert sorted(ids(whole)) == sorted(ids(waiting))
    heads = []
    for service in (1, 2, 3):
        for kind in (True, False):
            queue = sorted((t for t in waiting if t.service_id == service
                            and t.is_priority == kind), key=lambda t: (t.queued_at, t.id))
            heads += queue[:depth]
    assert line(heads, streak, rules, now, depth) == whole[:depth]
