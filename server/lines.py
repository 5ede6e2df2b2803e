"""The office's lines as read from the database: one statement, then the domain's rule.

A full read fetches every waiting ticket of the day in one ordered statement; a read of
the first N (a console's list, call-next's head) fetches the first N of each queue
(field and kind) in one statement, each part a LIMIT on the covering index
ix_tickets_line. Each counter's line and each ticket's people ahead are then computed
in Python by `domain.line`, so the number of statements does not grow with the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, select, union_all
from sqlalchemy.orm import Session

from layso.server.domain.line import counts_as_open, line
from layso.server.domain.policy import CallRules, Candidate
from layso.server.domain.tickets import Status
from layso.server.storage.tables import Counter, Ticket, utc

_COLUMNS = (Ticket.id, Ticket.queued_at, Ticket.is_priority, Ticket.service_id)
_IN_LINE = (Ticket.office_id == bindparam("office"), Ticket.status == Status.WAITING,
            Ticket.business_day == bindparam("day"))
_ALL_WAITING = select(*_COLUMNS).where(*_IN_LINE).order_by(Ticket.queued_at, Ticket.id)


def fetch_waiting(session: Session, office_id: int, day: date,
                  service_ids: Iterable[int] | None = None,
                  depth: int | None = None) -> list[Candidate]:
    """The day's waiting tickets (of these fields), or only the first `depth` of each queue."""
    values = {"office": office_id, "day": day}
    if depth is None:
        rows = session.execute(_ALL_WAITING, values).all()
        wanted = None if service_ids is None else set(service_ids)
        return [Candidate(i, utc(queued_at), priority, service)
                for i, queued_at, priority, service in rows
                if wanted is None or service in wanted]
    # "is_priority = true", not "IS true": PostgreSQL would not use the index for IS.
    heads = [select(*_COLUMNS).where(*_IN_LINE, Ticket.service_id == service_id,
                                     Ticket.is_priority == kind)
             .order_by(Ticket.queued_at, Ticket.id).limit(depth).subquery()
             for service_id in sorted(set(service_ids or ())) for kind in (True, False)]
    if not heads:
        return []
    rows = session.execute(union_all(*(select(head) for head in heads)), values).all()
    return [Candidate(r.id, utc(r.queued_at), r.is_priority, r.service_id) for r in rows]


@dataclass
class Lines:
    """Every counter's line in one office at one moment, from one fetch.

    With `depth` set, `waiting` holds only the first `depth` tickets of each queue: then
    each line is exact for its first `depth` tickets and is cut there, and `ahead`
    answers None for a ticket it cannot place (the caller then reads the whole line).
    """

    waiting: Sequence[Candidate]
    counters: Sequence[Counter]          # the office's counters, by number
    links: dict[int, list[int]]          # counter id → the fields it serves
    rules: CallRules
    now: datetime
    depth: int | None = None
    _lines: dict[int, list[Candidate]] = field(default_factory=dict)
    _places: dict[int, dict[int, int]] = field(default_factory=dict)

    def of(self, counter: Counter) -> list[Candidate]:
        """The counter's line: its fields' waiting tickets in the order it will call them."""
        if counter.id not in self._lines:
            fields = set(self.links.get(counter.id, ()))
            self._lines[counter.id] = line(
                [c for c in self.waiting if c.service_id in fields],
                counter.priority_streak, self.rules, self.now, self.depth)
        return self._lines[counter.id]

    def ahead(self, ticket_id: int, service_id: int) -> int | None:
        """How many a waiting ticket has before it: the smallest, over the open counters
        serving its field, of its index in that counter's line.

        A field that no open counter serves counts every counter serving it, and a field
        no counter serves has the line of that field alone, as a counter would call it.
        """
        serving = [c for c in self.counters if service_id in self.links.get(c.id, ())]
        places = [self._place(c.id, lambda c=c: self.of(c)) for c in
                  ([c for c in serving if counts_as_open(c.status)] or serving)]
        if not serving:
            places = [self._place(-service_id, lambda: line(
                [c for c in self.waiting if c.service_id == service_id], 0, self.rules,
                self.now, self.depth))]
        found = [p[ticket_id] for p in places if ticket_id in p]
        return min(found) if found else None

    def _place(self, key: int, build) -> dict[int, int]:
        if key not in self._places:
            self._places[key] = {c.id: i for i, c in enumerate(build())}
        return self._places[key]
