"""A clerk's own day: how many citizens served, how many did not come, mean service time."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from layso.server.domain.tickets import Status
from layso.server.snapshots import OfficeView
from layso.server.storage.tables import Ticket, utc


def clerk_today(session: Session, office: OfficeView, user_id: int) -> dict:
    """Tickets this user called today and finished; service time is call to finish."""
    rows = session.execute(select(Ticket.status, Ticket.called_at, Ticket.finished_at).where(
        Ticket.office_id == office.id, Ticket.business_day == office.today,
        Ticket.called_by == user_id,
        Ticket.status.in_([Status.DONE, Status.NO_SHOW]))).all()
    spans = [(utc(finished) - utc(called)).total_seconds()
             for status, called, finished in rows
             if status == Status.DONE and called and finished and finished >= called]
    return {
        "served": sum(1 for status, _, _ in rows if status == Status.DONE),
        "no_show": sum(1 for status, _, _ in rows if status == Status.NO_SHOW),
        "average_service_s": round(sum(spans) / len(spans)) if spans else None,
    }
