"""How fast a real `layso server` answers: ticket issue, event fan-out, call-next depth.

    .venv/bin/python bench/bench_server.py [--pg URL] [--nodelay]

Starts `layso server` as a subprocess (tests/support/live_server.py) on a fresh data
directory, and on PostgreSQL too when --pg gives a URL (a fresh database is made for the
run and dropped after). Clients keep their connections alive, as the kiosk and display
do. Filling the queue to 10,000 through the API takes most of the run (about 3 minutes
per database on 2 cores); --deep sets a smaller queue. Prints, per database:

- ticket issue latency p50/p95/p99 with 4 concurrent clients, and tickets/s
  (goal p99 ≤ 20 ms, ≥ 300/s);
- from sending call-next to the `ticket.called` event arriving at each of 200 open
  event streams, p50/p99 (goal p99 ≤ 50 ms); the streams are raw sockets read by one
  selector thread, so the readers do not compete with 200 Python threads;
- call-next time with 10,000 tickets waiting against 10 waiting (goal ratio ≤ 2×).

A benchmark, not a test: it prints figures and judges nothing.
"""

from __future__ import annotations

import argparse
import re
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _figures import report  # bench/_figures.py: the lines bench/run gathers

from tests.support.live_server import LiveServer, write_test_config

CLIENTS = 4
STREAMS = 200
SSE_CALLS = 40
DEPTH_ROUNDS = 60
SHALLOW = 10
FILLERS = 8


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


class Office:
    """The running server and a keep-alive HTTP session per caller."""

    def __init__(self, server: LiveServer, admin_token: str):
        self.server = server
        self.admin = server.headers(admin_token)
        self.kiosk = server.headers(server.kiosk_token)
        self.local = threading.local()

    def session(self) -> requests.Session:
        if not hasattr(self.local, "session"):
            self.local.session = requests.Session()
        return self.local.session

    def issue(self, service_id: int) -> float:
        start = time.perf_counter()
        r = self.session().post(self.server.api + "/tickets", json={"service_id": service_id},
                                headers=self.kiosk, timeout=10)
        took = time.perf_counter() - start
        if r.status_code != 201:
            raise RuntimeError(f"issue: {r.status_code} {r.text[:200]}")
        return took

    def call_next(self, counter_id: int) -> tuple[float, dict | None]:
        start = time.perf_counter()
        r = self.session().post(f"{self.server.api}/counters/{counter_id}/call-next",
                                headers=self.admin, timeout=10)
        took = time.perf_counter() - start
        if r.status_code != 200:
            raise RuntimeError(f"call-next: {r.status_code} {r.text[:200]}")
        return took, r.json()["ticket"]


def issue_many(office: Office, total: int, services: tuple[int, ...]) -> tuple[list[float], float]:
    """`total` tickets from CLIENTS concurrent kiosks; (latencies, wall time)."""
    def kiosk(k: int) -> list[float]:
        return [office.issue(services[i % len(services)]) for i in range(k, total, CLIENTS)]

    start = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        latencies = [t for part in pool.map(kiosk, range(CLIENTS)) for t in part]
    return latencies, time.perf_counter() - start


def call_next_times(office: Office, counter_id: int, service_id: int, rounds: int) -> list[float]:
    """call-next while the queue stays as long as it is: one in, one called, each round."""
    times = []
    for _ in range(rounds):
        office.issue(service_id)
        took, ticket = office.call_next(counter_id)
        assert ticket is not None
        times.append(took)
    return times


class Streams:
    """STREAMS open event streams on raw sockets, read by one selector thread.

    Records, per stream, when each `ticket.called` event arrived.
    """

    CALLED = re.compile(rb"id: (\d+)\nevent: ticket\.called\n")

    def __init__(self, server: LiveServer, count: int):
        self.selector = selectors.DefaultSelector()
        self.buffers: dict[socket.socket, bytes] = {}
        self.arrivals: dict[socket.socket, list[float]] = {}
        self.lock = threading.Lock()
        request = (f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   f"Authorization: Bearer {server.display_token}\r\n"
                   f"Accept: text/event-stream\r\n\r\n").encode()
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            sock.sendall(request)
            sock.setblocking(False)
            self.buffers[sock] = b""
            self.arrivals[sock] = []
            self.selector.register(sock, selectors.EVENT_READ)
        self.running = True
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        self.wait(lambda s: b"retry:" in self.buffers[s], "streams to open")

    def _read(self) -> None:
        while self.running:
            for key, _ in self.selector.select(timeout=0.2):
                now = time.perf_counter()
                sock = key.fileobj
                try:
                    data = sock.recv(65536)
                except BlockingIOError:
                    continue
                if not data:
                    self.selector.unregister(sock)
                    continue
                with self.lock:
                    buffer = self.buffers[sock] + data
                    found = list(self.CALLED.finditer(buffer))
                    self.arrivals[sock] += [now] * len(found)
                    self.buffers[sock] = buffer[found[-1].end():] if found else buffer[-4096:]

    def wait(self, ready, what: str, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if all(ready(s) for s in self.buffers):
                    return
            time.sleep(0.002)
        raise RuntimeError(f"timed out waiting for {what}")

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        for sock in self.buffers:
            sock.close()


def fan_out(office: Office, counter_id: int, calls: int) -> list[float]:
    """From sending call-next to each stream's ticket.called: one figure per stream per call."""
    streams = Streams(office.server, STREAMS)
    delays = []
    try:
        for n in range(1, calls + 1):
            sent = time.perf_counter()
            _, ticket = office.call_next(counter_id)
            assert ticket is not None
            streams.wait(lambda s, n=n: len(streams.arrivals[s]) >= n, "ticket.called")
            with streams.lock:
                delays += [arrived[n - 1] - sent for arrived in streams.arrivals.values()]
    finally:
        streams.close()
    return delays


def wide_numbers(config: Path) -> Path:
    """Five-digit numbers and no daily cap, so one field can hold 10,000 tickets a day."""
    toml = re.sub(r"^(width|daily_cap) = .*\n", "", config.read_text(encoding="utf-8"),
                  flags=re.MULTILINE)
    toml = re.sub(r"^(prefix = .*)$", r"\1\nwidth = 5", toml, flags=re.MULTILINE)
    config.write_text(toml, encoding="utf-8")
    return config


# --nodelay: what the server gives once its listening socket sets TCP_NODELAY. Without
# it, on a kept-alive connection pywsgi's body waits behind the headers for the client's
# delayed ACK (Nagle), about 40 ms a request. Applied from outside, as serve.py lacks it.
NODELAY_SITE = """
import socket
import gevent.server
_listener = gevent.server._tcp_listener
def _tcp_listener(*args, **kwargs):
    sock = _listener(*args, **kwargs)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock
gevent.server._tcp_listener = _tcp_listener
"""


def run(label: str, root: Path, database_url: str | None, tickets: int, deep: int,
        nodelay: bool) -> dict[str, str]:
    print(f"\n== {label} ==", flush=True)
    root.mkdir(parents=True, exist_ok=True)
    config = wide_numbers(write_test_config(root / "layso.toml"))
    env = {}
    if nodelay:
        (root / "sitecustomize.py").write_text(NODELAY_SITE, encoding="utf-8")
        env["PYTHONPATH"] = str(root)
    server = LiveServer(config, root / "data", database_url=database_url, env=env)
    server.start()
    try:
        server.add_user("bench-admin", "admin", "bench-pass-123")
        office = Office(server, server.login("bench-admin", "bench-pass-123"))
        # Counter 2 serves TP (1) and CT (2); counter 1 serves TP only.
        for _ in range(SHALLOW):
            office.issue(1)
        shallow = call_next_times(office, 2, 1, DEPTH_ROUNDS)

        latencies, wall = issue_many(office, tickets, services=(1, 2))
        fill_started = time.perf_counter()
        with ThreadPoolExecutor(FILLERS) as pool:     # not timed: only fills the queue
            list(pool.map(office.issue, [1 + i % 2 for i in range(deep - tickets - SHALLOW)]))
        print(f"queue filled to {deep:,} waiting in {time.perf_counter() - fill_started:.0f} s",
              flush=True)
        deep_times = call_next_times(office, 2, 1, DEPTH_ROUNDS)
        delays = fan_out(office, 1, SSE_CALLS)
    except Exception:
        print(server.log_path.read_text(errors="replace")[-3000:], file=sys.stderr)
        raise
    finally:
        server.stop()

    figures = {
        "issue p50": ms(percentile(latencies, 50)),
        "issue p95": ms(percentile(latencies, 95)),
        "issue p99": ms(percentile(latencies, 99)),
        "issue throughput": f"{len(latencies) / wall:.0f} tickets/s",
        "event p50": ms(percentile(delays, 50)),
        "event p99": ms(percentile(delays, 99)),
        "call-next, 10 waiting (median)": ms(statistics.median(shallow)),
        f"call-next, {deep:,} waiting (median)": ms(statistics.median(deep_times)),
        "call-next ratio": f"{statistics.median(deep_times) / statistics.median(shallow):.2f}×",
    }
    print(f"{len(latencies)} tickets by {CLIENTS} clients in {wall:.1f} s; "
          f"{SSE_CALLS} calls × {STREAMS} streams; {DEPTH_ROUNDS} call-next rounds each depth")
    for name, value in figures.items():
        print(f"  {name:<36} {value}")
    ratio = statistics.median(deep_times) / statistics.median(shallow)
    report(f"ticket issue p99, {CLIENTS} clients, {label}", percentile(latencies, 99) * 1000,
           "ms", "<= 20")
    report(f"tickets issued per second, {label}", len(latencies) / wall, "/s", ">= 300")
    report(f"call-next → event at each of {STREAMS} streams, p99, {label}",
           percentile(delays, 99) * 1000, "ms", "<= 50")
    report(f"call-next with {deep:,} waiting vs {SHALLOW}, {label}", ratio, "×", "<= 2")
    return figures


class FreshDatabase:
    """A new PostgreSQL database for one run, next to the one in URL; dropped afterwards."""

    def __init__(self, url: str):
        self.base = make_url(url)
        self.name = f"layso_bench_{uuid.uuid4().hex[:8]}"
        self.admin = create_engine(self.base, isolation_level="AUTOCOMMIT")

    def __enter__(self) -> str:
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{self.name}"'))
        return self.base.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc) -> None:
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", metavar="URL",
                        help="also on PostgreSQL (e.g. the URL tools/start-test-postgres.sh "
                             "prints; the role needs CREATEDB)")
    parser.add_argument("--tickets", type=int, default=2_000,
                        help="tickets issued by the 4 timed clients (default 2,000)")
    parser.add_argument("--deep", type=int, default=10_000,
                        help="tickets waiting for the deep call-next (default 10,000)")
    parser.add_argument("--nodelay", action="store_true",
                        help="run the server with TCP_NODELAY on its listening socket")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory(prefix="layso-bench-") as tmp:
        results["SQLite"] = run("SQLite", Path(tmp) / "sqlite", None, args.tickets,
                                args.deep, args.nodelay)
        if args.pg:
            with FreshDatabase(args.pg) as url:
                results["PostgreSQL"] = run("PostgreSQL", Path(tmp) / "pg", url, args.tickets,
                                            args.deep, args.nodelay)
    print("\n| figure | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for name in results["SQLite"]:
        print(f"| {name} | " + " | ".join(r.get(name, "") for r in results.values()) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
