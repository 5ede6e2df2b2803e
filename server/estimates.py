"""How long the counters take: the measured service times behind estimated_wait_s."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from layso.server.domain.tickets import Status
from layso.server.storage.tables import Ticket, utc

if TYPE_CHECKING:
    from layso.server.snapshots import OfficeView


class ServiceTimes:
    """The measured time at the counter per office, field and day, kept for 30 s of the
    office's clock. One per server (`Queue`): figures never leak between two servers
    or two offices."""

    KEEP_S = 30.0

    def __init__(self) -> None:
        self._values: dict[tuple[int, int, date], tuple[float, datetime]] = {}

    def get(self, key: tuple[int, int, date], now: datetime) -> float | None:
        value, at = self._values.get(key, (None, now))
        if value is None or not at <= now < at + timedelta(seconds=self.KEEP_S):
            return None  # also when the clock went back
        return value

    def put(self, key: tuple[int, int, date], value: float, now: datetime) -> None:
        if len(self._values) > 10_000:  # old days' figures are never asked again
            self._values.clear()
        self._values[key] = (value, now)


_RECENT_SPANS = (
    select(Ticket.called_at, Ticket.finished_at)
    .where(Ticket.office_id == bindparam("office"), Ticket.service_id == bindparam("service"),
           Ticket.business_day == bindparam("day"), Ticket.status == Status.DONE)
    .order_by(Ticket.finished_at.desc(), Ticket.id.desc()).limit(30))


def average_service_s(session: Session, office: OfficeView, service_id: int) -> float:
    """Today's mean time at the counter for this field, else the configured estimate.

    It is an estimate shown to citizens, so it is recomputed at most every 30 s.
    """
    key = (office.id, service_id, office.today)
    cached = office.service_times.get(key, office.now)
    if cached is not None:
        return cached
    rows = session.execute(_RECENT_SPANS, {"office": office.id, "service": service_id,
                                           "day": office.today}).all()
    spans = [(utc(done) - utc(called)).total_seconds() for called, done in rows
             if called and done and done > called]
    if len(spans) >= 3:
        value = sum(spans) / len(spans)
    else:
        value = 60.0 * office.settings.policy.service_minutes
    office.service_times.put(key, value, office.now)
    return value
