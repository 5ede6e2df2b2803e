"""The office's rows as plain tuples, read and written with Core statements built once.

Issue, call-next, done / no-show and the reads of a ticket and a line run on these: no
ORM unit of work, no instances to load or flush. A row reads by column name as the ORM
object did (`ticket.number`, `counter.priority_streak`), so the read models
(snapshots.py) take either; a changed row is a new tuple (`row._replace(...)`).

Each statement is built once here; a use binds only values, so SQLAlchemy compiles it
once per process.
"""

from __future__ import annotations

import json
from collections import namedtuple
from datetime import date

from sqlalchemy import String, bindparam, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from layso.server.domain.tickets import Status
from layso.server.storage.tables import (
    Counter,
    CounterService,
    Event,
    IdempotencyKey,
    NumberSequence,
    Office,
    PriorityCategory,
    Service,
    Ticket,
)

OFFICES = Office.__table__
SERVICES = Service.__table__
COUNTERS = Counter.__table__
LINKS = CounterService.__table__
TICKETS = Ticket.__table__
EVENTS = Event.__table__
SEQUENCES = NumberSequence.__table__
CATEGORIES = PriorityCategory.__table__
KEYS = IdempotencyKey.__table__

TicketRow = namedtuple("TicketRow", [c.name for c in TICKETS.c])
CounterRow = namedtuple("CounterRow", [c.name for c in COUNTERS.c])
_COUNTER_WIDTH = len(CounterRow._fields)


def connection(session: Session) -> Connection:
    """The transaction's connection: Core statements run on it directly."""
    return session.connection()


# --- the office, its fields and counters --------------------------------------------------

_WAITING_IN = (TICKETS.c.office_id == bindparam("office"), TICKETS.c.status == Status.WAITING,
               TICKETS.c.business_day == bindparam("day"))
# The fields and how many wait in each, in one statement (each count from the line index).
_SERVICES = (select(SERVICES, select(func.count()).where(
                 *_WAITING_IN, TICKETS.c.service_id == SERVICES.c.id)
                 .scalar_subquery().label("waiting_now"))
             .where(SERVICES.c.office_id == bindparam("office"))
             .order_by(SERVICES.c.position, SERVICES.c.id))
_WAITING_BY_SERVICE = (
    select(TICKETS.c.service_id, func.count())
    .where(*_WAITING_IN).group_by(TICKETS.c.service_id))
# Counters and the fields each serves in one statement (a counter serving none: one row).
_COUNTERS = (select(COUNTERS, LINKS.c.service_id.label("link"))
             .outerjoin(LINKS, LINKS.c.counter_id == COUNTERS.c.id)
             .where(COUNTERS.c.office_id == bindparam("office"))
             .order_by(COUNTERS.c.number, LINKS.c.service_id))
_CATEGORIES = select(CATEGORIES.c.code, CATEGORIES.c.name, CATEGORIES.c.active).where(
    CATEGORIES.c.office_id == bindparam("office"))


_OFFICES: dict[str, object] = {}


def office(session: Session, office_id: int) -> tuple[object, dict[str, tuple[str, bool]]]:
    """The office's row (None if there is none; with `last_event_id`, the newest event's)
    and its priority categories (code → (name, active)), in one statement: whether a
    ticket shown is a priority one then does not change how many statements a request
    sends."""
    conn = connection(session)
    stmt = _OFFICES.get(conn.dialect.name)
    if stmt is None:
        stmt = _OFFICES[conn.dialect.name] = select(
            OFFICES, _categories_json(conn.dialect.name), _LAST_EVENT_ID,
        ).where(OFFICES.c.id == bindparam("office"))
    row = conn.execute(stmt, {"office": office_id}).first()
    if row is None:
        return None, {}
    found = row.categories_json
    if isinstance(found, str):
        found = json.loads(found)
    return row, {code: (name, bool(active)) for code, name, active in found or ()}


# The newest event of the database: while it stays the same, no ticket has moved
# (known_waiting.py).
_LAST_EVENT_ID = select(func.coalesce(func.max(EVENTS.c.id), 0)).scalar_subquery() \
    .label("last_event_id")


def _categories_json(dialect: str):
    """[[code, name, active], ...] of the office's categories, as one JSON value."""
    if dialect == "postgresql":
        agg, array = func.json_agg, func.json_build_array
    else:
        agg, array = func.json_group_array, func.json_array
    return (select(agg(array(CATEGORIES.c.code, CATEGORIES.c.name, CATEGORIES.c.active)))
            .where(CATEGORIES.c.office_id == OFFICES.c.id)
            .scalar_subquery().label("categories_json"))


def services(session: Session, office_id: int, day: date) -> tuple[dict, dict[int, int]]:
    """The office's fields by id, in their order on the kiosk; and how many wait in each."""
    found = connection(session).execute(_SERVICES, {"office": office_id, "day": day}).all()
    return {row.id: row for row in found}, {row.id: row.waiting_now for row in found}


def waiting_by_service(session: Session, office_id: int, day: date) -> dict[int, int]:
    rows = connection(session).execute(_WAITING_BY_SERVICE, {"office": office_id, "day": day})
    return dict(rows.all())


def counters(session: Session, office_id: int) -> tuple[list[CounterRow], dict[int, list[int]]]:
    """The office's counters by number, and counter id → the fields it serves."""
    found: dict[int, CounterRow] = {}
    links: dict[int, list[int]] = {}
    for row in connection(session).execute(_COUNTERS, {"office": office_id}):
        if row.id not in found:
            found[row.id] = CounterRow(*row[:_COUNTER_WIDTH])
        if row.link is not None:
            links.setdefault(row.id, []).append(row.link)
    return list(found.values()), links


def categories(session: Session, office_id: int) -> dict[str, tuple[str, bool]]:
    """Priority category code → (name, active)."""
    rows = connection(session).execute(_CATEGORIES, {"office": office_id})
    return {code: (name, active) for code, name, active in rows}


# --- tickets --------------------------------------------------------------------------------

_TICKET = select(TICKETS).where(TICKETS.c.id == bindparam("ticket"))
_INSERT_TICKET = insert(TICKETS).returning(TICKETS.c.id)
# Waiting → called only if still waiting: two counters never get the same ticket.
_CLAIM = (update(TICKETS)
          .where(TICKETS.c.id == bindparam("ticket"), TICKETS.c.status == Status.WAITING)
          .values(status=Status.CALLED, counter_id=bindparam("counter"),
                  called_at=bindparam("at"), called_by=bindparam("user"))
          .returning(*TICKETS.c))
def _finishing(*where):
    """Called → done / no-show (a dossier code given at done kept on the ticket)."""
    return (update(TICKETS).where(TICKETS.c.id == bindparam("ticket"),
                                  TICKETS.c.status == Status.CALLED, *where)
            .values(status=bindparam("to_status"), finished_at=bindparam("at"),
                    dossier_code=func.coalesce(bindparam("dossier", type_=String),
                                               TICKETS.c.dossier_code))
            .returning(*TICKETS.c))


_FINISH = _finishing(TICKETS.c.office_id == bindparam("office"))
_FINISH_AT = _finishing(TICKETS.c.counter_id == bindparam("counter"))  # the counter's own
_RECALL = (update(TICKETS)
           .where(TICKETS.c.id == bindparam("ticket"), TICKETS.c.status == Status.CALLED)
           .values(recall_count=TICKETS.c.recall_count + 1)
           .returning(*TICKETS.c))
_SET_COUNTER = (update(COUNTERS).where(COUNTERS.c.id == bindparam("counter"))
                .values(current_ticket_id=bindparam("current"),
                        priority_streak=bindparam("streak")))


def ticket(session: Session, ticket_id: int) -> TicketRow | None:
    row = connection(session).execute(_TICKET, {"ticket": ticket_id}).first()
    return None if row is None else TicketRow(*row)


_IN_STATE = (select(TICKETS).where(
    TICKETS.c.office_id == bindparam("office"), TICKETS.c.status == bindparam("status"),
    TICKETS.c.business_day == bindparam("day"))
    .order_by(TICKETS.c.id.desc()).limit(bindparam("limit")))
_IN_STATE_OF = _IN_STATE.where(TICKETS.c.service_id == bindparam("service"))
_THESE = select(TICKETS).where(TICKETS.c.id.in_(bindparam("ids", expanding=True)))
_ALL_WAITING = select(TICKETS).where(*_WAITING_IN)


def tickets_in_state(session: Session, office_id: int, day: date, status: str,
                     service_id: int | None, limit: int) -> list[TicketRow]:
    """Today's tickets in one state (of one field), newest first."""
    values = {"office": office_id, "day": day, "status": status, "limit": limit,
              "service": service_id}
    stmt = _IN_STATE if service_id is None else _IN_STATE_OF
    return [TicketRow(*row) for row in connection(session).execute(stmt, values)]


def waiting_tickets(session: Session, office_id: int, day: date,
                    ids: list[int]) -> list[TicketRow]:
    """These tickets (past 900 ids, all of today's waiting ones: SQLite takes at most 999
    parameters)."""
    if not ids:
        return []
    stmt, values = (_THESE, {"ids": ids}) if len(ids) <= 900 else \
        (_ALL_WAITING, {"office": office_id, "day": day})
    return [TicketRow(*row) for row in connection(session).execute(stmt, values)]


def insert_ticket(session: Session, values: dict) -> TicketRow:
    """Store a new ticket; the row as stored, with its id."""
    row = TicketRow(**{"id": None, "called_at": None, "finished_at": None, "counter_id": None,
                       "called_by": None, "recall_count": 0, "device_id": None,
                       "dossier_code": None} | values)
    values = row._asdict()
    del values["id"]
    new_id = connection(session).execute(_INSERT_TICKET, values).scalar_one()
    return row._replace(id=new_id)


def claim(session: Session, ticket_id: int, counter_id: int, at, user_id: int | None
          ) -> TicketRow | None:
    row = connection(session).execute(_CLAIM, {"ticket": ticket_id, "counter": counter_id,
                                               "at": at, "user": user_id}).first()
    return None if row is None else TicketRow(*row)


def finish(session: Session, office_id: int, ticket_id: int, to_status: str, at,
           dossier_code: str | None = None) -> TicketRow | None:
    """A called ticket of the office → `to_status`; None if it is not called (or not here)."""
    row = connection(session).execute(_FINISH, {
        "ticket": ticket_id, "office": office_id, "to_status": to_status, "at": at,
        "dossier": dossier_code}).first()
    return None if row is None else TicketRow(*row)


def finish_at(session: Session, counter_id: int, ticket_id: int, at) -> TicketRow | None:
    """The counter's current ticket → done, if it is still called at that counter."""
    row = connection(session).execute(_FINISH_AT, {
        "ticket": ticket_id, "counter": counter_id, "to_status": Status.DONE, "at": at,
        "dossier": None}).first()
    return None if row is None else TicketRow(*row)


def recall(session: Session, ticket_id: int) -> TicketRow | None:
    row = connection(session).execute(_RECALL, {"ticket": ticket_id}).first()
    return None if row is None else TicketRow(*row)


def set_counter(session: Session, counter: CounterRow, current_ticket_id: int | None,
                priority_streak: int) -> CounterRow:
    connection(session).execute(_SET_COUNTER, {"counter": counter.id,
                                               "current": current_ticket_id,
                                               "streak": priority_streak})
    return counter._replace(current_ticket_id=current_ticket_id,
                            priority_streak=priority_streak)


_SET_STATUS = (update(COUNTERS).where(COUNTERS.c.id == bindparam("counter"))
               .values(status=bindparam("to_status"), pause_reason=bindparam("reason")))


def set_counter_status(session: Session, counter: CounterRow, status: str,
                       pause_reason: str | None) -> CounterRow:
    connection(session).execute(_SET_STATUS, {"counter": counter.id, "to_status": status,
                                              "reason": pause_reason})
    return counter._replace(status=status, pause_reason=pause_reason)


_UPSERTS: dict[str, object] = {}


def next_seq(session: Session, service_id: int, day: date, start: int) -> int:
    """Bump the field's number for the day in one statement (no read-then-write)."""
    conn = connection(session)
    stmt = _UPSERTS.get(conn.dialect.name)
    if stmt is None:
        if conn.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        stmt = dialect_insert(SEQUENCES).values(
            service_id=bindparam("service"), business_day=bindparam("day"),
            last_value=bindparam("start"))
        stmt = _UPSERTS[conn.dialect.name] = stmt.on_conflict_do_update(
            index_elements=[SEQUENCES.c.service_id, SEQUENCES.c.business_day],
            set_={"last_value": SEQUENCES.c.last_value + 1},
        ).returning(SEQUENCES.c.last_value)
    return conn.execute(stmt, {"service": service_id, "day": day, "start": start}).scalar_one()


# --- idempotency keys -------------------------------------------------------------------------

_KEY = select(KEYS.c.ticket_id).where(
    KEYS.c.office_id == bindparam("office"), KEYS.c.principal == bindparam("principal"),
    KEYS.c.key == bindparam("key"))
_INSERT_KEY = insert(KEYS)
_ISSUED_AS = select(EVENTS.c.data).where(EVENTS.c.ticket_id == bindparam("ticket"),
                                         EVENTS.c.type == "ticket.issued")


def ticket_of_key(session: Session, office_id: int, principal: str, key: str) -> int | None:
    return connection(session).execute(_KEY, {"office": office_id, "principal": principal,
                                              "key": key}).scalar()


def keep_key(session: Session, office_id: int, principal: str, key: str, ticket_id: int,
             at) -> None:
    connection(session).execute(_INSERT_KEY, {"office_id": office_id, "principal": principal,
                                              "key": key, "ticket_id": ticket_id,
                                              "created_at": at})


def issued_event_data(session: Session, ticket_id: int) -> dict | None:
    return connection(session).execute(_ISSUED_AS, {"ticket": ticket_id}).scalar()


# --- events -----------------------------------------------------------------------------------

_INSERT_EVENTS = insert(EVENTS).returning(EVENTS.c.id)


def insert_events(session: Session, rows: list[dict]) -> list[int]:
    """Store these event rows, in one statement (SQLAlchemy's "insertmanyvalues" makes
    one INSERT of many VALUES, compiled once); their ids, in the order given.

    Writes are serialised (storage/db.py), so the rows of one statement get consecutive
    ids in the order of its VALUES: sorting the returned ids gives each row its own.
    """
    conn = connection(session)
    if len(rows) == 1:
        return [conn.execute(_INSERT_EVENTS, rows[0]).scalar_one()]
    return sorted(conn.execute(_INSERT_EVENTS, rows).scalars())
