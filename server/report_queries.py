"""The statements behind the reports: business days → `Figures` (server/reports.py).

Each ticket's times are those its event rows recorded: the ticket row keeps the issue
time (`ticket.issued`), the last call (`ticket.called` from waiting), the finish
(`ticket.done` / `ticket.no_show`) and the counter and clerk of that last call; the
first call (a transferred ticket's wait ends there) and the estimate the citizen was
given (`events.estimate_s`, beside the `ticket.issued` JSON) come from the events index.

A day the office has rolled past can no longer change (what was left expired at the
reset), so its figures are measured once and kept in `report_days`; a year's report
then reads 250 small rows instead of scanning 300,000 tickets and their events.
"""

from __future__ import annotations

import sys
from array import array
from collections import Counter as Tally
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Integer, Numeric, case, cast, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from layso.server.reports import DossierRow, Figures, Names, TicketGroup, day_figures
from layso.server.storage.db import Database
from layso.server.storage.tables import (
    Counter,
    Event,
    Office,
    Rating,
    ReportDay,
    Service,
    Ticket,
    User,
)

CACHE_VERSION = 1   # raise it when what a kept day holds, or how it is measured, changes


def _seconds(later, earlier, sqlite: bool):
    """later − earlier in seconds (to the millisecond), NULL if either is NULL."""
    if sqlite:   # SQLite keeps naive UTC text; julianday() reads it
        return func.round((func.julianday(later) - func.julianday(earlier)) * 86400.0, 3)
    return cast(func.round(cast(func.extract("epoch", later - earlier), Numeric), 3), Float)


def _utc_hour(moment, sqlite: bool):
    """Whole hours since 1970-01-01 00:00 UTC."""
    if sqlite:
        return cast((func.julianday(moment) - 2440587.5) * 24.0, Integer)
    return cast(func.floor(func.extract("epoch", moment) / 3600), Integer)


def day_tickets(session: Session, office_id: int, first: date,
                last: date) -> dict[date, Figures]:
    """The figures of each business day first..last that has tickets (one statement)."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    first_call = (select(func.min(Event.at))
                  .where(Event.ticket_id == Ticket.id, Event.type == "ticket.called")
                  .correlate(Ticket).scalar_subquery())
    estimate = (select(Event.estimate_s)
                .where(Event.ticket_id == Ticket.id, Event.type == "ticket.issued")
                .correlate(Ticket).limit(1).scalar_subquery())
    stmt = (
        select(
            Ticket.business_day,
            Ticket.service_id,
            Ticket.counter_id,
            case((Ticket.counter_id.is_not(None), Ticket.called_by)),
            Ticket.status,
            _seconds(first_call, Ticket.issued_at, sqlite),
            case((Ticket.status == "done",
                  _seconds(Ticket.finished_at, Ticket.called_at, sqlite))),
            estimate,
            _utc_hour(Ticket.issued_at, sqlite),
            case((Ticket.status == "done", _utc_hour(Ticket.finished_at, sqlite))),
        )
        .where(Ticket.office_id == office_id, Ticket.business_day >= first,
               Ticket.business_day <= last))
    by_day: dict[date, list[tuple]] = {}
    for row in session.connection().execute(stmt):   # plain rows, not ORM results
        by_day.setdefault(row[0], []).append(row[1:])
    return {day: day_figures(rows) for day, rows in by_day.items()}


def _packed(figures: Figures) -> tuple[dict, bytes]:
    """A day's figures as kept: counts as JSON, the times as little-endian doubles (each
    group's waits, then its service times, then the day's estimate errors)."""
    times = array("d")
    groups = []
    for g in figures.groups.values():
        groups.append([g.service_id, g.counter_id, g.user_id, g.status, g.count,
                       len(g.waits), len(g.services)])
        times.extend(g.waits)
        times.extend(g.services)
    times.extend(figures.errors)
    if sys.byteorder == "big":
        times.byteswap()
    return ({"groups": groups, "issued": list(figures.issued_at.items()),
             "served": list(figures.served_at.items()), "bins": figures.eta_bins},
            times.tobytes())


def _unpacked(summary: dict, packed: bytes) -> Figures:
    times = array("d")
    times.frombytes(packed)
    if sys.byteorder == "big":
        times.byteswap()
    groups, at = {}, 0
    for service_id, counter_id, user_id, status, count, n_waits, n_services in summary["groups"]:
        key = (service_id, counter_id, user_id, status)
        groups[key] = TicketGroup(*key, count, times[at:at + n_waits].tolist(),
                                  times[at + n_waits:at + n_waits + n_services].tolist())
        at += n_waits + n_services
    return Figures(groups, Tally(dict(summary["issued"])), Tally(dict(summary["served"])),
                   times[at:].tolist(), summary["bins"])


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def range_figures(db: Database, office_id: int, first: date, last: date,
                  closed_before: date, now: datetime) -> Figures:
    """The figures of business days first..last. A day before `closed_before` (the office
    has rolled past it) is read from `report_days`, or measured once and kept there;
    later days are measured each time."""
    closed_last = min(last, closed_before - timedelta(days=1))
    with db.read() as session:
        kept = {day: (summary, times) for day, summary, times in session.execute(
            select(ReportDay.business_day, ReportDay.summary, ReportDay.times).where(
                ReportDay.office_id == office_id, ReportDay.business_day >= first,
                ReportDay.business_day <= closed_last, ReportDay.version == CACHE_VERSION))}
        needed = [d for d in _days(first, last) if d not in kept]
        measured = day_tickets(session, office_id, needed[0], needed[-1]) if needed else {}
    to_keep = [d for d in needed if d <= closed_last]
    if to_keep:
        rows = []
        for d in to_keep:
            summary, times = _packed(measured.get(d) or Figures())
            rows.append({"office_id": office_id, "business_day": d, "version": CACHE_VERSION,
                         "summary": summary, "times": times, "made_at": now})
        with db.write() as session:
            insert = sqlite_insert if db.is_sqlite else pg_insert
            session.execute(insert(ReportDay).values(rows).on_conflict_do_nothing())
    total = Figures()
    for summary, times in kept.values():
        total.add(_unpacked(summary, times))
    for d in needed:
        if d in measured:
            total.add(measured[d])
    return total


def rating_counts(session: Session, office_id: int, first: date, last: date) -> dict[str, int]:
    """Ratings per level, of the tickets of the range."""
    rows = session.execute(
        select(Rating.level, func.count()).join(Ticket, Ticket.id == Rating.ticket_id)
        .where(Ticket.office_id == office_id, Ticket.business_day >= first,
               Ticket.business_day <= last)
        .group_by(Rating.level))
    return {level: n for level, n in rows}


def office_names(session: Session, office: Office) -> Names:
    services = {s.id: (s.code, s.name) for s in session.scalars(
        select(Service).where(Service.office_id == office.id)
        .order_by(Service.position, Service.id))}
    counters = dict(session.execute(select(Counter.id, Counter.number)
                                    .where(Counter.office_id == office.id)
                                    .order_by(Counter.number)).all())
    users, clerks = {}, []
    for uid, username, full_name, role, active in session.execute(
            select(User.id, User.username, User.full_name, User.role, User.active)
            .where(User.office_id == office.id).order_by(User.username)):
        users[uid] = (username, full_name)
        if role == "clerk" and active:
            clerks.append(uid)
    return Names(office.code, office.name, office.timezone, services, counters, users,
                 tuple(clerks))


def dossier_rows(session: Session, office_id: int, first: date, last: date,
                 names: Names) -> list[DossierRow]:
    """Served tickets of the range that carry a dossier code, in the order they finished."""
    tz = ZoneInfo(names.timezone)
    rows = session.execute(
        select(Ticket.business_day, Ticket.number, Ticket.service_id, Ticket.counter_id,
               Ticket.called_by, Ticket.finished_at, Ticket.dossier_code)
        .where(Ticket.office_id == office_id, Ticket.business_day >= first,
               Ticket.business_day <= last, Ticket.dossier_code.is_not(None),
               Ticket.status == "done")
        .order_by(Ticket.finished_at, Ticket.id))
    out = []
    for day, number, service_id, counter_id, user_id, finished, code in rows:
        finished = finished if finished.tzinfo else finished.replace(tzinfo=UTC)
        out.append(DossierRow(day, number, names.services.get(service_id, ("?", ""))[0],
                              names.counters.get(counter_id) if counter_id else None,
                              names.users.get(user_id, ("", ""))[0] if user_id else "",
                              finished.astimezone(tz), code))
    return out
