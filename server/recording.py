"""Event rows: every ticket transition and office happening is stored, then told.

Each row has the time, office, counter, user, from- and to-state; reports are computed
from these rows, and the event stream replays them after Last-Event-ID. Live streams
hear of an event only once its transaction has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from layso.server import snapshots as snap
from layso.server.domain.tickets import Status, next_status
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
        before = ticket.status
        ticket.status = next_status(action, before, ticket.number)
        if ticket.status in (Status.DONE, Status.NO_SHOW, Status.CANCELLED, Status.EXPIRED):
            ticket.finished_at = office.now
        return self._record(session, office, ticket, event_type, actor, counter, before,
                            ticket.status, broadcast=broadcast, **extra)

    def _record(self, session: Session, office: snap.OfficeView, ticket: Ticket,
                event_type: str, actor: Actor | None, counter: Counter | None,
                from_state: str | None, to_state: str | None, broadcast: bool = True,
                **extra: object) -> dict:
        session.flush()
        snap.forget_lines(office)  # the ticket has just moved
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
               broadcast: bool = True, **columns: object) -> Event:
        # "at" lets a display tell a fresh call from one replayed after a reconnect.
        data = {**data, "at": office.local(office.now)}
        row = Event(office_id=office.id, type=event_type, at=office.now, data=data,
                    broadcast=broadcast, **columns)
        session.add(row)
        session.flush()
        if broadcast:
            message = {"id": row.id, "type": event_type, "data": data}
            after_commit(session, lambda: self.publish(office.id, message))
        return row

    def _counter_updated(self, session: Session, office: snap.OfficeView, counter: Counter,
                         actor: Actor | None = None, action: str | None = None) -> dict:
        session.flush()
        office.memo.pop("counter_services", None)  # an admin may have changed its fields
        snap.forget_lines(office)
        data = snap.counter_json(session, office, counter)
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


def events_after(db: Database, office_id: int, after_id: int, limit: int = 1000) -> list[dict]:
    """Stored broadcast events with id > after_id, oldest first (for Last-Event-ID replay)."""
    with db.read() as session:
        rows = session.execute(select(Event.id, Event.type, Event.data).where(
            Event.office_id == office_id, Event.id > after_id, Event.broadcast.is_(True))
            .order_by(Event.id).limit(limit)).all()
    return [{"id": r.id, "type": r.type, "data": r.data} for r in rows]


def last_event_id(session: Session, office_id: int) -> int:
    return session.scalar(select(func.max(Event.id)).where(Event.office_id == office_id)) or 0
