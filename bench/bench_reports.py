"""How fast the reports and the status page answer on a year of one busy office.

    .venv/bin/python bench/bench_reports.py [--tickets 300000] [--pg URL] [--keep DIR]
                                            [--rounds 5]

Generates one year (2025, Monday–Friday) of the bundled commune office with bulk inserts:
about 1,150 tickets a business day, each with the event rows the server writes for it
(issued, called, 5% recalled, 3% transferred and called again, done / no-show / cancelled /
expired, and the counter.updated rows beside them), event data shaped like the server's
own, and a dossier code on 60% of the served. Then, through the app in-process (no
network, so the figures are server time), with a leader's token:

- GET /api/v1/reports for a month (goal ≤ 1 s) and for the year (goal ≤ 3 s);
- GET /api/v1/reports.xlsx for a month (goal ≤ 3 s);
- the status page of the last of 300 waiting tickets: GET /t/<code> and
  GET /api/v1/public/t/<code> (goal ≤ 20 ms).

Each figure is timed `--rounds` times and printed as min / median / max. `--pg URL`
makes a fresh PostgreSQL database from that server's URL for the run (dropped after);
`--keep DIR` keeps (or reuses) the SQLite data directory between runs. A benchmark, not
a test: it prints figures and judges nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _figures import report  # bench/_figures.py: the lines bench/run gathers

from layso.server.app import create_app  # noqa: E402
from layso.server.auth import hash_password  # noqa: E402
from layso.server.config import BUNDLED_CONFIG, load_config  # noqa: E402
from layso.server.storage.tables import (  # noqa: E402
    Counter,
    CounterService,
    Event,
    ReportDay,
    Service,
    Ticket,
    User,
)

YEAR = 2025
OPEN_UTC = timedelta(hours=0, minutes=30)       # 07:30 in Hà Nội
LEADER = ("lanhdao", "leader-pass-123")
CHUNK = 20_000


def business_days(year: int) -> list[date]:
    day, out = date(year, 1, 1), []
    while day.year == year:
        if day.weekday() < 5:
            out.append(day)
        day += timedelta(days=1)
    return out


def arrival_minutes(rng: random.Random) -> float:
    """Minutes after opening: a busy morning, a lunch lull, a second wave."""
    while True:
        m = rng.choice((rng.gauss(90, 50), rng.gauss(90, 50), rng.gauss(400, 60)))
        if 0 <= m < 540 and not 240 <= m < 360:
            return m


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


class Generator:
    """Bulk rows of a year: tickets and their events, ids given here."""

    def __init__(self, db, office_id: int, tickets: int, seed: int = 11):
        self.db = db
        self.office_id = office_id
        self.target = tickets
        self.rng = random.Random(seed)
        with db.read() as s:
            self.services = list(s.execute(select(Service.id, Service.code, Service.name,
                                                  Service.prefix)
                                           .where(Service.office_id == office_id)))
            links = s.execute(select(CounterService.service_id, Counter.id, Counter.number,
                                     Counter.name)
                              .join(Counter, Counter.id == CounterService.counter_id)).all()
        self.counters_of: dict[int, list[tuple[int, int, str]]] = {}
        for service_id, cid, number, name in links:
            self.counters_of.setdefault(service_id, []).append((cid, number, name))
        self.ticket_id = 0
        self.event_id = 0

    def make_users(self) -> list[int]:
        with self.db.write() as s:
            ids = []
            for i in range(10):
                user = User(office_id=self.office_id, username=f"canbo{i:02d}",
                            full_name=f"Cán bộ {i:02d}", password_hash="x", role="clerk",
                            active=True, failed_logins=0, created_at=datetime.now(UTC))
                s.add(user)
                s.flush()
                ids.append(user.id)
            s.add(User(office_id=self.office_id, username=LEADER[0], full_name="Lãnh đạo",
                       password_hash=hash_password(LEADER[1]), role="leader", active=True,
                       failed_logins=0, created_at=datetime.now(UTC)))
        return ids

    def ticket_data(self, tid: int, number: str, service, status: str, issued: datetime,
                    day: date, estimate: int | None) -> dict:
        return {"id": tid, "number": number, "service_id": service.id,
                "service_code": service.code, "service_name": service.name, "priority": None,
                "priority_name": None, "status": status, "issued_at": iso(issued),
                "called_at": None, "finished_at": None, "counter_id": None,
                "waiting_ahead": self.rng.randint(0, 30), "estimated_wait_s": estimate,
                "business_day": day.isoformat(), "recall_count": 0, "dossier_code": None,
                "status_url": f"http://192.168.1.10:8080/t/{tid}-" + "a" * 26}

    def run(self) -> int:
        users = self.make_users()
        days = business_days(YEAR)
        per_day = math.ceil(self.target / len(days))
        waiting = {str(s.id): 3 for s in self.services}
        tickets, events = [], []
        total = 0
        for day in days:
            clerk_at = {cid: self.rng.choice(users) for links in self.counters_of.values()
                        for cid, _, _ in links}
            seq = {s.id: 0 for s in self.services}
            opening = datetime(day.year, day.month, day.day, tzinfo=UTC) + OPEN_UTC
            for _ in range(min(per_day, self.target - total)):
                total += 1
                service = self.rng.choices(self.services, weights=(5, 3, 3, 1, 2, 1, 1, 1))[0]
                seq[service.id] += 1
                number = f"{service.prefix}{seq[service.id]:03d}"
                self.ticket_id += 1
                tid = self.ticket_id
                issued = opening + timedelta(minutes=arrival_minutes(self.rng))
                wait = timedelta(seconds=min(10_800, self.rng.expovariate(1 / 720)))
                serve = timedelta(seconds=max(30, self.rng.gammavariate(2, 200)))
                estimate = max(0, int(wait.total_seconds() * self.rng.uniform(0.5, 1.6)))
                cid, cnum, cname = self.rng.choice(self.counters_of[service.id])
                clerk = clerk_at[cid]
                fate = self.rng.random()
                status = ("done" if fate < 0.90 else "no_show" if fate < 0.94 else
                          "cancelled" if fate < 0.96 else "expired")
                called = issued + wait if status in ("done", "no_show") else None
                # 3% are sent on to another field: a first call, the transfer, a later call.
                moved = called if status == "done" and self.rng.random() < 0.03 else None
                if moved is not None:
                    called = moved + timedelta(minutes=3 + self.rng.expovariate(1 / 10))
                finished = called + serve if status == "done" else \
                    called + timedelta(minutes=2) if status == "no_show" else \
                    issued + timedelta(minutes=20) if status == "cancelled" else \
                    opening + timedelta(days=1)
                code = f"H{tid:09d}" if status == "done" and self.rng.random() < 0.6 else None
                tickets.append({"id": tid, "office_id": self.office_id,
                                "service_id": service.id, "business_day": day,
                                "seq": seq[service.id], "number": number, "priority": None,
                                "is_priority": False, "status": status, "issued_at": issued,
                                "queued_at": issued, "called_at": called,
                                "finished_at": finished, "counter_id": cid if called else None,
                                "called_by": clerk if called else None, "recall_count": 0,
                                "device_id": None, "dossier_code": code})
                data = self.ticket_data(tid, number, service, "waiting", issued, day, estimate)
                counter = {"id": cid, "number": cnum, "name": cname}
                self.event(events, "ticket.issued", issued, tid, None, None, None, "waiting",
                           {"ticket": data, "waiting": waiting}, estimate=estimate)
                if moved is not None:
                    self.event(events, "ticket.called", moved, tid, cid, clerk, "waiting",
                               "called", {"ticket": {**data, "status": "called"},
                                          "counter": counter, "recall": False})
                    self.event(events, "ticket.transferred", moved + timedelta(minutes=3),
                               tid, cid, clerk, "called", "waiting",
                               {"ticket": data, "counter": counter, "waiting": waiting,
                                "from_service_id": service.id})
                if called is not None:
                    self.event(events, "ticket.called", called, tid, cid, clerk, "waiting",
                               "called", {"ticket": {**data, "status": "called"},
                                          "counter": counter, "waiting": waiting,
                                          "recall": False, "out_of_order": False,
                                          "announcement": "Xin mời công dân có số thứ tự "
                                                          "một nghìn không trăm linh năm "
                                                          "đến quầy số ba"})
                    self.event(events, "counter.updated", called, None, cid, clerk, None, None,
                               {"counter": {**counter, "service_ids": [service.id],
                                            "status": "open", "pause_reason": None,
                                            "current_ticket": {**data, "status": "called"}}})
                    if self.rng.random() < 0.05:
                        self.event(events, "ticket.called", called + timedelta(seconds=40),
                                   tid, cid, clerk, "called", "called",
                                   {"ticket": data, "counter": counter, "recall": True})
                if status in ("done", "no_show"):
                    self.event(events, f"ticket.{status}", finished, tid, cid, clerk,
                               "called", status, {"ticket": {**data, "status": status},
                                                  "counter": counter, "waiting": waiting,
                                                  **({"dossier_code": code} if code else {})})
                    self.event(events, "counter.updated", finished, None, cid, clerk, None,
                               None, {"counter": {**counter, "service_ids": [service.id],
                                                  "status": "open", "pause_reason": None,
                                                  "current_ticket": None}})
                elif status == "cancelled":
                    self.event(events, "ticket.cancelled", finished, tid, None, None,
                               "waiting", "cancelled", {"ticket": data, "waiting": waiting})
                else:
                    self.event(events, "ticket.expired", finished, tid, None, None,
                               "waiting", "expired", {"ticket": {"id": tid, "number": number}},
                               broadcast=False)
            if len(events) > CHUNK:
                self.flush(tickets, events)
            if total >= self.target:
                break
        self.flush(tickets, events)
        return total

    def event(self, events: list, kind: str, at: datetime, ticket_id, counter_id, user_id,
              from_state, to_state, data: dict, broadcast: bool = True,
              estimate: int | None = None) -> None:
        self.event_id += 1
        events.append({"id": self.event_id, "office_id": self.office_id, "type": kind,
                       "at": at, "ticket_id": ticket_id, "counter_id": counter_id,
                       "user_id": user_id, "device_id": None, "from_state": from_state,
                       "to_state": to_state, "data": {**data, "at": iso(at)},
                       "broadcast": broadcast, "estimate_s": estimate})

    def flush(self, tickets: list, events: list) -> None:
        if not tickets and not events:
            return
        with self.db.write() as s:
            if tickets:
                s.execute(insert(Ticket.__table__), tickets)
            if events:
                s.execute(insert(Event.__table__), events)
        tickets.clear()
        events.clear()


def timed(fn, rounds: int, before=None) -> tuple[list[float], object]:
    """`fn()` timed `rounds` times; `before()` (untimed) ahead of each."""
    times, result = [], None
    for _ in range(rounds):
        if before is not None:
            before()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


ENGINE = ["SQLite"]  # the database being measured, named in each figure


def show(label: str, times: list[float], goal: str, unit: str = "s") -> None:
    scale = 1000 if unit == "ms" else 1
    low, mid, high = min(times) * scale, statistics.median(times) * scale, max(times) * scale
    print(f"  {label:<56} {low:8.3f} / {mid:8.3f} / {high:8.3f} {unit}   (goal {goal})")
    name = re.sub(r" \(\d+ KB\)", "", label)  # the same name whatever the file's size
    report(f"{ENGINE[0]}: {name}, median", mid, unit, goal.rsplit(" ", 1)[0])  # for bench/run


def measure(app, rounds: int) -> None:
    client = app.test_client()
    r = client.post("/api/v1/auth/login", json={"username": LEADER[0], "password": LEADER[1]})
    assert r.status_code == 200, r.get_data(as_text=True)
    leader = {"Authorization": f"Bearer {r.get_json()['token']}"}

    def get(path: str) -> bytes:
        response = client.get(path, headers=leader)
        assert response.status_code == 200, (path, response.get_data(as_text=True)[:300])
        return response.get_data()

    month = "/api/v1/reports?from=2025-10-01&to=2025-10-31"
    year = "/api/v1/reports?from=2025-01-01&to=2025-12-31"
    xlsx = "/api/v1/reports.xlsx?from=2025-10-01&to=2025-10-31"
    db = app.extensions["layso"].db

    def forget_closed_days() -> None:
        with db.write() as session:
            session.execute(delete(ReportDay))

    for label, path, goal in (("one month", month, "≤ 1 s"), ("one year", year, "≤ 3 s")):
        times, body = timed(lambda: get(path), rounds, before=forget_closed_days)
        print(f"  {label}: {json.loads(body)['totals']['issued']:,} tickets")
        show(f"GET /reports, {label}, days not yet kept", times, goal)
        times, body = timed(lambda: get(path), rounds)
        show(f"GET /reports, {label}, closed days kept", times, goal)
    times, body = timed(lambda: get(xlsx), rounds, before=forget_closed_days)
    show(f"GET /reports.xlsx, one month ({len(body) // 1024} KB), not kept", times, "≤ 3 s")
    times, body = timed(lambda: get(xlsx), rounds)
    show("GET /reports.xlsx, one month, kept", times, "≤ 3 s")

    kiosk = {"Authorization": "Bearer bench-kiosk-token-0123456789"}
    services = [s["id"] for s in client.get("/api/v1/services", headers=kiosk).get_json()
                if s["code"] != "KD"]   # KD stops at 80 a day
    last = None
    for i in range(300):
        r = client.post("/api/v1/tickets", json={"service_id": services[i % len(services)]},
                        headers=kiosk)
        assert r.status_code == 201, r.get_data(as_text=True)[:300]
        last = r.get_json()
    path = "/t/" + last["status_url"].rsplit("/t/", 1)[1]
    assert client.get(path).status_code == 200
    times, _ = timed(lambda: client.get(path).get_data(), max(50, rounds * 20))
    show("GET /t/<code> (the last of 300 waiting)", times, "≤ 20 ms", "ms")
    times, _ = timed(lambda: client.get("/api/v1/public" + path).get_data(), max(50, rounds * 20))
    show("GET /api/v1/public/t/<code>", times, "≤ 20 ms", "ms")


BENCH_DEVICE = """
[[devices]]
name = "kiosk-bench"
role = "kiosk"
token = "bench-kiosk-token-0123456789"
"""


def open_app(data_dir: Path, db_url: str | None):
    config_path = data_dir / "layso.toml"
    text = BUNDLED_CONFIG.read_text(encoding="utf-8")
    text = text.replace('opening = "07:30"', 'opening = "00:00"')
    text = text.replace('closing = "17:00"', 'closing = "23:59"')
    text = text.replace('cutoff = "16:30"', "")
    config_path.write_text(text + BENCH_DEVICE, encoding="utf-8")
    return create_app(load_config(config_path), data_dir=data_dir, db_url=db_url)


def run(label: str, data_dir: Path, db_url: str | None, tickets: int, rounds: int) -> None:
    print(f"{label}:")
    ENGINE[0] = label
    app = open_app(data_dir, db_url)
    ctx = app.extensions["layso"]
    with ctx.db.read() as s:
        present = s.scalar(select(func.count()).select_from(Ticket))
    if present < tickets:
        start = time.perf_counter()
        made = Generator(ctx.db, ctx.office_id, tickets).run()
        with ctx.db.read() as s:
            events = s.scalar(select(func.count()).select_from(Event))
        if not ctx.db.is_sqlite:   # the rows came with their ids: move the sequences on
            with ctx.db.write_engine.begin() as conn:
                for table in ("tickets", "events"):
                    conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', "
                                         f"'id'), (SELECT max(id) FROM {table}))")
            with ctx.db.write_engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        print(f"  generated {made:,} tickets, {events:,} events in "
              f"{time.perf_counter() - start:.0f} s")
    else:
        print(f"  reusing {present:,} tickets in {data_dir}")
    measure(app, rounds)
    ctx.db.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pg", help="PostgreSQL server URL (a fresh database is made)")
    parser.add_argument("--keep", help="SQLite data directory to keep or reuse")
    parser.add_argument("--no-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"bench_reports {datetime.now().isoformat(timespec='seconds')}, "
          f"{args.tickets:,} tickets, {args.rounds} rounds (min / median / max)")
    if not args.no_sqlite:
        if args.keep:
            data_dir = Path(args.keep)
            data_dir.mkdir(parents=True, exist_ok=True)
            run("SQLite", data_dir, None, args.tickets, args.rounds)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                run("SQLite", Path(tmp), None, args.tickets, args.rounds)
    if args.pg:
        import psycopg

        name = "layso_bench_reports_" + uuid.uuid4().hex[:8]
        admin = args.pg.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        try:
            with tempfile.TemporaryDirectory() as tmp:
                run("PostgreSQL", Path(tmp), args.pg.rsplit("/", 1)[0] + "/" + name,
                    args.tickets, args.rounds)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
