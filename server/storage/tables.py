"""The database tables. Every row belongs to an office, so one server can host a province.

Times are stored in UTC (timezone-aware on PostgreSQL, naive-UTC on SQLite: read them
through `utc()`).
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only autoincrements INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit id.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    pass


def utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


class Office(Base):
    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    opening: Mapped[str] = mapped_column(String(5))          # "07:30"
    closing: Mapped[str | None] = mapped_column(String(5))
    # policy, announcement, ticket, display
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    business_day: Mapped[date | None] = mapped_column(Date)    # the day last reset to
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Keys the status-page codes (server/ticket_codes.py); made once, never shown.
    status_secret: Mapped[str] = mapped_column(String(64), nullable=True,
                                               default=lambda: secrets.token_hex(32))


class Service(Base):
    __tablename__ = "services"
    __table_args__ = (UniqueConstraint("office_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    prefix: Mapped[str] = mapped_column(String(3), default="")
    start: Mapped[int] = mapped_column(Integer, default=1)
    width: Mapped[int] = mapped_column(Integer, default=3)
    daily_cap: Mapped[int | None] = mapped_column(Integer)
    cutoff: Mapped[str | None] = mapped_column(String(5))
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Counter(Base):
    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("office_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(10), default="open")   # open | paused | closed
    pause_reason: Mapped[str | None] = mapped_column(String(200))
    # No foreign key: counters and tickets would refer to each other at table creation.
    current_ticket_id: Mapped[int | None] = mapped_column(BigId)
    priority_streak: Mapped[int] = mapped_column(Integer, default=0)


class CounterService(Base):
    __tablename__ = "counter_services"
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)


class PriorityCategory(Base):
    __tablename__ = "priority_categories"
    __table_args__ = (UniqueConstraint("office_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(10))        # clerk | admin | leader
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserCounter(Base):
    """A clerk assigned to particular counters; a clerk with none may use any."""

    __tablename__ = "user_counters"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)


class Device(Base):
    __tablename__ = "devices"
    __table_args__ = (UniqueConstraint("office_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(10))        # kiosk | display
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[str | None] = mapped_column(String(40))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))  # rating devices


class AuthToken(Base):
    __tablename__ = "auth_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NumberSequence(Base):
    """The last number given per field and business day, bumped atomically."""

    __tablename__ = "number_sequences"
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("service_id", "business_day", "number"),
        # Serves the queue heads, the waiting counts and "people ahead" from the index
        # alone, so a line of 10,000 costs little more than a line of 10.
        Index("ix_tickets_line", "office_id", "status", "business_day", "service_id",
              "is_priority", "queued_at", "id"),
        Index("ix_tickets_day", "office_id", "business_day", "status"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    business_day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    priority: Mapped[str | None] = mapped_column(String(16))
    is_priority: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    queued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # orders the queue
    called_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    called_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recall_count: Mapped[int] = mapped_column(Integer, default=0)
    device_id: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))
    dossier_code: Mapped[str | None] = mapped_column(String(64))  # mã hồ sơ, given at "done"


class Event(Base):
    """One row per ticket transition or office event; the SSE stream and reports read these."""

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_office_id", "office_id", "id"),
        # A ticket's events by type, and the reports' first call and estimate from the
        # index alone.
        Index("ix_events_ticket", "ticket_id", "type", "at", "estimate_s"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ticket_id: Mapped[int | None] = mapped_column(BigId)
    counter_id: Mapped[int | None] = mapped_column(Integer)
    user_id: Mapped[int | None] = mapped_column(Integer)
    device_id: Mapped[int | None] = mapped_column(Integer)
    from_state: Mapped[str | None] = mapped_column(String(10))
    to_state: Mapped[str | None] = mapped_column(String(10))
    data: Mapped[dict] = mapped_column(JSON)
    broadcast: Mapped[bool] = mapped_column(Boolean, default=True)
    # A ticket.issued event's ticket.estimated_wait_s, beside the JSON, so the reports
    # need not parse a year of it.
    estimate_s: Mapped[float | None] = mapped_column(Float)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("office_id", "principal", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    principal: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(100))
    ticket_id: Mapped[int] = mapped_column(BigId)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AuditEntry(Base):
    """Who changed what in the office's settings, and when."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    action: Mapped[str] = mapped_column(String(60))
    details: Mapped[dict] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")


class Rating(Base):
    """A citizen's rating of one served ticket, tied to the counter and the clerk who
    finished it; one per ticket."""

    __tablename__ = "ratings"
    __table_args__ = (Index("ix_ratings_office_at", "office_id", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    ticket_id: Mapped[int] = mapped_column(BigId, ForeignKey("tickets.id"),
                                           unique=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    level: Mapped[str] = mapped_column(String(32))
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(16))      # "device" | "status_page"


class ReportDay(Base):
    """A closed business day's figures as the reports keep them (server/report_queries.py):
    the groups and counts as JSON, every measured time packed as 8-byte floats. A day is
    closed once the office has rolled past it: its tickets can no longer change, so a
    year's report need not scan a year of tickets and events."""

    __tablename__ = "report_days"
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), primary_key=True)
    business_day: Mapped[date] = mapped_column(Date, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict] = mapped_column(JSON)
    times: Mapped[bytes] = mapped_column(LargeBinary)
    made_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
