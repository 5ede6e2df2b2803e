"""The office's use cases, one short function each: load, ask the rules, store, tell.

Every ticket transition is one Event row (time, office, counter, user, from and to
state); the event stream and the reports read those rows. Events are published to
live streams only after the transaction has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from layso.common.speech import announcement
from layso.server import known_waiting, office_rows
from layso.server import snapshots as snap
from layso.server.domain.errors import Conflict, Forbidden, Invalid, NotFound
from layso.server.domain.line import calls
from layso.server.domain.numbering import format_number
from layso.server.domain.tickets import UNFINISHED, Status, next_status
from layso.server.lines import fetch_waiting
from layso.server.office_rows import CounterRow, TicketRow
from layso.server.recording import EventRecorder
from layso.server.storage.db import Database
from layso.server.storage.tables import (
    Counter,
    Device,
    Office,
    Service,
    Ticket,
    UserCounter,
)

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class Actor:
    """Who asks: a user (clerk, admin, leader) or a device (kiosk, display)."""

    kind: str                      # "user" | "device"
    id: int
    office_id: int
    role: str
    name: str = ""
    counter_ids: frozenset[int] = field(default_factory=frozenset)  # empty: any counter

    @property
    def principal(self) -> str:
        return f"{self.kind}:{self.id}"


class Queue(EventRecorder):
    """The use cases of one server: issue, call, finish, transfer, pause, reset."""

    def __init__(self, db: Database, clock: Clock, publish: Callable[[int, dict], None]):
        self.db = db
        self.clock = clock
        self.publish = publish
        self.service_times = snap.ServiceTimes()  # this server's own measured figures
        self.known = known_waiting.KnownWaiting()  # the waiting tickets it last saw

    # --- reading ------------------------------------------------------------------------

    def office(self, session: Session, office_id: int) -> snap.OfficeView:
        row = session.get(Office, office_id)
        if row is None:
            raise NotFound("not_found", what="office", id=office_id)
        return snap.OfficeView(row, self.clock(), service_times=self.service_times,
                              known=self.known)

    def office_rows(self, session: Session, office_id: int) -> snap.OfficeView:
        """The office as a plain row (reads and the hot paths; admin changes use `office`)."""
        row, categories = office_rows.office(session, office_id)
        if row is None:
            raise NotFound("not_found", what="office", id=office_id)
        return snap.OfficeView(row, self.clock(), memo={"categories": categories},
                               service_times=self.service_times, known=self.known)

    def read(self, office_id: int, build: Callable[[Session, snap.OfficeView], object]):
        with self.db.read() as session:
            return build(session, self.office_rows(session, office_id))

    def ticket(self, office_id: int, ticket_id: int) -> dict:
        """GET /tickets/{id}: the ticket as the API shows it."""
        with self.db.read() as session:
            office = self.office_rows(session, office_id)
            return snap.ticket_json(session, office, self._ticket_row(session, office, ticket_id))

    # --- the business day ---------------------------------------------------------------

    def roll_day(self, office_id: int) -> bool:
        """Reset numbering if a new business day began; True if it did."""
        with self.db.write() as session:
            return self._roll_day(session, self.office(session, office_id))

    def _office_today(self, session: Session, office_id: int) -> snap.OfficeView:
        """The office (plain row), its numbering reset first if a new business day began."""
        office = self.office_rows(session, office_id)
        if office.row.business_day != office.today:  # once a day: the ORM path
            self._roll_day(session, self.office(session, office_id))
            session.flush()
            office = self.office_rows(session, office_id)
            known_waiting.unknown_move(office)  # the reset's events are not stored yet
        return office

    def _roll_day(self, session: Session, office: snap.OfficeView) -> bool:
        today = office.today
        if office.row.business_day == today:
            return False
        stale = session.scalars(select(Ticket).where(
            Ticket.office_id == office.id, Ticket.business_day < today,
            Ticket.status.in_(list(UNFINISHED)))).all()
        for ticket in stale:
            self._move(session, office, ticket, "expire", actor=None, counter=None,
                       event_type="ticket.expired", broadcast=False)
        session.execute(update(Counter).where(Counter.office_id == office.id)
                        .values(current_ticket_id=None, priority_streak=0))
        first_day = office.row.business_day is None
        office.row.business_day = today
        if not first_day:
            self._event(session, office, "day.reset", {"business_day": today.isoformat(),
                                                       "expired": len(stale)})
        return True

    # --- issuing ------------------------------------------------------------------------

    def issue_ticket(self, actor: Actor, service_id: int, priority: str | None,
                     idempotency_key: str | None = None) -> tuple[dict, bool]:
        """A new number for a field; (ticket, created). A retried key returns the first ticket."""
        with self.db.write() as session:
            office = self._office_today(session, actor.office_id)
            if idempotency_key:
                earlier = office_rows.ticket_of_key(session, office.id, actor.principal,
                                                    idempotency_key)
                if earlier is not None:
                    ticket = office_rows.ticket(session, earlier)
                    issued = office_rows.issued_event_data(session, earlier)
                    # What was asked then: a transfer since has changed the ticket's service_id.
                    asked = (issued["ticket"]["service_id"] if issued else ticket.service_id,
                             ticket.priority)
                    if asked != (service_id, priority):
                        raise Invalid("idempotency_key_reused", number=ticket.number)
                    return snap.ticket_json(session, office, ticket), False
            service = snap.services_by_id(session, office).get(service_id)
            if service is None:
                raise Invalid("unknown_service", id=service_id)
            if priority is not None and \
                    not snap.categories(session, office).get(priority, ("", False))[1]:
                raise Invalid("unknown_category", code=priority)
            reason = snap.availability(session, office, service, check_cap=False)
            if reason is not None:
                raise Conflict(f"service_{reason}", service=service.name,
                               cutoff=service.cutoff, opening=office.row.opening,
                               closing=office.row.closing or "")
            rules = snap.service_rules(service)
            seq = office_rows.next_seq(session, service.id, office.today, service.start)
            if seq > rules.last_seq:
                # Rolling back undoes the bump, so no number is skipped.
                raise Conflict("service_capped", service=service.name)
            now = office.now
            ticket = office_rows.insert_ticket(session, {
                "office_id": office.id, "service_id": service.id, "business_day": office.today,
                "seq": seq, "number": format_number(service.prefix, seq, service.width),
                "priority": priority, "is_priority": priority is not None,
                "status": Status.WAITING, "issued_at": now, "queued_at": now,
                "device_id": actor.id if actor.kind == "device" else None})
            if idempotency_key:
                office_rows.keep_key(session, office.id, actor.principal, idempotency_key,
                                     ticket.id, now)
            data = self._record(session, office, ticket, "ticket.issued", actor, None, None,
                                Status.WAITING, waiting=1)
            if seq == rules.last_seq:
                self._services_updated(session, office)
            return data["ticket"], True

    # --- calling ------------------------------------------------------------------------

    def call_next(self, actor: Actor, counter_id: int) -> dict | None:
        """The counter calls the first of its line (domain/line.py); None when nobody waits.

        The first call needs only the head of each of the counter's queues: one statement.
        """
        with self.db.write() as session:
            office, counter = self._counter_ready(session, actor, counter_id)
            finished = self._finish_current(session, office, counter, actor)
            service_ids = snap.counter_service_ids(session, office).get(counter.id, [])
            rules = snap.call_rules(office)
            for _attempt in range(20):
                heads = fetch_waiting(session, office.id, office.today, service_ids, depth=1)
                first = next(calls(heads, counter.priority_streak, rules, office.now), None)
                if first is None:
                    if finished:
                        counter = office_rows.set_counter(session, counter, None,
                                                          counter.priority_streak)
                        self._counter_updated(session, office, counter, current=None)
                    return None
                ticket = self._claim(session, office, first.ticket.id, counter, actor)
                if ticket is not None:
                    counter = office_rows.set_counter(session, counter, ticket.id, first.streak)
                    return self._announce_call(session, office, ticket, counter, actor)
            raise Conflict("ticket_called_elsewhere", number="?", counter="another counter")

    def call_ticket(self, actor: Actor, counter_id: int, ticket_id: int) -> dict:
        """Call one particular waiting ticket out of order (recorded as such)."""
        with self.db.write() as session:
            office, counter = self._counter_ready(session, actor, counter_id)
            ticket = self._ticket_row(session, office, ticket_id)
            self._refuse_if_called(session, office, ticket)
            next_status("call", ticket.status, ticket.number)
            self._finish_current(session, office, counter, actor)
            claimed = self._claim(session, office, ticket.id, counter, actor)
            if claimed is None:
                ticket = office_rows.ticket(session, ticket.id)
                self._refuse_if_called(session, office, ticket)
                next_status("call", ticket.status, ticket.number)
            counter = office_rows.set_counter(session, counter, claimed.id,
                                              counter.priority_streak)
            return self._announce_call(session, office, claimed, counter, actor, out_of_order=True)

    def recall(self, actor: Actor, counter_id: int) -> dict:
        with self.db.write() as session:
            office = self.office_rows(session, actor.office_id)
            counter = self._counter(session, office, counter_id, actor)
            ticket = office_rows.recall(session, counter.current_ticket_id) \
                if counter.current_ticket_id else None
            if ticket is None:
                raise Conflict("no_current_ticket", counter=counter.name)
            return self._announce_call(session, office, ticket, counter, actor, recall=True)

    def _counter_ready(self, session: Session, actor: Actor,
                       counter_id: int) -> tuple[snap.OfficeView, CounterRow]:
        """The office (rolled to today) and the counter, which must not be paused."""
        office = self._office_today(session, actor.office_id)
        counter = self._counter(session, office, counter_id, actor)
        if counter.status == "paused":
            raise Conflict("counter_paused", counter=counter.name)
        return office, counter

    @staticmethod
    def _claim(session: Session, office: snap.OfficeView, ticket_id: int,
               counter: CounterRow, actor: Actor) -> TicketRow | None:
        """Waiting → called, only if still waiting: two counters never get the same ticket."""
        return office_rows.claim(session, ticket_id, counter.id, office.now,
                                 actor.id if actor.kind == "user" else None)

    def _announce_call(self, session: Session, office: snap.OfficeView, ticket: TicketRow,
                       counter: CounterRow, actor: Actor, recall: bool = False,
                       out_of_order: bool = False) -> dict:
        sentence = announcement(ticket.number, counter.number,
                                office.settings.announcement.speech)
        data = self._record(session, office, ticket, "ticket.called", actor, counter,
                            Status.WAITING if not recall else Status.CALLED, Status.CALLED,
                            waiting=0 if recall else -1,
                            recall=recall, announcement=sentence, out_of_order=out_of_order)
        self._counter_updated(session, office, counter, current=ticket)
        return data["ticket"]

    # --- finishing, moving --------------------------------------------------------------

    def finish(self, actor: Actor, ticket_id: int, outcome: str,
               dossier_code: str | None = None) -> dict:
        """done or no_show for a called ticket; "done" may name the dossier it led to."""
        with self.db.write() as session:
            office = self.office_rows(session, actor.office_id)
            target = next_status(outcome, Status.CALLED, "")
            ticket = office_rows.finish(session, office.id, ticket_id, target, office.now,
                                        dossier_code if outcome == "done" else None)
            if ticket is None:  # not called, or not here: say why
                current = self._ticket_row(session, office, ticket_id)
                counter = self._counter_of_ticket(session, office, current)
                if counter is not None:
                    self._check_counter_allowed(actor, counter)
                next_status(outcome, current.status, current.number)
                raise Conflict("ticket_state", number=current.number, status=current.status,
                               action=outcome)  # not reached: only a called ticket is here
            counter = self._counter_of_ticket(session, office, ticket)
            if counter is not None:
                self._check_counter_allowed(actor, counter)  # refusing rolls the change back
            data = self._record(session, office, ticket, f"ticket.{outcome}", actor, counter,
                                Status.CALLED, target, waiting=0)
            if counter is not None and counter.current_ticket_id == ticket.id:
                counter = office_rows.set_counter(session, counter, None,
                                                  counter.priority_streak)
                self._counter_updated(session, office, counter, current=None)
            return data["ticket"]

    def transfer(self, actor: Actor, ticket_id: int, service_id: int,
                 keep_time: bool = True) -> dict:
        """Back to waiting in another field, same number; keeps its place by default."""
        with self.db.write() as session:
            office = self.office(session, actor.office_id)
            ticket = self._ticket(session, office, ticket_id)
            target = session.get(Service, service_id)
            if target is None or target.office_id != office.id:
                raise Invalid("unknown_service", id=service_id)
            if target.id == ticket.service_id:
                raise Conflict("same_service", number=ticket.number)
            counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
            if counter is not None and ticket.status == Status.CALLED:
                self._check_counter_allowed(actor, counter)
            from_service = ticket.service_id
            ticket.service_id = target.id
            if not keep_time:
                ticket.queued_at = office.now
            self._move(session, office, ticket, "transfer", actor, counter,
                       event_type="ticket.transferred", from_service_id=from_service)
            ticket.counter_id = None
            ticket.called_at = None
            if counter is not None and counter.current_ticket_id == ticket.id:
                counter.current_ticket_id = None
                self._counter_updated(session, office, counter)
            return snap.ticket_json(session, office, ticket)

    def cancel(self, actor: Actor, ticket_id: int) -> dict:
        return self._simple_move(actor, ticket_id, "cancel", "ticket.cancelled")

    def reactivate(self, actor: Actor, ticket_id: int) -> dict:
        """A no-show comes back: same number, back in line at its original time."""
        with self.db.write() as session:
            office = self.office(session, actor.office_id)
            ticket = self._ticket(session, office, ticket_id)
            if ticket.business_day != office.today:
                next_status("reactivate", Status.EXPIRED, ticket.number)
            self._move(session, office, ticket, "reactivate", actor, None,
                       event_type="ticket.reactivated")
            ticket.counter_id = None
            ticket.finished_at = None
            return snap.ticket_json(session, office, ticket)

    def _simple_move(self, actor: Actor, ticket_id: int, action: str, event_type: str) -> dict:
        with self.db.write() as session:
            office = self.office(session, actor.office_id)
            ticket = self._ticket(session, office, ticket_id)
            self._move(session, office, ticket, action, actor, None, event_type=event_type)
            return snap.ticket_json(session, office, ticket)

    def _finish_current(self, session: Session, office: snap.OfficeView, counter: CounterRow,
                        actor: Actor) -> bool:
        """Calling the next citizen means the clerk has finished with the current one
        (if it is still called at this counter); True if the counter had one."""
        if not counter.current_ticket_id:
            return False
        done = office_rows.finish_at(session, counter.id, counter.current_ticket_id, office.now)
        if done is not None:
            self._record(session, office, done, "ticket.done", actor, counter, Status.CALLED,
                         Status.DONE, waiting=0)
        return True

    # --- counters -----------------------------------------------------------------------

    def pause(self, actor: Actor, counter_id: int, reason: str) -> dict:
        with self.db.write() as session:
            office = self.office_rows(session, actor.office_id)
            counter = self._counter(session, office, counter_id, actor)
            counter = office_rows.set_counter_status(session, counter, "paused", reason)
            return self._counter_updated(session, office, counter, actor, action="pause")

    def resume(self, actor: Actor, counter_id: int) -> dict:
        with self.db.write() as session:
            office = self.office_rows(session, actor.office_id)
            counter = self._counter(session, office, counter_id, actor)
            if counter.status != "paused":
                raise Conflict("counter_not_paused", counter=counter.name)
            counter = office_rows.set_counter_status(session, counter, "open", None)
            return self._counter_updated(session, office, counter, actor, action="resume")

    def report_device_status(self, actor: Actor, status: str, text: str) -> dict:
        with self.db.write() as session:
            office = self.office(session, actor.office_id)
            device = session.get(Device, actor.id)
            device.last_status = status
            data = {"device": {"id": device.id, "name": device.name, "role": device.role},
                    "status": status, "message": text}
            self._event(session, office, "device.status", data, device_id=device.id)
            return data

    # --- helpers ------------------------------------------------------------------------

    def _counter(self, session: Session, office: snap.OfficeView, counter_id: int,
                 actor: Actor) -> CounterRow:
        counter = snap.counter_of(session, office, counter_id)
        self._check_counter_allowed(actor, counter)
        return counter

    @staticmethod
    def _counter_of_ticket(session: Session, office: snap.OfficeView,
                           ticket: TicketRow) -> CounterRow | None:
        if not ticket.counter_id:
            return None
        return next((c for c in snap.counters_of(session, office) if c.id == ticket.counter_id),
                    None)

    @staticmethod
    def _check_counter_allowed(actor: Actor, counter: Counter | CounterRow) -> None:
        if actor.role == "clerk" and actor.counter_ids and counter.id not in actor.counter_ids:
            raise Forbidden("counter_not_assigned", counter=counter.name)

    @staticmethod
    def _ticket(session: Session, office: snap.OfficeView, ticket_id: int) -> Ticket:
        """The office's ticket as an ORM object, for the use cases that change it in place."""
        ticket = session.get(Ticket, ticket_id)
        if ticket is None or ticket.office_id != office.id:
            raise NotFound("not_found", what="ticket", id=ticket_id)
        return ticket

    @staticmethod
    def _ticket_row(session: Session, office: snap.OfficeView, ticket_id: int) -> TicketRow:
        ticket = office_rows.ticket(session, ticket_id)
        if ticket is None or ticket.office_id != office.id:
            raise NotFound("not_found", what="ticket", id=ticket_id)
        return ticket

    @staticmethod
    def _refuse_if_called(session: Session, office: snap.OfficeView,
                          ticket: TicketRow) -> None:
        if ticket.status == Status.CALLED and ticket.counter_id:
            counter = next((c for c in snap.counters_of(session, office)
                            if c.id == ticket.counter_id), None)
            raise Conflict("ticket_called_elsewhere", number=ticket.number,
                           counter=counter.name if counter else "?")


def clerk_counter_ids(session: Session, user_id: int) -> frozenset[int]:
    return frozenset(session.scalars(select(UserCounter.counter_id)
                                     .where(UserCounter.user_id == user_id)))
