"""An office's day run in-process on the real storage, with a clock the test moves.

Kept out of conftest.py so other test folders can define fixtures freely.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from layso.server.app import create_app
from layso.server.config import load_config
from layso.server.operations import Actor
from layso.server.storage.tables import Counter, Device, Event, Service, User

SMALL_OFFICE = """
[office]
code = "xa-thu"
name = "UBND xã Thử"
unit = "Trung tâm Phục vụ hành chính công"
opening = "07:30"
closing = "17:00"

[policy]
priority_run = {priority_run}
max_wait_minutes = {max_wait}

[[services]]
code = "TP"
name = "Tư pháp – Hộ tịch"
prefix = "1"

[[services]]
code = "DD"
name = "Đất đai"
prefix = "3"

[[services]]
code = "KD"
name = "Đăng ký kinh doanh hộ"
prefix = "A"
daily_cap = 3
cutoff = "16:30"

[[counters]]
number = 1
services = ["TP"]

[[counters]]
number = 3
services = ["TP", "DD"]

[[counters]]
number = 6
services = ["KD"]

[[devices]]
name = "kiosk-sanh"
role = "kiosk"
token = "kiosk-token-0123456789"
"""

# 09:00 in Hà Nội on a Monday, as UTC.
MORNING = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


class Clock:
    def __init__(self, now: datetime = MORNING):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class OfficeDay:
    """The office seen by its kiosk and one clerk; methods read like the day."""

    def __init__(self, app, clock: Clock):
        self.app = app
        self.clock = clock
        self.ctx = app.extensions["layso"]
        self.queue = self.ctx.queue
        with self.ctx.db.write() as session:
            clerk = User(office_id=self.ctx.office_id, username="canbo", password_hash="x",
                         role="clerk", active=True, failed_logins=0, created_at=clock())
            session.add(clerk)
            session.flush()
            self.clerk = Actor("user", clerk.id, self.ctx.office_id, "clerk", "canbo")
            kiosk = session.scalar(select(Device))
            self.kiosk = Actor("device", kiosk.id, self.ctx.office_id, "kiosk", kiosk.name)
            self._services = {s.code: s.id for s in session.scalars(select(Service))}
            self._counters = {c.number: c.id for c in session.scalars(select(Counter))}

    def service(self, code: str) -> int:
        return self._services[code]

    def counter(self, number: int) -> int:
        return self._counters[number]

    def issue(self, code: str, priority: str | None = None) -> dict:
        ticket, _created = self.queue.issue_ticket(self.kiosk, self.service(code), priority)
        return ticket

    def call(self, counter_number: int) -> str | None:
        ticket = self.queue.call_next(self.clerk, self.counter(counter_number))
        return ticket["number"] if ticket else None

    def events(self, event_type: str) -> list[dict]:
        with self.ctx.db.read() as session:
            rows = session.execute(select(Event.data, Event.from_state, Event.to_state)
                                   .where(Event.type == event_type).order_by(Event.id)).all()
        return [{"data": d, "from": f, "to": t} for d, f, t in rows]


def make_office(tmp_path: Path, clock: Clock, priority_run: int = 2, max_wait: int = 0,
                text: str | None = None) -> OfficeDay:
    path = tmp_path / "office.toml"
    path.write_text(text or SMALL_OFFICE.format(priority_run=priority_run, max_wait=max_wait),
                    encoding="utf-8")
    app = create_app(load_config(path), data_dir=tmp_path / "data", clock=clock)
    return OfficeDay(app, clock)
