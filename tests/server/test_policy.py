"""Who a counter calls next — the rule on its own, with plain objects."""

from datetime import UTC, datetime, timedelta

from layso.server.domain.policy import CallRules, Candidate, choose_next, streak_after

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def at(minutes: float, id_: int, priority: bool = False) -> Candidate:
    return Candidate(id_, T0 + timedelta(minutes=minutes), priority)


def test_nobody_waiting_calls_nobody():
    assert choose_next(None, None, 0, CallRules(), T0) is None


def test_only_one_kind_waiting_calls_it():
    normal = at(0, 1)
    priority = at(5, 2, True)
    assert choose_next(None, normal, 0, CallRules(), T0) == normal
    assert choose_next(priority, None, 5, CallRules(), T0) == priority


def test_priority_goes_ahead_of_an_older_normal_ticket():
    assert choose_next(at(5, 2, True), at(0, 1), 0, CallRules(), T0 + timedelta(minutes=6)).id == 2


def test_after_the_run_cap_a_waiting_normal_ticket_is_served():
    rules = CallRules(priority_run=2)
    now = T0 + timedelta(minutes=10)
    assert choose_next(at(5, 2, True), at(0, 1), 1, rules, now).id == 2
    assert choose_next(at(5, 2, True), at(0, 1), 2, rules, now).id == 1


def test_a_normal_ticket_waiting_too_long_goes_before_priorities_issued_after_it():
    rules = CallRules(priority_run=5, max_wait=timedelta(minutes=30))
    normal, priority = at(0, 1), at(10, 2, True)
    assert choose_next(priority, normal, 0, rules, T0 + timedelta(minutes=29)).id == 2
    assert choose_next(priority, normal, 0, rules, T0 + timedelta(minutes=31)).id == 1


def test_an_overdue_normal_ticket_does_not_jump_a_priority_issued_before_it():
    rules = CallRules(priority_run=5, max_wait=timedelta(minutes=30))
    assert choose_next(at(0, 1, True), at(5, 2), 0, rules, T0 + timedelta(hours=2)).id == 1


def test_ties_in_time_are_broken_by_id_not_by_database_order():
    rules = CallRules(priority_run=0, max_wait=timedelta(minutes=1))
    same_time_normal = Candidate(3, T0, False)
    same_time_priority = Candidate(4, T0, True)
    # overdue normal with the lower id counts as issued first
    assert choose_next(same_time_priority, same_time_normal, 0, rules,
                       T0 + timedelta(minutes=5)).id == 3


def test_streak_counts_priority_calls_only_while_a_normal_one_waits():
    assert streak_after(at(0, 1, True), normal_was_waiting=True, priority_streak=1) == 2
    assert streak_after(at(0, 1, True), normal_was_waiting=False, priority_streak=1) == 0
    assert streak_after(at(0, 1), normal_was_waiting=True, priority_streak=2) == 0


def test_a_streak_begins_only_when_a_normal_ticket_arrives_behind_the_priorities():
    """Only priority tickets wait: calling them starts no streak. A normal one arrives:
    with a run of two, two more priorities go first, then the normal one."""
    from layso.server.domain.line import calls

    rules = CallRules(priority_run=2)
    waiting = [at(i, i + 1, True) for i in range(4)]       # priority 1..4
    streak, called = 0, []
    for step in range(5):
        if step == 2:
            waiting.append(at(10, 9))                      # normal 9 arrives
        first = next(calls(waiting, streak, rules, T0 + timedelta(hours=1)))
        waiting.remove(first.ticket)
        streak = first.streak
        called.append((first.ticket.id, streak))
    assert called == [(1, 0), (2, 0), (3, 1), (4, 2), (9, 0)]
