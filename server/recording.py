"""Event rows: every ticket transition and office happening is stored, then told.

Each row has the time, office, counter, user, from- and to-state; reports are computed
from these rows, and the event stream replays them after Last-Event-ID. A transaction's
events are kept until it commits, stored then in one statement, and live streams hear of
them only once it has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from layso.server import known_waiting, office_rows
from layso.server import snapshots as snap
from layso.server.domain.tickets import Status, next_status
from layso.server.office_rows import CounterRow, TicketRow
from layso.server.storage.db import Database, after_commit
from layso.server.storage.tables import Counter, Event, Ticket

if TYPE_CHECKING:
    from layso.server.operations import Actor


class EventRecorder:
    """What `Queue` (and the admin use cases) use to store and publish events."""

    publish: Callable[[int, dict], None]

    def _move(self, session: Session, office: snap.OfficeView, ticket: Ticket, action: str,
              actor: Actor | None, counter: Counter | None, event_type: str,
              broadcast: bool = True, **extra: object) -> dict:
        """Change an ORM ticket's state in place and record it (the less frequent moves;
        issue, call and finish write their rows with office_rows)."""
        before = ticket.status
        ticket.status = next_status(action, before, ticket.number)
        if ticket.status in (Status.DONE, Status.NO_SHOW, Status.CANCELLED, Status.EXPIRED):
            ticket.finished_at = office.now
        return self._record(session, office, ticket, event_type, actor, counter, before,
                            ticket.status, broadcast=broadcast, **extra)

    def _record(self, session: Session, office: snap.OfficeView, ticket: Ticket | TicketRow,
                event_type: str, actor: Actor | None, counter: Counter | CounterRow | None,
                from_state: str | None, to_state: str | None, broadcast: bool = True,
                waiting: int | None = None, **extra: object) -> dict:
        """Record a ticket's move; `waiting` = +1, -1 or 0 when the caller knows how the
        move changed who waits (else the counts and the waiting are read again)."""
        if not isinstance(ticket, tuple):
            session.flush()  # an ORM ticket: its change must be visible to the reads below
        if waiting is None:
            snap.ticket_moved(session, office)
        else:
            snap.ticket_moved(session, office, ticket, waiting)
        data: dict = {"ticket": snap.ticket_json(session, office, ticket) if broadcast else
                      {"id": ticket.id, "number": ticket.number}}
        if counter is not None:
            data["counter"] = snap.counter_ref(counter)
        if broadcast:
            data["waiting"] = snap.waiting_counts(session, office)
        data.update(extra)
        self._event(session, office, event_type, data, ticket_id=ticket.id,
                    counter_id=counter.id if counter else None,
                    user_id=actor.id if actor and actor.kind == "user" else None,
                    device_id=actor.id if actor and actor.kind == "device" else None,
                    from_state=from_state, to_state=to_state, broadcast=broadcast,
                    estimate_s=data["ticket"].get("estimated_wait_s")   # for the reports
                    if event_type == "ticket.issued" else None)
        return data

    def _event(self, session: Session, office: snap.OfficeView, event_type: str, data: dict,
               broadcast: bool = True, **columns: object) -> None:
        """Keep an event row for this transaction; all are stored just before it commits,
        in one statement, and published once it has committed."""
        # "at" lets a display tell a fresh call from one replayed after a reconnect.
        data = {**data, "at": office.local(office.now)}
        row = _EVENT_ROW | {"office_id": office.id, "type": event_type, "at": office.now,
                            "data": data, "broadcast": broadcast} | columns
        session.info.setdefault(_PENDING, []).append((row, self.publish))

    def _counter_updated(self, session: Session, office: snap.OfficeView,
                         counter: Counter | CounterRow, actor: Actor | None = None,
                         action: str | None = None, current: object = ...) -> dict:
        """Record a counter's change; a `CounterRow` is the counter as it now is (an ORM
        counter: its fields and row are read again). `current`: its ticket, if known."""
        if isinstance(counter, tuple):
            snap.counter_changed(office, counter)
        else:
            session.flush()
            snap.counter_changed(office)  # an admin may have changed its fields
        data = snap.counter_json(session, office, counter, current=current)
        columns: dict = {"counter_id": counter.id}
        if actor is not None and actor.kind == "user":
            columns["user_id"] = actor.id
        payload = {"counter": data} | ({"action": action} if action else {})
        self._event(session, office, "counter.updated", payload, **columns)
        return data

    def _services_updated(self, session: Session, office: snap.OfficeView) -> None:
        office.memo.clear()  # the fields or their counters may have just changed
        self._event(session, office, "services.updated",
                    {"services": snap.services_json(session, office)})


_PENDING = "layso_events"
_EVENT_ROW = {c.name: None for c in Event.__table__.c if c.name != "id"}


@event.listens_for(Session, "before_commit")
def _store_events(session: Session) -> None:
    """The transaction's events, stored in the order they happened, in one statement;
    each published after commit. Writes are serialised, so ids follow commit order."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    ids = office_rows.insert_events(session, [row for row, _publish in pending])
    known_waiting.stored_events(session, ids)
    for event_id, (row, publish) in zip(ids, pending, strict=True):
        if row["broadcast"]:
            message = {"id": event_id, "type": row["type"], "data": row["data"]}
            after_commit(session, lambda o=row["office_id"], m=message, p=publish: p(o, m))


@event.listens_for(Session, "after_rollback")
def _drop_events(session: Session) -> None:
    session.info.pop(_PENDING, None)


def events_after(db: Database, office_id: int, after_id: int, limit: int = 1000) -> list[dict]:
    """Stored broadcast events with id > after_id, oldest first (for Last-Event-ID replay)."""
    with db.read() as session:
        rows = session.execute(select(Event.id, Event.type, Event.data).where(
            Event.office_id == office_id, Event.id > after_id, Event.broadcast.is_(True))
            .order_by(Event.id).limit(limit)).all()
    return [{"id": r.id, "type": r.type, "data": r.data} for r in rows]


def last_event_id(session: Session, office_id: int) -> int:
    return session.scalar(select(func.max(Event.id)).where(Event.office_id == office_id)) or 0
