"""Read models: tickets, services, counters and the display as the API shows them.

Every function takes an open session and returns plain JSON-ready dicts. Times are
shown in the office's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from server.domain.numbering import (Hours, ServiceRules, business_day, estimate_wait_s,
                                     unavailable_reason)
from server.domain.tickets import Status
from server.messages import message
from server.storage.tables import (Counter, CounterService, Office, PriorityCategory, Service,
                                   Ticket, utc)


def parse_clock(value: str | None) -> time | None:
    if not value:
        return None
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


@dataclass
class OfficeView:
    """An office row with its settings unpacked, for one request."""

    row: Office
    now: datetime

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
        return business_day(self.now, self.row.timezone, self.hours.opening)

    @property
    def settings(self) -> dict:
        return self.row.settings or {}

    def section(self, name: str) -> dict:
        return dict(self.settings.get(name) or {})

    def local(self, moment: datetime | None) -> str | None:
        moment = utc(moment)
        return moment.astimezone(self.tz).isoformat(timespec="seconds") if moment else None


def service_rules(service: Service) -> ServiceRules:
    return ServiceRules(prefix=service.prefix, start=service.start, width=service.width,
                        daily_cap=service.daily_cap, cutoff=parse_clock(service.cutoff),
                        open=service.open)


def waiting_counts(session: Session, office: OfficeView) -> dict[str, int]:
    rows = session.execute(
        select(Ticket.service_id, func.count()).where(
            Ticket.office_id == office.id, Ticket.business_day == office.today,
            Ticket.status == Status.WAITING).group_by(Ticket.service_id)).all()
    counts = {str(s.id): 0 for s in services_of(session, office.id)}
    counts.update({str(service_id): n for service_id, n in rows})
    return counts


def services_of(session: Session, office_id: int) -> list[Service]:
    return list(session.scalars(select(Service).where(Service.office_id == office_id)
                                .order_by(Service.position, Service.id)))


def counter_service_ids(session: Session, office_id: int) -> dict[int, list[int]]:
    rows = session.execute(
        select(CounterService.counter_id, CounterService.service_id)
        .join(Counter, Counter.id == CounterService.counter_id)
        .where(Counter.office_id == office_id)
        .order_by(CounterService.service_id)).all()
    out: dict[int, list[int]] = {}
    for counter_id, service_id in rows:
        out.setdefault(counter_id, []).append(service_id)
    return out


def average_service_s(session: Session, office: OfficeView, service_id: int) -> float:
    """Today's mean time at the counter for this field, else the configured estimate."""
    rows = session.execute(
        select(Ticket.called_at, Ticket.finished_at).where(
            Ticket.office_id == office.id, Ticket.service_id == service_id,
            Ticket.business_day == office.today, Ticket.status == Status.DONE)
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).limit(30)).all()
    spans = [(utc(done) - utc(called)).total_seconds() for called, done in rows
             if called and done and done > called]
    if len(spans) >= 3:
        return sum(spans) / len(spans)
    return 60.0 * int(office.section("policy").get("service_minutes", 8))


def counters_serving(session: Session, office_id: int, service_id: int) -> list[Counter]:
    return list(session.scalars(
        select(Counter).join(CounterService, CounterService.counter_id == Counter.id)
        .where(Counter.office_id == office_id, CounterService.service_id == service_id)
        .order_by(Counter.number)))


def waiting_ahead(session: Session, ticket: Ticket) -> int:
    if ticket.status != Status.WAITING:
        return 0
    before = or_(Ticket.queued_at < ticket.queued_at,
                 and_(Ticket.queued_at == ticket.queued_at, Ticket.id < ticket.id))
    same_kind_before = and_(Ticket.is_priority == ticket.is_priority, before)
    ahead = same_kind_before if ticket.is_priority else or_(Ticket.is_priority.is_(True),
                                                           same_kind_before)
    return session.scalar(select(func.count()).where(
        Ticket.office_id == ticket.office_id, Ticket.service_id == ticket.service_id,
        Ticket.business_day == ticket.business_day, Ticket.status == Status.WAITING, ahead)) or 0


def ticket_json(session: Session, office: OfficeView, ticket: Ticket) -> dict:
    service = session.get(Service, ticket.service_id)
    ahead = waiting_ahead(session, ticket)
    estimate = None
    if ticket.status == Status.WAITING:
        open_counters = [c for c in counters_serving(session, office.id, ticket.service_id)
                         if c.status != "closed"]
        estimate = estimate_wait_s(ahead, len(open_counters),
                                   average_service_s(session, office, ticket.service_id))
    priority_name = None
    if ticket.priority:
        priority_name = session.scalar(select(PriorityCategory.name).where(
            PriorityCategory.office_id == office.id, PriorityCategory.code == ticket.priority))
    status_url = office.section("ticket").get("status_url")
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
        "status_url": status_url.format(id=ticket.id, number=ticket.number) if status_url else None,
    }


def counter_ref(counter: Counter) -> dict:
    return {"id": counter.id, "number": counter.number, "name": counter.name}


def counter_json(session: Session, office: OfficeView, counter: Counter,
                 service_ids: list[int] | None = None) -> dict:
    if service_ids is None:
        service_ids = counter_service_ids(session, office.id).get(counter.id, [])
    current = session.get(Ticket, counter.current_ticket_id) if counter.current_ticket_id else None
    return {
        **counter_ref(counter),
        "service_ids": service_ids,
        "status": counter.status,
        "pause_reason": counter.pause_reason,
        "current_ticket": ticket_json(session, office, current) if current else None,
    }


def counters_json(session: Session, office: OfficeView) -> list[dict]:
    by_counter = counter_service_ids(session, office.id)
    counters = session.scalars(select(Counter).where(Counter.office_id == office.id)
                               .order_by(Counter.number))
    return [counter_json(session, office, c, by_counter.get(c.id, [])) for c in counters]


def issued_today(session: Session, office: OfficeView, service_id: int) -> int:
    return session.scalar(select(func.count()).where(
        Ticket.service_id == service_id, Ticket.business_day == office.today)) or 0


def service_json(session: Session, office: OfficeView, service: Service,
                 waiting: dict[str, int], lang: str = "vi") -> dict:
    counters = counters_serving(session, office.id, service.id)
    open_counters = [c for c in counters if c.status != "closed"]
    rules = service_rules(service)
    reason = unavailable_reason(rules, office.hours, office.now.astimezone(office.tz),
                                issued_today(session, office, service.id), len(open_counters))
    n_waiting = waiting.get(str(service.id), 0)
    return {
        "id": service.id,
        "code": service.code,
        "name": service.name,
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
    return [service_json(session, office, s, waiting, lang) for s in services_of(session, office.id)]


def office_json(session: Session, office: OfficeView) -> dict:
    row = office.row
    categories = session.scalars(select(PriorityCategory).where(
        PriorityCategory.office_id == row.id, PriorityCategory.active.is_(True))
        .order_by(PriorityCategory.position, PriorityCategory.id))
    ticket = office.section("ticket")
    return {
        "id": row.id, "code": row.code, "name": row.name, "unit": row.unit,
        "timezone": row.timezone, "opening": row.opening, "closing": row.closing,
        "now": office.local(office.now), "business_day": office.today.isoformat(),
        "priority_categories": [{"code": c.code, "name": c.name} for c in categories],
        "ticket": {"footer": ticket.get("footer", ""), "status_url": ticket.get("status_url")},
        "announcement": {"repeat": int(office.section("announcement").get("repeat", 2))},
    }


def tickets_json(session: Session, office: OfficeView, status: str,
                 service_id: int | None = None, limit: int = 500) -> list[dict]:
    """Today's tickets in one state; waiting ones in the order they would be called."""
    query = select(Ticket).where(Ticket.office_id == office.id, Ticket.status == status,
                                 Ticket.business_day == office.today)
    if service_id is not None:
        query = query.where(Ticket.service_id == service_id)
    if status == Status.WAITING:
        query = query.order_by(Ticket.is_priority.desc(), Ticket.queued_at, Ticket.id)
    else:
        query = query.order_by(Ticket.id.desc())
    return [ticket_json(session, office, t) for t in session.scalars(query.limit(limit))]


def recent_calls(session: Session, office: OfficeView, limit: int = 10) -> list[dict]:
    """The latest calls today, newest first, as the hall display lists them."""
    from server.storage.tables import Event

    rows = session.execute(
        select(Event.data, Event.at).where(Event.office_id == office.id,
                                           Event.type == "ticket.called")
        .order_by(Event.id.desc()).limit(limit)).all()
    today = office.today.isoformat()
    return [{"ticket": data["ticket"], "counter": data.get("counter"),
             "called_at": office.local(at), "recall": bool(data.get("recall"))}
            for data, at in rows if data["ticket"].get("business_day") == today]
