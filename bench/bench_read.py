"""The read side under a full office: what one issued ticket costs the server with 20
clerk consoles and 4 hall displays connected, and how the reads grow with the line.

    .venv/bin/python bench/bench_read.py [--pg URL] [--rounds 2] [--tickets 60]

Each round starts a real `layso server` on 127.0.0.1 (a fresh database; on PostgreSQL
one made per round and dropped after) and measures:

- per issued ticket, with 300 waiting, 20 consoles and 4 displays on the event stream:
  the server's CPU milliseconds (utime + stime of its process, from /proc/PID/stat) and
  its SQL statements. Each console does what console-feed.js does: after an event that
  can change its counter's line it reads GET /counters/{id}/line?limit=20, debounced by
  250 ms. The server has no statement counter to switch on, so statements are counted
  from the client side: requests of each kind times the statements that kind sends as
  tests/server/test_statement_counts.py asserts them (the token lookup, cached in the
  server, and BEGIN left out; an event stream sends none per event);
- the time of GET /counters/{id}/line?limit=20 and of GET /tickets/{id} for the last
  ticket in that counter's line, with 10 and with 1,000 waiting (median of 200 each, one
  keep-alive client), and their ratio 1,000 / 10.

Prints every round, then medians with min–max; a benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import selectors
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _figures import report  # noqa: E402  bench/_figures.py: the lines bench/run gathers
from bench_issue import DISPLAY, REPO, FreshDatabase, Server  # noqa: E402

from tests.server.test_statement_counts import EXPECTED  # noqa: E402

LINE = "GET /counters/{id}/line?limit=20"
ISSUE = "POST /tickets"
DEBOUNCE_S = 0.250  # console-feed.js LINE_DEBOUNCE_MS
CONSOLES, DISPLAYS = 20, 4


def cpu_s(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def issue(session: requests.Session, server: Server, service_id: int,
          priority: str | None = None) -> dict:
    r = session.post(server.api + "/tickets", headers=server.kiosk, timeout=30,
                     json={"service_id": service_id} | ({"priority": priority} if priority
                                                         else {}))
    if r.status_code != 201:
        raise RuntimeError(f"issue {r.status_code}: {r.text[:200]}")
    return r.json()


def fill(server: Server, waiting: int, services: list[int]) -> None:
    """Issue tickets until `waiting` wait (every fourth a priority one), 4 clients."""
    def part(n: int) -> None:
        session = requests.Session()
        for i in range(n):
            issue(session, server, services[i % len(services)], "NCT" if i % 4 == 1 else None)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(part, [waiting // 4 + (1 if i < waiting % 4 else 0) for i in range(4)]))


class Consoles:
    """20 consoles and 4 displays on the event stream; each console re-reads its line."""

    def __init__(self, server: Server, counters: list[dict]):
        self.server = server
        self.selector = selectors.DefaultSelector()
        self.lock = threading.Lock()
        self.reads = 0
        self.counter_of: dict[socket.socket, int | None] = {}
        self.buffers: dict[socket.socket, bytes] = {}
        self.due: dict[socket.socket, float] = {}
        self.busy: set[socket.socket] = set()
        self.sessions: dict[socket.socket, requests.Session] = {}
        self.pool = ThreadPoolExecutor(8)
        self.counter_ids = {c["number"]: c["id"] for c in counters}
        self.serves = {c["number"]: set(c["service_ids"]) for c in counters}
        numbers = sorted(self.counter_ids)
        for i in range(CONSOLES + DISPLAYS):
            token = server.admin["Authorization"] if i < CONSOLES else f"Bearer {DISPLAY}"
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall((f"GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: {token}"
                          "\r\nAccept: text/event-stream\r\n\r\n").encode())
            sock.setblocking(False)
            self.selector.register(sock, selectors.EVENT_READ)
            number = numbers[i % len(numbers)] if i < CONSOLES else None
            self.counter_of[sock] = number
            self.buffers[sock] = b""
            if number is not None:
                self.sessions[sock] = requests.Session()
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.running:
            for key, _ in self.selector.select(0.01):
                sock = key.fileobj
                try:
                    data = sock.recv(1 << 16)
                except BlockingIOError:
                    continue
                blocks = (self.buffers[sock] + data).split(b"\n\n")
                self.buffers[sock] = blocks.pop()
                for block in blocks:
                    self._event(sock, block)
            now = time.monotonic()
            with self.lock:
                ready = [s for s, at in self.due.items() if at <= now and s not in self.busy]
                for sock in ready:
                    del self.due[sock]
                    self.busy.add(sock)
            for sock in ready:
                self.pool.submit(self._read_line, sock)

    def _event(self, sock: socket.socket, block: bytes) -> None:
        number = self.counter_of[sock]
        if number is None:
            return
        kind = data = None
        for line in block.split(b"\n"):
            if line.startswith(b"event: "):
                kind = line[7:].decode()
            elif line.startswith(b"data: "):
                data = line[6:]
        if kind is None or not kind.startswith("ticket.") or data is None \
                or kind in ("ticket.done", "ticket.no_show"):
            return
        service_id = json.loads(data)["ticket"]["service_id"]
        if service_id in self.serves[number]:
            with self.lock:
                self.due.setdefault(sock, time.monotonic() + DEBOUNCE_S)

    def _read_line(self, sock: socket.socket) -> None:
        counter_id = self.counter_ids[self.counter_of[sock]]
        try:
            r = self.sessions[sock].get(f"{self.server.api}/counters/{counter_id}/line",
                                        params={"limit": 20}, headers=self.server.admin,
                                        timeout=30)
            r.raise_for_status()
        finally:
            with self.lock:
                self.reads += 1
                self.busy.discard(sock)

    def settle(self) -> None:
        """Wait until no read is due or running."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with self.lock:
                if not self.due and not self.busy:
                    return
            time.sleep(0.05)

    def close(self) -> None:
        self.running = False
        self.thread.join(2)
        self.pool.shutdown()
        for sock in self.counter_of:
            sock.close()


def per_ticket(server: Server, tickets: int, rate: float) -> dict:
    """CPU ms and statements per issued ticket, 300 waiting, 20 consoles, 4 displays."""
    fill(server, 300, [1, 3])
    counters = requests.get(server.api + "/counters", headers=server.admin, timeout=30).json()
    consoles = Consoles(server, counters)
    try:
        time.sleep(1.0)
        consoles.settle()
        reads_before = consoles.reads
        cpu_before = cpu_s(server.proc.pid)
        session = requests.Session()
        start = time.monotonic()
        for i in range(tickets):
            issue(session, server, (1, 3)[i % 2])
            time.sleep(max(0.0, start + (i + 1) / rate - time.monotonic()))
        time.sleep(DEBOUNCE_S)
        consoles.settle()
        cpu = cpu_s(server.proc.pid) - cpu_before
        reads = consoles.reads - reads_before
    finally:
        consoles.close()
    statements = tickets * EXPECTED[ISSUE] + reads * EXPECTED[LINE]
    return {"server CPU ms/ticket": 1000 * cpu / tickets,
            "statements/ticket": statements / tickets, "line reads/ticket": reads / tickets}


def timed(session: requests.Session, url: str, headers: dict, n: int = 200) -> float:
    """Median milliseconds of `n` GETs (after 20 not counted)."""
    times = []
    for i in range(n + 20):
        start = time.perf_counter()
        r = session.get(url, headers=headers, timeout=30)
        r.raise_for_status()
        if i >= 20:
            times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def read_times(server: Server) -> dict:
    """Counter 2's line (TP and CT) and its last ticket, at 10 and at 1,000 waiting."""
    counters = requests.get(server.api + "/counters", headers=server.admin, timeout=30).json()
    counter_id = next(c["id"] for c in counters if c["number"] == 2)
    session = requests.Session()
    figures = {}
    for waiting, more in ((10, 10), (1000, 990)):
        fill(server, more, [1, 2])
        line = session.get(f"{server.api}/counters/{counter_id}/line", headers=server.admin,
                           timeout=30).json()["tickets"]
        assert len(line) == waiting, len(line)
        figures[f"line?limit=20 ms @{waiting}"] = timed(
            session, f"{server.api}/counters/{counter_id}/line?limit=20", server.admin)
        figures[f"ticket (last) ms @{waiting}"] = timed(
            session, f"{server.api}/tickets/{line[-1]['id']}", server.admin)
    for what in ("line?limit=20", "ticket (last)"):
        figures[f"{what} 1000÷10"] = figures[f"{what} ms @1000"] / figures[f"{what} ms @10"]
    return figures


def one_round(root: Path, urls: tuple[str | None, str | None], tickets: int,
              rate: float) -> dict:
    """Per ticket on one fresh server, the read times on another."""
    with Server(REPO, root / "a", urls[0]) as server:
        figures = per_ticket(server, tickets, rate)
    with Server(REPO, root / "b", urls[1]) as server:
        figures.update(read_times(server))
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", metavar="URL", help="also on PostgreSQL (role needs CREATEDB)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--tickets", type=int, default=60, help="issued per round, measured")
    parser.add_argument("--rate", type=float, default=5.0, help="tickets per second")
    args = parser.parse_args()
    print(f"{platform.node()} · {os.cpu_count()} cores · {platform.python_version()} · "
          f"{time.strftime('%Y-%m-%d %H:%M')} · {args.rounds} rounds × {args.tickets} tickets")
    engines = {"SQLite": None} | ({"PostgreSQL": args.pg} if args.pg else {})
    with tempfile.TemporaryDirectory(prefix="layso-bench-read-") as tmp:
        for engine, pg in engines.items():
            print(f"\n== {engine} ==", flush=True)
            rounds = []
            for n in range(args.rounds):
                root = Path(tmp) / f"{engine}-{n}"
                if pg:
                    with FreshDatabase(pg) as url_a, FreshDatabase(pg) as url_b:
                        figures = one_round(root, (url_a, url_b), args.tickets, args.rate)
                else:
                    figures = one_round(root, (None, None), args.tickets, args.rate)
                rounds.append(figures)
                print(f"  round {n + 1}: " + ", ".join(f"{k} {v:.2f}" for k, v in
                                                       figures.items()), flush=True)
            medians = {}
            for key in rounds[0]:
                values = [r[key] for r in rounds]
                medians[key] = statistics.median(values)
                print(f"  {key:<28} median {medians[key]:8.2f}  (min {min(values):.2f}, "
                      f"max {max(values):.2f})")
            report(f"server CPU per issued ticket, 300 waiting, 20 consoles + 4 displays, "
                   f"{engine}", medians["server CPU ms/ticket"], "ms")
            report(f"SQL statements per issued ticket, 300 waiting, 20 consoles + 4 displays, "
                   f"{engine}", medians["statements/ticket"], "statements")
            for what in ("line?limit=20", "ticket (last)"):
                name = "GET /counters/{id}/line?limit=20" if what == "line?limit=20" \
                    else "GET /tickets/{id} of the last in line"
                report(f"{name}, 1,000 waiting, {engine}", medians[f"{what} ms @1000"], "ms")
                report(f"{name}, 1,000 waiting vs 10, {engine}", medians[f"{what} 1000÷10"],
                       "×", "<= 2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
