"""The citizen's rating of a served ticket, and the status page's view of one ticket.

A rating comes from the rating device of the counter that served the ticket, or from
the ticket's own status page (its code is the proof); one per ticket, tied to the
counter and the clerk who finished it (the user of its `ticket.done` event).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from layso.server import bodies
from layso.server import snapshots as snap
from layso.server.citizen_texts import status_words
from layso.server.domain.errors import Conflict, Forbidden, Invalid, NotFound
from layso.server.domain.tickets import Status
from layso.server.public_settings import RatingSettings
from layso.server.storage.tables import Counter, Device, Event, Office, Rating, Ticket
from layso.server.ticket_codes import code_is_valid, ticket_id_of

SOURCES = ("device", "status_page")


def read_rating(settings: RatingSettings, data: dict) -> tuple[str, list[str], str | None]:
    """(level, reasons, status-page code or None) of a rating body (bodies.py's
    RatingRequest); 422 naming a wrong field, or a level this office does not offer."""
    values = bodies.read("RatingRequest", data)
    level = values["level"]
    if settings.level(level) is None:
        raise Invalid("unknown_rating_level", code=level,
                      codes=", ".join(lv.code for lv in settings.levels))
    reasons = [unicodedata.normalize("NFC", r.strip()) for r in values["reasons"]]
    return level, list(dict.fromkeys(r for r in reasons if r)), values["status_page_code"]


def ticket_by_code(session: Session, code: str) -> tuple[Ticket, Office]:
    """The ticket a status-page code names; NotFound for any code that is not its own."""
    ticket_id = ticket_id_of(code)
    ticket = session.get(Ticket, ticket_id) if ticket_id is not None else None
    office = session.get(Office, ticket.office_id) if ticket is not None else None
    if ticket is None or office is None or not code_is_valid(office.status_secret, code):
        raise NotFound("not_found", what="ticket", id=ticket_id_of(code) or "?")
    return ticket, office


def finished_by(session: Session, ticket_id: int) -> int | None:
    """The user who pressed "done" for this ticket (None if a device or nobody did)."""
    return session.scalar(select(Event.user_id).where(
        Event.ticket_id == ticket_id, Event.type == "ticket.done").order_by(Event.id.desc())
        .limit(1))


def add_rating(session: Session, ticket: Ticket, level: str, reasons: Sequence[str],
               source: str, now: datetime) -> Rating:
    """Store the one rating of a served ticket; 409 when it is not served or already rated."""
    if ticket.status != Status.DONE:
        raise Conflict("rating_not_served", number=ticket.number)
    if session.scalar(select(Rating.id).where(Rating.ticket_id == ticket.id)) is not None:
        raise Conflict("rating_exists", number=ticket.number)
    rating = Rating(office_id=ticket.office_id, ticket_id=ticket.id, counter_id=ticket.counter_id,
                    user_id=finished_by(session, ticket.id), level=level,
                    reasons=list(reasons), at=now, source=source)
    session.add(rating)
    try:
        session.flush()
    except IntegrityError:   # another process stored one in the same instant
        raise Conflict("rating_exists", number=ticket.number) from None
    return rating


def device_may_rate(session: Session, device_id: int, ticket: Ticket) -> None:
    """A rating device rates only tickets finished at the counter it is set up at."""
    device = session.get(Device, device_id)
    if device is None or device.counter_id is None or device.counter_id != ticket.counter_id:
        counter = session.get(Counter, device.counter_id) if device and device.counter_id \
            else None
        raise Forbidden("rating_other_counter", number=ticket.number,
                        counter=counter.name if counter else "?")


def rating_json(rating: Rating) -> dict:
    return {"ticket_id": rating.ticket_id, "level": rating.level, "reasons": rating.reasons,
            "counter_id": rating.counter_id, "source": rating.source}


def ticket_status(session: Session, office: snap.OfficeView, ticket: Ticket,
                  settings: RatingSettings) -> dict:
    """What the citizen's phone shows: the ticket, where to go, and whether to rate."""
    data = snap.ticket_json(session, office, ticket)
    counter = session.get(Counter, ticket.counter_id) if ticket.counter_id else None
    rated = session.scalar(select(Rating.level).where(Rating.ticket_id == ticket.id))
    status = {
        "number": data["number"],
        "service_code": data["service_code"],
        "service_name": data["service_name"],
        "status": data["status"],
        "waiting_ahead": data["waiting_ahead"],
        "estimated_wait_s": data["estimated_wait_s"],
        "counter": {"number": counter.number, "name": counter.name}
        if counter is not None and ticket.status in (Status.CALLED, Status.DONE,
                                                     Status.NO_SHOW) else None,
        "issued_at": data["issued_at"],
        "called_at": data["called_at"],
        "finished_at": data["finished_at"],
        "business_day": data["business_day"],
        "recall_count": data["recall_count"],
        "office": {"name": office.row.name, "unit": office.row.unit},
        "rating": {
            "level": rated,
            "can_rate": rated is None and ticket.status == Status.DONE,
            "levels": [{"code": lv.code, "name": lv.name, "name_en": lv.name_en,
                        "unhappy": lv.unhappy} for lv in settings.levels],
            "reasons": list(settings.reasons),
        },
    }
    status["say"] = status_words(status)
    return status


def device_counter(session: Session, device_id: int) -> Counter | None:
    device = session.get(Device, device_id)
    return session.get(Counter, device.counter_id) if device and device.counter_id else None


def bind_device(session: Session, device_id: int, counter: Counter) -> None:
    """Set a rating device up at a counter (its set-up link names the counter)."""
    session.get(Device, device_id).counter_id = counter.id
