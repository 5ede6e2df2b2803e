"""An office driven through its HTTP API in-process (Flask test client, SQLite in a temp
directory), with a clock the test moves: the kiosk issues, clerks call, the display reads.

Used by the line tests; the office is built from a short description so generated tests
can make many different offices.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from layso.server.app import create_app
from layso.server.auth import token_hash
from layso.server.config import load_config
from layso.server.storage.tables import AuthToken, Counter, Service, User
from tests.support.office_clock import Clock

KIOSK = "kiosk-token-0123456789"
DISPLAY = "display-token-0123456789"
CLERK = "clerk-token-0123456789"
API = "/api/v1"


@dataclass
class Field:
    code: str
    prefix: str
    name: str = ""


@dataclass
class Plan:
    """What the office looks like: fields, counters (number → field codes), policy."""

    fields: list[Field]
    counters: dict[int, list[str]]
    priority_run: int = 2
    max_wait_minutes: int = 0
    service_minutes: int = 8
    extra: str = ""

    def toml(self) -> str:
        parts = ['[office]\ncode = "xa-thu"\nname = "UBND xã Thử"\n'
                 'unit = "Trung tâm Phục vụ hành chính công"\n'
                 'opening = "07:30"\nclosing = "17:00"\n',
                 f"[policy]\npriority_run = {self.priority_run}\n"
                 f"max_wait_minutes = {self.max_wait_minutes}\n"
                 f"service_minutes = {self.service_minutes}\n"]
        parts += [f'[[services]]\ncode = "{f.code}"\nname = "{f.name or "Lĩnh vực " + f.code}"\n'
                  f'prefix = "{f.prefix}"\n' for f in self.fields]
        parts += [f"[[counters]]\nnumber = {number}\nservices = {codes!r}\n".replace("'", '"')
                  for number, codes in self.counters.items()]
        parts += [f'[[devices]]\nname = "kiosk-sanh"\nrole = "kiosk"\ntoken = "{KIOSK}"\n',
                  f'[[devices]]\nname = "tv-sanh"\nrole = "display"\ntoken = "{DISPLAY}"\n']
        return "\n".join(parts) + self.extra


TWO_FIELDS = Plan([Field("TP", "1", "Tư pháp – Hộ tịch"), Field("DD", "3", "Đất đai")],
                  {1: ["TP"], 3: ["TP", "DD"]})


@dataclass
class ApiOffice:
    app: object
    clock: Clock
    services: dict[str, int]
    counters: dict[int, int]                  # counter number → id
    statements: list[str] = field(default_factory=list)

    @property
    def client(self):
        return self.app.test_client()

    @property
    def ctx(self):
        return self.app.extensions["layso"]

    def request(self, method: str, path: str, token: str, **kwargs):
        return self.client.open(API + path, method=method,
                                headers={"Authorization": f"Bearer {token}"}, **kwargs)

    def issue(self, code: str, priority: str | None = None) -> dict:
        body = {"service_id": self.services[code]} | ({"priority": priority} if priority else {})
        r = self.request("POST", "/tickets", KIOSK, json=body)
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    def call(self, number: int) -> dict | None:
        r = self.request("POST", f"/counters/{self.counters[number]}/call-next", CLERK)
        assert r.status_code == 200, r.get_json()
        return r.get_json()["ticket"]

    def line(self, number: int, limit: int | None = None) -> list[dict]:
        query = {"limit": limit} if limit is not None else {}
        r = self.request("GET", f"/counters/{self.counters[number]}/line", DISPLAY,
                         query_string=query)
        assert r.status_code == 200, r.get_json()
        return r.get_json()["tickets"]

    def ticket(self, ticket_id: int) -> dict:
        r = self.request("GET", f"/tickets/{ticket_id}", DISPLAY)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def waiting(self) -> list[dict]:
        r = self.request("GET", "/tickets", DISPLAY, query_string={"status": "waiting"})
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def act(self, path: str, **body) -> dict:
        r = self.request("POST", path, CLERK, json=body or None)
        assert r.status_code == 200, r.get_json()
        return r.get_json()

    def set_counter_status(self, number: int, status: str) -> None:
        """What an admin closing a counter for the day leaves in its row."""
        with self.ctx.db.write() as session:
            session.get(Counter, self.counters[number]).status = status

    def count_statements(self) -> None:
        """From now on, every SQL statement the app sends is appended to `statements`."""
        engines = {self.ctx.db.write_engine, self.ctx.db.read_engine}
        for engine in engines:
            event.listen(engine, "before_cursor_execute",
                         lambda _c, _cur, sql, *_a: self.statements.append(sql))

    def close(self) -> None:
        self.ctx.db.dispose()


def open_office(tmp_path: Path, plan: Plan = TWO_FIELDS, clock: Clock | None = None,
                db_url: str | None = None) -> ApiOffice:
    clock = clock or Clock()
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "office.toml"
    path.write_text(plan.toml(), encoding="utf-8")
    app = create_app(load_config(path), data_dir=tmp_path / "data", db_url=db_url,
                     clock=clock)
    db = app.extensions["layso"].db
    with db.write() as session:
        office_id = app.extensions["layso"].office_id
        clerk = User(office_id=office_id, username="canbo", full_name="Cán bộ",
                     password_hash="!", role="clerk", active=True, failed_logins=0,
                     created_at=clock())
        session.add(clerk)
        session.flush()
        session.add(AuthToken(user_id=clerk.id, token_hash=token_hash(CLERK),
                              created_at=clock(), expires_at=clock() + timedelta(days=30)))
        services = {s.code: s.id for s in session.scalars(select(Service))}
        counters = {c.number: c.id for c in session.scalars(select(Counter))}
    return ApiOffice(app, clock, services, counters)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for one test (dropped after), or the test is skipped."""
    base = os.environ.get("LAYSO_TEST_PG_URL")
    if not base:
        pytest.skip("no PostgreSQL here (set LAYSO_TEST_PG_URL)")
    import psycopg

    name = "layso_t_" + uuid.uuid4().hex[:10]
    admin_url = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
