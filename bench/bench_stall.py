"""Does one slow thing stall the office? `/health` and a kiosk's issue, quiet and loaded.

    .venv/bin/python bench/bench_stall.py [--seconds 6] [--waiting 500]

Starts `layso server` as a subprocess (tests/support/live_server.py) on a fresh data
directory, fills the line to --waiting tickets, then runs each phase for --seconds while
two probes measure: `GET /health` every 50 ms, and a kiosk issuing a ticket every 100 ms
(each on its own kept-alive connection). Phases:

- quiet: the probes alone;
- (a') 3 clients log in with the right password, back to back (every one a full scrypt
  check, never throttled), then (a) 3 clients send wrong logins with made-up names (the
  first 20 from an address are checked in full; then the address is throttled);
- (b) 6 clerk consoles re-read the waiting list every 100 ms each: GET /tickets?
  status=waiting (all of it), and (b') the console's own read, GET /counters/{id}/line
  ?limit=20;
- (c) another program holds SQLite's write lock for 8 s (BEGIN IMMEDIATE).

The load's clients run in a process of their own, so that reading long answers does not
slow the probes' measuring. Prints p50/p99 per probe and phase, and the p99 against the quiet one (goals: ≤ 3× for
a and b; in c /health answers and every issue is answered within the database bound).
A benchmark, not a test: it prints figures and judges nothing.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _figures import report  # bench/_figures.py: the lines bench/run gathers

from tests.support.live_server import LiveServer, write_test_config

ADMIN = ("admin", "admin-pass-123")
CLERK = ("canbo", "canbo-pass-123")
LOCK_S = 8.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


class Probe(threading.Thread):
    """Calls `request(session)` every `every_s` until stopped; keeps latency and status."""

    def __init__(self, request: Callable[[requests.Session], int], every_s: float):
        super().__init__(daemon=True)
        self.request, self.every_s = request, every_s
        self.stop = threading.Event()
        self.times: list[float] = []
        self.statuses: list[int] = []

    def run(self) -> None:
        session = requests.Session()
        while not self.stop.is_set():
            start = time.perf_counter()
            try:
                status = self.request(session)
            except requests.RequestException:
                status = 0
            self.times.append(time.perf_counter() - start)
            self.statuses.append(status)
            self.stop.wait(max(0.0, self.every_s - (time.perf_counter() - start)))


class Load:
    """The load's clients, in a process of their own: their work (reading long answers)
    must not slow down the probes' own measuring in this process."""

    def __init__(self, make: Callable[[], list[Probe]]):
        context = multiprocessing.get_context("fork")
        self._stop = context.Event()
        self._out = context.Queue()
        self._process = context.Process(target=self._run, args=(make,), daemon=True)

    def _run(self, make: Callable[[], list[Probe]]) -> None:
        probes = make()
        for probe in probes:
            probe.start()
        self._stop.wait()
        for probe in probes:
            probe.stop.set()
        for probe in probes:
            probe.join(90)
        self._out.put(([s for p in probes for s in p.statuses],
                       [t for p in probes for t in p.times]))

    def start(self) -> None:
        self._process.start()

    def finish(self) -> tuple[list[int], list[float]]:
        self._stop.set()
        result = self._out.get(timeout=120)
        self._process.join(10)
        return result


class Office:
    def __init__(self, server: LiveServer):
        self.server = server
        self.kiosk = server.headers(server.kiosk_token)
        self.services = [s["id"] for s in requests.get(
            server.api + "/services", headers=self.kiosk, timeout=10).json()
            if s.get("available", True)]
        self.counters = [c["id"] for c in requests.get(
            server.api + "/counters", headers=self.kiosk, timeout=10).json()]
        self.clerk = server.headers(server.login(*CLERK))
        self._turn = 0

    def health(self, session: requests.Session) -> int:
        return session.get(self.server.api + "/health", timeout=30).status_code

    def issue(self, session: requests.Session) -> int:
        self._turn += 1
        service = self.services[self._turn % len(self.services)]
        return session.post(self.server.api + "/tickets", json={"service_id": service},
                            headers={**self.kiosk, "Idempotency-Key": uuid.uuid4().hex},
                            timeout=30).status_code

    def fill(self, waiting: int) -> None:
        def one(i: int) -> None:
            requests.post(self.server.api + "/tickets", headers=self.kiosk, timeout=30,
                          json={"service_id": self.services[i % len(self.services)]})
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(one, range(waiting)))


def flood_wrong_names(office: Office) -> Callable[[requests.Session], int]:
    def attempt(session: requests.Session) -> int:
        return session.post(office.server.api + "/auth/login", timeout=60, json={
            "username": "x" + uuid.uuid4().hex[:8], "password": "wrong-password"}).status_code
    return attempt


def flood_right_password(office: Office) -> Callable[[requests.Session], int]:
    def attempt(session: requests.Session) -> int:
        return session.post(office.server.api + "/auth/login", timeout=60, json={
            "username": ADMIN[0], "password": ADMIN[1]}).status_code
    return attempt


def console_reads(office: Office, line: bool) -> Callable[[int], Callable]:
    def for_console(i: int) -> Callable[[requests.Session], int]:
        counter = office.counters[i % len(office.counters)]
        path = f"/counters/{counter}/line?limit=20" if line else "/tickets?status=waiting"

        def read(session: requests.Session) -> int:
            return session.get(office.server.api + path, headers=office.clerk,
                               timeout=60).status_code
        return read
    return for_console


def phase(office: Office, seconds: float, load: Load | None = None,
          during: Callable[[], None] | None = None
          ) -> tuple[Probe, Probe, tuple[list[int], list[float]]]:
    if load is not None:
        load.start()
        time.sleep(0.5)  # the load is under way before measuring
    health, kiosk = Probe(office.health, 0.05), Probe(office.issue, 0.10)
    health.start()
    kiosk.start()
    if during is not None:
        during()
    else:
        time.sleep(seconds)
    for probe in (health, kiosk):
        probe.stop.set()
    for probe in (health, kiosk):
        probe.join(90)
    return health, kiosk, load.finish() if load is not None else ([], [])


def hold_write_lock(server: LiveServer) -> Callable[[], None]:
    def during() -> None:
        holder = sqlite3.connect(server.data_dir / "layso.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            time.sleep(LOCK_S)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        time.sleep(0.5)  # what waited behind the lock is answered
    return during


def counts(statuses: list[int]) -> str:
    seen: dict[int, int] = {}
    for status in statuses:
        seen[status] = seen.get(status, 0) + 1
    return " ".join(f"{status}×{n}" for status, n in sorted(seen.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--waiting", type=int, default=500)
    parser.add_argument("--phases", default="a,a',b,b',c",
                        help="which loaded phases to run after quiet (default all)")
    args = parser.parse_args()
    wanted = set(args.phases.split(","))

    root = Path(tempfile.mkdtemp(prefix="layso-bench-stall-"))
    server = LiveServer(write_test_config(root / "layso.toml"), root / "data").start()
    try:
        server.add_user(ADMIN[0], "admin", ADMIN[1])
        server.add_user(CLERK[0], "clerk", CLERK[1])
        office = Office(server)
        office.fill(args.waiting)
        print(f"LaySo stall benchmark, {date.today()}, {args.waiting} waiting, "
              f"{args.seconds:.0f} s per phase")
        rows = []
        quiet_h, quiet_k, _ = phase(office, args.seconds)
        rows.append(("quiet", quiet_h, quiet_k, ""))
        # right passwords first: failures from an address would throttle them too
        for name, make in (("a' 3 right-password logins", flood_right_password),
                           ("a  3 wrong-name logins", flood_wrong_names)):
            if name.split()[0] not in wanted:
                continue
            flood = make(office)
            health, kiosk, (statuses, _times) = phase(
                office, args.seconds, Load(lambda: [Probe(flood, 0.0) for _ in range(3)]))
            rows.append((name, health, kiosk, "logins " + counts(statuses)))
        for name, line in (("b  6 consoles, all waiting", False),
                           ("b' 6 consoles, line of 20", True)):
            if name.split()[0] not in wanted:
                continue
            reader = console_reads(office, line)
            health, kiosk, (_statuses, reads) = phase(
                office, args.seconds, Load(lambda: [Probe(reader(i), 0.1) for i in range(6)]))
            rows.append((name, health, kiosk, f"reads {len(reads)}, p50 "
                         f"{ms(percentile(reads, 50)).strip()} ms"))
        if "c" in wanted:
            health, kiosk, _ = phase(office, LOCK_S, during=hold_write_lock(server))
            rows.append((f"c  outside write lock {LOCK_S:.0f} s", health, kiosk,
                         f"issues {counts(kiosk.statuses)}, longest {max(kiosk.times):.2f} s"))

        base_h, base_k = percentile(quiet_h.times, 99), percentile(quiet_k.times, 99)
        print(f"{'phase':32} {'/health p50':>11} {'p99':>7} {'×quiet':>6}   "
              f"{'issue p50':>9} {'p99':>7} {'×quiet':>6}   (ms)")
        for name, health, kiosk, note in rows:
            h99, k99 = percentile(health.times, 99), percentile(kiosk.times, 99)
            print(f"{name:32} {ms(percentile(health.times, 50)):>11} {ms(h99)} "
                  f"{h99 / base_h:6.1f}   {ms(percentile(kiosk.times, 50)):>9} {ms(k99)} "
                  f"{k99 / base_k:6.1f}   {note}")
            if name[0] in "ab":  # bench/_figures.py lines, for bench/run
                report(f"stall {name.split()[0]}: /health p99 vs quiet", h99 / base_h, "×",
                       "<= 3")
                report(f"stall {name.split()[0]}: kiosk issue p99 vs quiet", k99 / base_k, "×",
                       "<= 3")
            elif name[0] == "c":  # answered within the database bound (3 s), /health at once
                report("stall c: longest kiosk issue answer, 8 s outside write lock",
                       max(kiosk.times), "s", "<= 3.5")
                report("stall c: /health p99, 8 s outside write lock", h99 * 1000, "ms",
                       "<= 1000")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
