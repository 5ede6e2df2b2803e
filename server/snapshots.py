"""Read models: tickets, services, counters and the display as the API shows them.

Every function takes an open session and returns plain JSON-ready dicts. Times are
shown in the office's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from layso.server import known_waiting, office_rows
from layso.server.domain.errors import NotFound
from layso.server.domain.line import counts_as_open
from layso.server.domain.numbering import (
    Hours,
    ServiceRules,
    business_day,
    estimate_wait_s,
    unavailable_reason,
)
from layso.server.domain.policy import CallRules, Candidate
from layso.server.domain.tickets import Status
from layso.server.estimates import ServiceTimes, average_service_s
from layso.server.known_waiting import KnownWaiting
from layso.server.lines import Lines, deciding_fields, fetch_waiting
from layso.server.messages import message
from layso.server.public_settings import public_base_url
from layso.server.settings import OfficeSettings
from layso.server.storage.tables import (
    Counter,
    Office,
    PriorityCategory,
    Service,
    Ticket,
    utc,
)
from layso.server.ticket_codes import status_url


def parse_clock(value: str | None) -> time | None:
    if not value:
        return None
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@dataclass
class OfficeView:
    """An office row with its settings unpacked, for one transaction.

    `memo` keeps what one transaction reads more than once (fields, counters, lines)
    so a request does not ask the database the same question twice.
    """

    row: Office
    now: datetime
    memo: dict = field(default_factory=dict)
    service_times: ServiceTimes = field(default_factory=ServiceTimes)
    known: KnownWaiting = field(default_factory=KnownWaiting)

    @property
    def id(self) -> int:
        return self.row.id

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.row.timezone)

    @property
    def hours(self) -> Hours:
        return Hours(parse_clock(self.row.opening) or time(0, 0), parse_clock(self.row.closing))

    @property
    def today(self) -> date:
        key = (self.row.timezone, self.row.opening)  # the admin may change the hours
        kept = self.memo.get("today")
        if kept is None or kept[0] != key:
            kept = self.memo["today"] = (key, business_day(self.now, self.row.timezone,
                                                           self.hours.opening))
        return kept[1]

    @property
    def settings(self) -> OfficeSettings:
        """The office's settings, typed; parsed once per transaction (and again only when
        the row's settings are replaced, as the admin pages do)."""
        raw = self.row.settings
        kept = self.memo.get("settings")
        if kept is None or kept[0] is not raw:
            kept = self.memo["settings"] = (raw, OfficeSettings.from_stored(raw))
        return kept[1]

    def local(self, moment: datetime | None) -> str | None:
        moment = utc(moment)
        return moment.astimezone(self.tz).isoformat(timespec="seconds") if moment else None


def service_rules(service: Service) -> ServiceRules:
    return ServiceRules(prefix=service.prefix, start=service.start, width=service.width,
                        daily_cap=service.daily_cap, cutoff=parse_clock(service.cutoff),
                        open=service.open)


def waiting_counts(session: Session, office: OfficeView) -> dict[str, int]:
    """Waiting tickets per field (every field, 0 when none), as of now in this transaction.

    Read once with the fields; a move that says what it did (`ticket_moved`) keeps the
    figures exact, any other one makes the next call read them again.
    """
    services = services_by_id(session, office)
    counts = office.memo.get("waiting")
    if counts is None:
        counts = office.memo["waiting"] = office_rows.waiting_by_service(session, office.id,
                                                                  office.today)
    return {str(service_id): counts.get(service_id, 0) for service_id in services}


def ticket_moved(session: Session, office: OfficeView, ticket: Ticket | None = None,
                 waiting: int = 0) -> None:
    """A ticket just moved: the lines must be made again. With the ticket given (as it
    now is), `waiting` says what the move did: +1 it began to wait, -1 it stopped, 0
    neither; without it, the counts and the waiting tickets are read again."""
    office.memo.pop("lines", None)
    counts = office.memo.get("waiting")
    if ticket is None:
        office.memo.pop("waiting", None)
        known_waiting.unknown_move(office)
        return
    if counts is not None and waiting:
        counts[ticket.service_id] = counts.get(ticket.service_id, 0) + waiting
    if waiting > 0:
        known_waiting.moved(session, office, added=Candidate(
            ticket.id, utc(ticket.queued_at), ticket.is_priority, ticket.service_id))
    elif waiting < 0:
        known_waiting.moved(session, office, removed=(ticket.service_id, ticket.id))


def services_by_id(session: Session, office: OfficeView) -> dict[int, Service]:
    """The office's fields by id (plain rows), read once per transaction."""
    if "services" not in office.memo:
        found, waiting = office_rows.services(session, office.id, office.today)
        office.memo["services"] = found
        office.memo.setdefault("waiting", waiting)
    return office.memo["services"]


def services_of(session: Session, office: OfficeView) -> list[Service]:
    return list(services_by_id(session, office).values())


def _counters(session: Session, office: OfficeView) -> tuple[list, dict[int, list[int]]]:
    if "counters" not in office.memo:
        office.memo["counters"] = office_rows.counters(session, office.id)
    return office.memo["counters"]


def counters_of(session: Session, office: OfficeView) -> list[Counter]:
    """The office's counters by number (plain rows), read once per transaction."""
    return _counters(session, office)[0]


def counter_service_ids(session: Session, office: OfficeView) -> dict[int, list[int]]:
    return _counters(session, office)[1]


def counter_changed(office: OfficeView, counter=None) -> None:
    """A counter's row changed: keep this one (a `CounterRow`), or read them all again."""
    kept = office.memo.get("counters")
    if counter is None or kept is None:
        office.memo.pop("counters", None)
    else:
        kept[0][:] = [counter if c.id == counter.id else c for c in kept[0]]
    office.memo.pop("lines", None)


def counters_serving(session: Session, office: OfficeView, service_id: int) -> list[Counter]:
    links = counter_service_ids(session, office)
    return [c for c in counters_of(session, office) if service_id in links.get(c.id, ())]


def open_counters_serving(session: Session, office: OfficeView,
                          service_id: int) -> list[Counter]:
    return [c for c in counters_serving(session, office, service_id)
            if counts_as_open(c.status)]


def counter_of(session: Session, office: OfficeView, counter_id: int) -> Counter:
    """One of the office's counters; 404 for an unknown one or another office's."""
    counter = next((c for c in counters_of(session, office) if c.id == counter_id), None)
    if counter is None:
        raise NotFound("not_found", what="counter", id=counter_id)
    return counter


def categories(session: Session, office: OfficeView) -> dict[str, tuple[str, bool]]:
    """Priority category code → (name, active)."""
    if "categories" not in office.memo:
        office.memo["categories"] = office_rows.categories(session, office.id)
    return office.memo["categories"]


def category_names(session: Session, office: OfficeView) -> dict[str, str]:
    return {code: name for code, (name, _active) in categories(session, office).items()}


# --- the line (domain/line.py decides the order; lines.py reads it) ---------------------

def call_rules(office: OfficeView) -> CallRules:
    policy = office.settings.policy
    return CallRules(priority_run=policy.priority_run, max_wait=policy.max_wait)


def office_lines(session: Session, office: OfficeView, depth: int | None = None,
                 fields: frozenset[int] | None = None) -> Lines:
    """Every counter's line now (exact for the first `depth` when given; with `fields`,
    from the tickets of those fields only), kept for the transaction until a ticket
    moves (`ticket_moved`)."""
    kept = office.memo.setdefault("lines", {})
    if (depth, fields) not in kept:
        if depth is None:
            waiting = known_waiting.waiting_in(session, office, fields)
        else:
            waiting = fetch_waiting(session, office.id, office.today,
                                    services_by_id(session, office), depth)
        counters, links = _counters(session, office)
        kept[depth, fields] = Lines(waiting, counters, links, call_rules(office), office.now,
                                    depth, fields)
    return kept[depth, fields]


def forget_lines(office: OfficeView) -> None:
    """A counter changed: the lines must be read again."""
    office.memo.pop("lines", None)


def waiting_ahead(session: Session, office: OfficeView, ticket: Ticket) -> int:
    """How many will be called before this ticket (0 unless it waits); see `Lines.ahead`.

    Only the tickets of the fields that decide its place are read: those of the counters
    serving its field (a kiosk's new ticket in a small field reads few rows).
    """
    if ticket.status != Status.WAITING:
        return 0
    for lines in office.memo.get("lines", {}).values():  # a read of the first N may know
        ahead = lines.ahead(ticket.id, ticket.service_id)
        if ahead is not None:
            return ahead
    counters, links = _counters(session, office)
    fields = deciding_fields(counters, links, ticket.service_id)
    lines = office_lines(session, office, fields=fields)
    return lines.ahead_of_one(ticket.id, ticket.service_id) or 0


def ticket_json(session: Session, office: OfficeView, ticket: Ticket) -> dict:
    service = services_by_id(session, office).get(ticket.service_id) \
        or session.get(Service, ticket.service_id)
    ahead = waiting_ahead(session, office, ticket)
    estimate = None
    if ticket.status == Status.WAITING:
        open_counters = open_counters_serving(session, office, ticket.service_id)
        estimate = estimate_wait_s(ahead, len(open_counters),
                                   average_service_s(session, office, ticket.service_id))
    priority_name = category_names(session, office).get(ticket.priority) \
        if ticket.priority else None
    return {
        "id": ticket.id,
        "number": ticket.number,
        "service_id": ticket.service_id,
        "service_code": service.code,
        "service_name": service.name,
        "priority": ticket.priority,
        "priority_name": priority_name,
        "status": ticket.status,
        "issued_at": office.local(ticket.issued_at),
        "called_at": office.local(ticket.called_at),
        "finished_at": office.local(ticket.finished_at),
        "counter_id": ticket.counter_id,
        "waiting_ahead": ahead,
        "estimated_wait_s": estimate,
        "business_day": ticket.business_day.isoformat(),
        "recall_count": ticket.recall_count,
        "dossier_code": ticket.dossier_code,
        "status_url": status_url(_base_url(office), office.row.status_secret, ticket.id),
    }


def _base_url(office: OfficeView) -> str:
    """The public address for the status links, asked once per transaction."""
    if "base_url" not in office.memo:
        office.memo["base_url"] = public_base_url()
    return office.memo["base_url"]


def counter_ref(counter: Counter) -> dict:
    return {"id": counter.id, "number": counter.number, "name": counter.name}


def counter_json(session: Session, office: OfficeView, counter: Counter,
                 service_ids: list[int] | None = None, current: object = ...) -> dict:
    """The counter as the API shows it; `current`: its ticket's row, if the caller has it."""
    if service_ids is None:
        service_ids = counter_service_ids(session, office).get(counter.id, [])
    if current is ...:
        current = office_rows.ticket(session, counter.current_ticket_id) \
            if counter.current_ticket_id else None
    return {
        **counter_ref(counter),
        "service_ids": service_ids,
        "status": counter.status,
        "pause_reason": counter.pause_reason,
        "current_ticket": ticket_json(session, office, current) if current else None,
    }


def counters_json(session: Session, office: OfficeView) -> list[dict]:
    by_counter = counter_service_ids(session, office)
    return [counter_json(session, office, c, by_counter.get(c.id, []))
            for c in counters_of(session, office)]


def issued_today(session: Session, office: OfficeView, service: Service) -> int:
    """How many numbers the field has given today, from its sequence row (no count)."""
    from layso.server.storage.tables import NumberSequence

    row = session.get(NumberSequence, (service.id, office.today))
    return 0 if row is None else row.last_value - service.start + 1


def availability(session: Session, office: OfficeView, service: Service,
                 check_cap: bool = True) -> str | None:
    """Why the field cannot issue now (closed, outside_hours, cutoff, capped, no_counter).

    Issuing checks the cap itself after bumping the number, so it passes check_cap=False.
    """
    open_counters = open_counters_serving(session, office, service.id)
    issued = issued_today(session, office, service) if check_cap else 0
    return unavailable_reason(service_rules(service), office.hours,
                              office.now.astimezone(office.tz), issued, len(open_counters))


def service_json(session: Session, office: OfficeView, service: Service,
                 waiting: dict[str, int], lang: str = "vi") -> dict:
    counters = counters_serving(session, office, service.id)
    open_counters = [c for c in counters if counts_as_open(c.status)]
    reason = availability(session, office, service)
    n_waiting = waiting.get(str(service.id), 0)
    return {
        "id": service.id,
        "code": service.code,
        "name": service.name,
        "name_en": service.name_en,
        "prefix": service.prefix,
        "waiting": n_waiting,
        "estimated_wait_s": estimate_wait_s(n_waiting, len(open_counters),
                                            average_service_s(session, office, service.id)),
        "open": service.open,
        "available": reason is None,
        "unavailable_reason": reason,
        "unavailable_message": unavailable_message(office, service, reason, lang),
        "counters": [c.number for c in counters],
    }


def unavailable_message(office: OfficeView, service: Service, reason: str | None,
                        lang: str = "vi") -> str | None:
    if reason is None:
        return None
    return message(f"service_{reason}", lang, service=service.name, cutoff=service.cutoff,
                   opening=office.row.opening, closing=office.row.closing or "")


def services_json(session: Session, office: OfficeView, lang: str = "vi") -> list[dict]:
    waiting = waiting_counts(session, office)
    return [service_json(session, office, s, waiting, lang) for s in services_of(session, office)]


def office_json(session: Session, office: OfficeView) -> dict:
    row = office.row
    categories = session.scalars(select(PriorityCategory).where(
        PriorityCategory.office_id == row.id, PriorityCategory.active.is_(True))
        .order_by(PriorityCategory.position, PriorityCategory.id))
    settings = office.settings
    return {
        "id": row.id, "code": row.code, "name": row.name, "unit": row.unit,
        "timezone": row.timezone, "opening": row.opening, "closing": row.closing,
        "now": office.local(office.now), "business_day": office.today.isoformat(),
        "priority_categories": [{"code": c.code, "name": c.name} for c in categories],
        "ticket": {"footer": settings.ticket.footer},
        "announcement": {"repeat": settings.announcement.repeat},
        "display": {"notice": settings.display.notice},
    }


def line_json(session: Session, office: OfficeView, counter_id: int,
              limit: int | None = None) -> dict:
    """GET /counters/{id}/line: the counter's waiting tickets in the order it will call
    them (the first `limit`), each as a ticket."""
    counter = counter_of(session, office, counter_id)
    order = office_lines(session, office, depth=limit).of(counter)
    return {"tickets": _tickets_json_in(session, office, [c.id for c in order])}


def tickets_json(session: Session, office: OfficeView, status: str,
                 service_id: int | None = None, limit: int = 500) -> list[dict]:
    """Today's tickets in one state, newest first; waiting ones in office line order:
    by waiting_ahead, then oldest first (queued_at, then id)."""
    if status == Status.WAITING:
        lines = office_lines(session, office)
        ahead = {c.id: lines.ahead(c.id, c.service_id) or 0 for c in lines.waiting
                 if service_id is None or c.service_id == service_id}
        order = sorted((c for c in lines.waiting if c.id in ahead),
                       key=lambda c: (ahead[c.id], c.queued_at, c.id))
        return _tickets_json_in(session, office, [c.id for c in order[:limit]])
    found = office_rows.tickets_in_state(session, office.id, office.today, status,
                                         service_id, limit)
    return [ticket_json(session, office, t) for t in found]


def _tickets_json_in(session: Session, office: OfficeView, ids: list[int]) -> list[dict]:
    """These waiting tickets, in this order, read in one statement."""
    found = {t.id: t for t in office_rows.waiting_tickets(session, office.id, office.today, ids)}
    return [ticket_json(session, office, found[i]) for i in ids]


def recent_calls(session: Session, office: OfficeView, limit: int = 10) -> list[dict]:
    """The latest calls today, newest first, as the hall display lists them."""
    from layso.server.storage.tables import Event

    rows = session.execute(
        select(Event.data, Event.at).where(Event.office_id == office.id,
                                           Event.type == "ticket.called")
        .order_by(Event.id.desc()).limit(limit)).all()
    today = office.today.isoformat()
    return [{"ticket": data["ticket"], "counter": data.get("counter"),
             "called_at": office.local(at), "recall": bool(data.get("recall"))}
            for data, at in rows if data["ticket"].get("business_day") == today]
