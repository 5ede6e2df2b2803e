"""Who a counter calls next.

A counter calls from the fields it serves, oldest first. Priority tickets go ahead of
normal ones, but never more than `priority_run` in a row while a normal one waits, and
a normal ticket that has waited longer than `max_wait` goes before anything issued after
it. Ties are broken by ticket id, so the order never depends on how a database sorts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple


class Candidate(NamedTuple):
    """A waiting ticket as the call rule sees it (in `choose_next`: the head of its queue).

    A named tuple: a line of a thousand is built on every read, so it must be cheap.
    """

    id: int
    queued_at: datetime
    is_priority: bool
    service_id: int = 0

    @property
    def order(self) -> tuple[datetime, int]:
        return (self.queued_at, self.id)


@dataclass(frozen=True)
class CallRules:
    priority_run: int = 2
    max_wait: timedelta | None = None


def choose_next(priority_head: Candidate | None, normal_head: Candidate | None,
                priority_streak: int, rules: CallRules, now: datetime) -> Candidate | None:
    """The ticket to call, given the oldest waiting priority and normal tickets.

    `priority_streak` is how many priority tickets this counter has called in a row
    while a normal one was waiting.
    """
    if priority_head is None or normal_head is None:
        return priority_head or normal_head
    if rules.max_wait is not None and now - normal_head.queued_at > rules.max_wait \
            and normal_head.order < priority_head.order:
        return normal_head
    if priority_streak >= rules.priority_run:
        return normal_head
    return priority_head


def streak_after(chosen: Candidate, normal_was_waiting: bool, priority_streak: int) -> int:
    """The counter's priority streak after calling `chosen`."""
    if not chosen.is_priority:
        return 0
    return priority_streak + 1 if normal_was_waiting else 0
