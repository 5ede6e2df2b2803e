"""Issue throughput against the database engine's own limit, and a busy office's mix.

    .venv/bin/python bench/bench_issue.py [--against CHECKOUT] [--pg URL] [--rounds 3]

For each database (SQLite, and PostgreSQL when --pg gives a URL; a fresh database is
made per server and dropped after) and each code (this checkout, and the checkout named
by --against, e.g. a `git worktree` of the last release), rounds run interleaved
(A B A B …) so a drift of the shared machine hits both alike. Each round starts a real
`layso server` on 127.0.0.1 and measures:

- issue: 4 keep-alive clients issue tickets as fast as they can for --seconds;
  tickets/s and p50/p99;
- engine: the same rows written straight through the driver (sqlite3 / psycopg) by 4
  threads, one transaction per ticket: bump the sequence with INSERT … ON CONFLICT DO
  UPDATE … RETURNING, insert the ticket row and its event row (copies of rows the server
  wrote) — the engine's limit for this work on this machine, and LaySo as a share of it;
- busy office: 6 kiosks issuing, 4 counters calling next, 20 open event streams;
  issue p99 and call-next → ticket.called at every stream p99.

Prints every figure per round, then medians with min–max and the ratios. A benchmark,
not a test: it prints figures and judges nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import selectors
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from _figures import report  # bench/_figures.py: the lines bench/run gathers
from bench_server import FreshDatabase  # a fresh PostgreSQL database per server

from tests.support.live_server import free_port, write_test_config

KIOSK = "test-kiosk-token-0123456789"
DISPLAY = "test-display-token-0123456789"


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 \
        else values[0]


class Server:
    """`layso server` of one checkout (old ones were `python -m server.cli`)."""

    def __init__(self, checkout: Path, root: Path, database_url: str | None):
        self.checkout = checkout
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.config = write_test_config(root / "layso.toml",
                                        base=checkout / "config" / "layso.toml")
        text = re.sub(r"^(width|daily_cap) = .*\n", "", self.config.read_text("utf-8"),
                      flags=re.MULTILINE)
        text = re.sub(r"^(prefix = .*)$", r"\1\nwidth = 6", text, flags=re.MULTILINE)
        self.config.write_text(text, encoding="utf-8")
        self.port = free_port()
        self.env = dict(os.environ, PYTHONPATH=str(checkout))
        self.env.pop("LAYSO_CONFIG", None)
        if database_url:
            self.env["LAYSO_DATABASE_URL"] = database_url
        else:
            self.env.pop("LAYSO_DATABASE_URL", None)
        module = "layso.cli" if (checkout / "layso" / "cli.py").exists() else "server.cli"
        self.cmd = [sys.executable, "-m", module]
        self.api = f"http://127.0.0.1:{self.port}/api/v1"

    def layso(self, *args: str, stdin: str = "") -> None:
        subprocess.run([*self.cmd, *args, "--config", str(self.config), "--data-dir",
                        str(self.root / "data")], input=stdin, text=True, check=True,
                       capture_output=True, env=self.env, cwd=self.checkout, timeout=60)

    def __enter__(self) -> Server:
        self.log = open(self.root / "server.log", "ab")
        self.proc = subprocess.Popen(
            [*self.cmd, "server", "--host", "127.0.0.1", "--port", str(self.port),
             "--config", str(self.config), "--data-dir", str(self.root / "data")],
            stdout=self.log, stderr=subprocess.STDOUT, env=self.env, cwd=self.checkout)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.api + "/health", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        else:
            raise RuntimeError("server did not start: " + (self.root / "server.log").read_text())
        self.layso("user", "add", "bench-admin", "--role", "admin", stdin="bench-pass-123\n")
        r = requests.post(self.api + "/auth/login", json={"username": "bench-admin",
                                                          "password": "bench-pass-123"})
        r.raise_for_status()
        self.admin = {"Authorization": "Bearer " + r.json()["token"]}
        self.kiosk = {"Authorization": "Bearer " + KIOSK}
        return self

    def __exit__(self, *exc) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def issue_loop(server: Server, service_id: int, stop: threading.Event) -> list[float]:
    session = requests.Session()
    times = []
    while not stop.is_set():
        start = time.perf_counter()
        r = session.post(server.api + "/tickets", json={"service_id": service_id},
                         headers=server.kiosk, timeout=30)
        if r.status_code != 201:
            raise RuntimeError(f"issue {r.status_code}: {r.text[:200]}")
        times.append(time.perf_counter() - start)
    return times


def run_for(seconds: float, jobs: list) -> list:
    stop = threading.Event()
    with ThreadPoolExecutor(len(jobs)) as pool:
        futures = [pool.submit(job, stop) for job in jobs]
        time.sleep(seconds)
        stop.set()
        return [f.result() for f in futures]


def issue_throughput(server: Server, seconds: float) -> dict:
    start = time.perf_counter()
    parts = run_for(seconds, [lambda s, i=i: issue_loop(server, 1 + i % 2, s) for i in range(4)])
    wall = time.perf_counter() - start
    times = [t for part in parts for t in part]
    return {"issue/s": len(times) / wall, "issue p50 ms": pct(times, 50) * 1000,
            "issue p99 ms": pct(times, 99) * 1000}


class Streams:
    """Open event streams on raw sockets; when each called ticket's event arrived, per stream."""

    CALLED = re.compile(rb'event: ticket\.called\ndata: \{"ticket":\{"id":(\d+)')

    def __init__(self, server: Server, count: int):
        self.selector = selectors.DefaultSelector()
        self.arrived: dict[socket.socket, dict[int, float]] = {}
        self.buffers: dict[socket.socket, bytes] = {}
        req = (f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {DISPLAY}\r\n"
               "Accept: text/event-stream\r\n\r\n").encode()
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall(req)
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)
            self.arrived[sock] = {}
            self.buffers[sock] = b""
        self.running = True
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        while self.running:
            for key, _ in self.selector.select(0.1):
                now = time.perf_counter()
                try:
                    data = key.fileobj.recv(1 << 16)
                except BlockingIOError:
                    continue
                buf = self.buffers[key.fileobj] + data
                found = list(self.CALLED.finditer(buf))
                for m in found:
                    self.arrived[key.fileobj][int(m.group(1))] = now
                self.buffers[key.fileobj] = buf[found[-1].end():] if found else buf[-4096:]

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        for sock in self.arrived:
            sock.close()


def busy_office(server: Server, seconds: float) -> dict:
    """6 kiosks, 4 counters calling (each call's event id → send time), 20 streams."""
    streams = Streams(server, 20)
    time.sleep(0.5)
    sent: dict[int, float] = {}
    lock = threading.Lock()

    def counter_loop(counter_id: int, stop: threading.Event) -> list[float]:
        session = requests.Session()
        times = []
        while not stop.is_set():
            start = time.perf_counter()
            r = session.post(f"{server.api}/counters/{counter_id}/call-next",
                             headers=server.admin, timeout=30)
            times.append(time.perf_counter() - start)
            ticket = r.json().get("ticket") if r.ok else None
            if ticket is None:
                time.sleep(0.05)
                continue
            with lock:
                sent[ticket["id"]] = start
            time.sleep(0.2)   # a clerk does not call twice in the same breath
        return times

    jobs = [lambda s, i=i: issue_loop(server, 1 + i % 3, s) for i in range(6)]
    jobs += [lambda s, c=c: counter_loop(c, s) for c in (1, 2, 3, 4)]
    parts = run_for(seconds, jobs)
    time.sleep(1.0)
    streams.close()
    issues = [t for part in parts[:6] for t in part]
    delays = [at - sent[ticket_id] for arrivals in streams.arrived.values()
              for ticket_id, at in arrivals.items() if ticket_id in sent]
    return {"busy issue/s": len(issues) / seconds, "busy issue p99 ms": pct(issues, 99) * 1000,
            "busy call→event p99 ms": pct(delays, 99) * 1000 if delays else float("nan"),
            "busy calls": len(sent)}


def engine_limit(server: Server, database_url: str | None, seconds: float) -> float:
    """Tickets/s the driver alone reaches writing the same three rows per ticket."""
    if database_url:
        import psycopg

        url = re.sub(r"^postgresql\+psycopg://", "postgresql://", database_url)
        connect = lambda: psycopg.connect(url, autocommit=True)  # noqa: E731
        mark, begin = "%s", "BEGIN"
    else:
        import sqlite3

        path = server.root / "data" / "layso.db"

        def connect():
            conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                   timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            return conn
        mark, begin = "?", "BEGIN IMMEDIATE"
    conn = connect()
    cur = conn.cursor()
    cur.execute("SELECT * FROM tickets ORDER BY id DESC LIMIT 1")
    ticket = dict(zip([c[0] for c in cur.description], cur.fetchone()))
    cur.execute("SELECT * FROM events WHERE type = 'ticket.issued' ORDER BY id DESC LIMIT 1")
    event = dict(zip([c[0] for c in cur.description], cur.fetchone()))
    conn.close()
    ticket.pop("id")
    event.pop("id")
    if isinstance(event.get("data"), dict):
        import json

        event["data"] = json.dumps(event["data"], ensure_ascii=False)
    t_cols, e_cols = list(ticket), list(event)
    insert_ticket = (f"INSERT INTO tickets ({', '.join(t_cols)}) VALUES "
                     f"({', '.join([mark] * len(t_cols))}) RETURNING id")
    insert_event = (f"INSERT INTO events ({', '.join(e_cols)}) VALUES "
                    f"({', '.join([mark] * len(e_cols))})")
    bump = (f"INSERT INTO number_sequences (service_id, business_day, last_value) VALUES "
            f"({mark}, {mark}, 1) ON CONFLICT (service_id, business_day) DO UPDATE SET "
            f"last_value = number_sequences.last_value + 1 RETURNING last_value")
    day = date(2099, 1, 1)

    def writer(stop: threading.Event) -> int:
        db = connect()
        c = db.cursor()
        done = 0
        while not stop.is_set():
            c.execute(begin)
            c.execute(bump, (ticket["service_id"], day))
            seq = c.fetchone()[0]
            row = dict(ticket, seq=seq, number=f"E{seq:06d}", business_day=day)
            c.execute(insert_ticket, [row[k] for k in t_cols])
            ticket_id = c.fetchone()[0]
            c.execute(insert_event, [dict(event, ticket_id=ticket_id)[k] for k in e_cols])
            c.execute("COMMIT")
            done += 1
        db.close()
        return done

    start = time.perf_counter()
    total = sum(run_for(seconds, [writer] * 4))
    return total / (time.perf_counter() - start)


def one_round(checkout: Path, root: Path, database_url: str | None, seconds: float) -> dict:
    with Server(checkout, root, database_url) as server:
        figures = issue_throughput(server, seconds)
        figures.update(busy_office(server, seconds))
    # the engine runs with the server stopped, on the database the server wrote
    figures["engine issue/s"] = engine_limit(server, database_url, seconds)
    figures["share of engine"] = figures["issue/s"] / figures["engine issue/s"]
    return figures


def summary(label: str, rounds: list[dict]) -> dict[str, list[float]]:
    keys = rounds[0].keys()
    out = {k: [r[k] for r in rounds] for k in keys}
    for k, values in out.items():
        print(f"  {label:<10} {k:<24} median {statistics.median(values):9.2f}  "
              f"(min {min(values):.2f}, max {max(values):.2f})")
    return out


def report_figures(engine: str, medians_of: dict[str, list[float]]) -> None:
    """This checkout's medians over the rounds, in bench/_figures.py's lines."""
    def median(key: str) -> float:
        return statistics.median(medians_of[key])

    report(f"issue rate, 4 clients, {engine}", median("issue/s"), "/s")
    report(f"engine's own rate for the same rows, {engine}", median("engine issue/s"), "/s")
    report(f"issue rate as a share of the engine's, {engine}",
           median("share of engine") * 100, "%")
    report(f"busy office (6 kiosks, 4 counters, 20 streams): issue p99, {engine}",
           median("busy issue p99 ms"), "ms")
    report(f"busy office: call-next → event at every stream p99, {engine}",
           median("busy call→event p99 ms"), "ms", "<= 50")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, help="another checkout to compare with")
    parser.add_argument("--pg", metavar="URL", help="also on PostgreSQL (role needs CREATEDB)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    codes = {"this": REPO} | ({"against": args.against.resolve()} if args.against else {})
    print(f"{platform.node()} · {os.cpu_count()} cores · {platform.python_version()} · "
          f"{time.strftime('%Y-%m-%d %H:%M')} · {args.rounds} rounds × {args.seconds:.0f} s")
    engines = {"SQLite": None} | ({"PostgreSQL": args.pg} if args.pg else {})
    with tempfile.TemporaryDirectory(prefix="layso-bench-") as tmp:
        for engine, pg in engines.items():
            print(f"\n== {engine} ==", flush=True)
            results: dict[str, list[dict]] = {name: [] for name in codes}
            for n in range(args.rounds):
                for name, checkout in codes.items():
                    root = Path(tmp) / f"{engine}-{name}-{n}"
                    if pg:
                        with FreshDatabase(pg) as url:
                            figures = one_round(checkout, root, url, args.seconds)
                    else:
                        figures = one_round(checkout, root, None, args.seconds)
                    results[name].append(figures)
                    print(f"  round {n + 1} {name}: " + ", ".join(
                        f"{k} {v:.2f}" for k, v in figures.items()), flush=True)
            table = {name: summary(name, rounds) for name, rounds in results.items()}
            report_figures(engine, table["this"])
            if "against" in table:
                pairs = list(zip(table["this"]["issue/s"], table["against"]["issue/s"]))
                ratios = [a / b for a, b in pairs]
                print("  issue/s this ÷ against, per round: "
                      + ", ".join(f"{r:.2f}×" for r in ratios)
                      + f" (median {statistics.median(ratios):.2f}×)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
