"""The line: a counter's waiting tickets in the order it will call them.

This is the one place the order is decided. Call-next takes the first call of `calls`,
GET /counters/{id}/line lists `line`, and a ticket's "people ahead" is its index in the
lines of the counters serving its field. Each step asks `choose_next` (policy.py) with
the heads of the priority and the normal queue, exactly as a real call does, and
carries the counter's priority streak on with `streak_after`; so the line is what the
counter would call if nobody new arrived and the clock stood still.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from operator import attrgetter
from typing import NamedTuple

from layso.server.domain.policy import CallRules, Candidate, choose_next, streak_after


class Call(NamedTuple):
    """One call of the line: the ticket, and the counter's priority streak after it."""

    ticket: Candidate
    streak: int


def calls(waiting: Iterable[Candidate], priority_streak: int, rules: CallRules,
          now: datetime) -> Iterator[Call]:
    """The calls a counter makes, in order, from the waiting tickets of its fields.

    `priority_streak` is the counter's streak now. For the first N calls the first N
    tickets of each queue (field and kind) are enough: no call reaches deeper into a
    queue than the number of calls made so far.
    """
    priority = sorted((c for c in waiting if c.is_priority), key=_order)
    normal = sorted((c for c in waiting if not c.is_priority), key=_order)
    p = n = 0
    streak = priority_streak
    while True:
        p_head = priority[p] if p < len(priority) else None
        n_head = normal[n] if n < len(normal) else None
        chosen = choose_next(p_head, n_head, streak, rules, now)
        if chosen is None:
            return
        streak = streak_after(chosen, n_head is not None, streak)
        if chosen.is_priority:
            p += 1
        else:
            n += 1
        yield Call(chosen, streak)


def line(waiting: Iterable[Candidate], priority_streak: int, rules: CallRules,
         now: datetime, limit: int | None = None) -> list[Candidate]:
    """The waiting tickets in the order the counter will call them (the first `limit`)."""
    return [call.ticket for call in islice(calls(waiting, priority_streak, rules, now), limit)]


# Candidate.order, (queued_at, id), as a C getter: a line of a thousand is sorted per read.
_order = attrgetter("queued_at", "id")


def counts_as_open(counter_status: str) -> bool:
    """Whether a counter counts among the open ones (for positions, estimates, issuing).

    A paused counter does: its clerk comes back to the same line. A closed one does not.
    """
    return counter_status != "closed"
