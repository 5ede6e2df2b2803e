"""The office's lines as read from the database: one statement, then the domain's rule.

A full read fetches every waiting ticket of the day in one ordered statement; a read of
the first N (a console's list, call-next's head) fetches the first N of each queue
(field and kind) in one statement, each part a LIMIT on the covering index
ix_tickets_line. Each counter's line and each ticket's people ahead are then computed
in Python by `domain.line`, so the number of statements does not grow with the line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice, zip_longest

from sqlalchemy import String, bindparam, select, type_coerce, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from layso.server.domain.line import Call, calls, counts_as_open, line
from layso.server.domain.policy import CallRules, Candidate
from layso.server.domain.tickets import Status
from layso.server.storage.tables import Counter, Ticket

T = Ticket.__table__
_IN_LINE = (T.c.office_id == bindparam("office"), T.c.status == Status.WAITING,
            T.c.business_day == bindparam("day"))
_ORDER = (T.c.queued_at, T.c.id)


class _Statements:
    """The line's statements for one dialect, built once. What the rule reads: id,
    queued_at, is_priority, service_id. SQLite keeps times as naive UTC text: it is read
    as text and parsed here as UTC (a tenth of what a datetime conversion per row costs)."""

    def __init__(self, dialect: str):
        queued_at = type_coerce(T.c.queued_at, String).concat("+00:00").label("queued_at") \
            if dialect == "sqlite" else T.c.queued_at
        self.as_text = dialect == "sqlite"
        self.columns = (T.c.id, queued_at, T.c.is_priority, T.c.service_id)
        self.all = select(*self.columns).where(*_IN_LINE).order_by(*_ORDER)
        self.some = select(*self.columns).where(
            *_IN_LINE, T.c.service_id.in_(bindparam("services", expanding=True))
        ).order_by(*_ORDER)
        self.heads: dict[tuple[tuple[int, ...], int], object] = {}

    def first_of_each(self, service_ids: tuple[int, ...], depth: int):
        """The first `depth` of each queue (field and kind) of these fields."""
        stmt = self.heads.get((service_ids, depth))
        if stmt is None:
            if len(self.heads) > 1000:
                self.heads.clear()
            # "is_priority = true", not "IS true": PostgreSQL would not use the index for IS.
            parts = [select(*self.columns).where(*_IN_LINE, T.c.service_id == service_id,
                                                 T.c.is_priority == kind)
                     .order_by(*_ORDER).limit(depth).subquery()
                     for service_id in service_ids for kind in (True, False)]
            stmt = self.heads[service_ids, depth] = union_all(*(select(p) for p in parts))
        return stmt

    def candidates(self, conn: Connection, stmt, values: dict) -> list[Candidate]:
        """The rows straight from the driver's cursor: a line of a thousand is read on
        every issue, and a result row object per ticket would cost more than the read."""
        result = conn.execute(stmt, values)
        try:
            rows = result.cursor.fetchall()
        finally:
            result.close()
        if self.as_text:
            parse = datetime.fromisoformat
            return [Candidate(i, parse(queued_at), bool(priority), service)
                    for i, queued_at, priority, service in rows]
        return [Candidate._make(row) for row in rows]


_BY_DIALECT: dict[str, _Statements] = {}


def fetch_waiting(session: Session, office_id: int, day: date,
                  service_ids: Iterable[int] | None = None,
                  depth: int | None = None) -> list[Candidate]:
    """The day's waiting tickets (of these fields), or only the first `depth` of each queue."""
    conn = session.connection()
    name = conn.dialect.name
    statements = _BY_DIALECT.get(name) or _BY_DIALECT.setdefault(name, _Statements(name))
    values = {"office": office_id, "day": day}
    if depth is None:
        if service_ids is None:
            return statements.candidates(conn, statements.all, values)
        return statements.candidates(conn, statements.some,
                                     values | {"services": sorted(service_ids)})
    fields = tuple(sorted(set(service_ids or ())))
    if not fields:
        return []
    return statements.candidates(conn, statements.first_of_each(fields, depth), values)


def deciding_fields(counters: Sequence[Counter], links: dict[int, list[int]],
                    service_id: int) -> frozenset[int]:
    """The fields whose tickets can stand before one of this field in some line: those of
    the counters serving it (the field alone when none does)."""
    fields = {service_id}
    for counter in counters:
        served = links.get(counter.id, ())
        if service_id in served:
            fields.update(served)
    return frozenset(fields)


@dataclass
class Lines:
    """Every counter's line in one office at one moment, from one fetch.

    With `depth` set, `waiting` holds only the first `depth` tickets of each queue: then
    each line is exact for its first `depth` tickets and is cut there, and `ahead`
    answers None for a ticket it cannot place (the caller then reads the whole line).
    With `fields` set, `waiting` holds only those fields' tickets: `ahead` answers for a
    ticket whose deciding fields are all among them, None for any other.
    """

    waiting: Sequence[Candidate]
    counters: Sequence[Counter]          # the office's counters, by number
    links: dict[int, list[int]]          # counter id → the fields it serves
    rules: CallRules
    now: datetime
    depth: int | None = None
    fields: frozenset[int] | None = None  # the fields `waiting` holds (None: every field)
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
        serving its field, of its index in that counter's line (kept for the next ticket).

        A field that no open counter serves counts every counter serving it, and a field
        no counter serves has the line of that field alone, as a counter would call it.
        """
        if not self._covers(service_id):
            return None
        found = [places[ticket_id] for places in
                 (self._place(key, streak, fields) for key, streak, fields in
                  self._counted(service_id)) if ticket_id in places]
        return min(found) if found else None

    def ahead_of_one(self, ticket_id: int, service_id: int) -> int | None:
        """`ahead` for one ticket: the lines are walked side by side only until one
        reaches it, and nothing is kept."""
        if not self._covers(service_id):
            return None
        walks = [self._calls(streak, fields) for _key, streak, fields in
                 self._counted(service_id)]
        if len(walks) == 1:  # the usual case: one open counter decides
            return next((i for i, call in enumerate(walks[0]) if call.ticket.id == ticket_id),
                        None)
        for index, step in enumerate(zip_longest(*walks)):
            for call in step:
                if call is not None and call.ticket.id == ticket_id:
                    return index
        return None

    def _covers(self, service_id: int) -> bool:
        return self.fields is None or \
            deciding_fields(self.counters, self.links, service_id) <= self.fields

    def _counted(self, service_id: int) -> list[tuple[int, int, list[int]]]:
        """(key, priority streak, fields) of each line that places a ticket of the field."""
        serving = [c for c in self.counters if service_id in self.links.get(c.id, ())]
        if not serving:
            return [(-service_id, 0, [service_id])]
        counted = [c for c in serving if counts_as_open(c.status)] or serving
        return [(c.id, c.priority_streak, self.links[c.id]) for c in counted]

    def _calls(self, streak: int, fields: list[int]) -> Iterator[Call]:
        wanted = set(fields)
        found = calls([c for c in self.waiting if c.service_id in wanted], streak, self.rules,
                      self.now)
        return found if self.depth is None else islice(found, self.depth)

    def _place(self, key: int, streak: int, fields: list[int]) -> dict[int, int]:
        if key not in self._places:
            self._places[key] = {call.ticket.id: i for i, call in
                                   enumerate(self._calls(streak, fields))}
        return self._places[key]
