"""Two kiosks never get the same number; two counters never call the same ticket.

A real `layso server` over HTTP, on SQLite and on PostgreSQL: 8 client threads issue
2,000 tickets across 3 fields while 6 counters call until nothing waits.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections import Counter, defaultdict

import pytest
import requests

from tests.support.live_server import LiveServer, write_test_config

ISSUERS = 8
TICKETS = 2000
FIELDS = ["TP", "DD", "LD"]

# Every counter serves two of the three fields, so each ticket is wanted by 4 counters.
BUSY_OFFICE = """
[office]
code = "sai-gon"
name = "UBND phường Sài Gòn"
opening = "00:00"

[[services]]
code = "TP"
name = "Tư pháp – Hộ tịch"
prefix = "1"
width = 4

[[services]]
code = "DD"
name = "Đất đai"
prefix = "3"
width = 4

[[services]]
code = "LD"
name = "Lao động, người có công và xã hội"
prefix = "5"
width = 4

[[counters]]
number = 1
services = ["TP", "DD"]
[[counters]]
number = 2
services = ["DD", "LD"]
[[counters]]
number = 3
services = ["LD", "TP"]
[[counters]]
number = 4
services = ["TP", "DD"]
[[counters]]
number = 5
services = ["DD", "LD"]
[[counters]]
number = 6
services = ["LD", "TP"]
"""


@pytest.fixture
def pg_url():
    base = os.environ.get("LAYSO_TEST_PG_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL tests: .ci/run sets LAYSO_TEST_PG_URL")
        pytest.skip("no PostgreSQL here (set LAYSO_TEST_PG_URL; tools/start-test-postgres.sh)")
    import psycopg

    name = "layso_t_" + uuid.uuid4().hex[:10]
    admin_url = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run_busy_morning(server: LiveServer) -> None:
    server.add_user("canbo", "clerk", "canbo-pass-123")
    clerk = server.headers(server.login("canbo", "canbo-pass-123"))
    kiosk = server.headers(server.kiosk_token)
    services = {s["code"]: s["id"] for s in
                requests.get(server.api + "/services", headers=kiosk, timeout=10).json()}
    counters = [c["id"] for c in
                requests.get(server.api + "/counters", headers=kiosk, timeout=10).json()]
    assert len(counters) == 6

    issued: list[dict] = []
    called: list[dict] = []
    failures: list[str] = []
    lock = threading.Lock()
    issuing_done = threading.Event()

    def issue(worker: int) -> None:
        session = requests.Session()
        for i in range(worker, TICKETS, ISSUERS):
            code = FIELDS[i % len(FIELDS)]
            r = session.post(server.api + "/tickets", json={"service_id": services[code]},
                             headers=kiosk, timeout=30)
            with lock:
                if r.status_code == 201:
                    issued.append(r.json())
                else:
                    failures.append(f"issue {r.status_code} {r.text[:200]}")

    def call(counter_id: int) -> None:
        session = requests.Session()
        while True:
            r = session.post(f"{server.api}/counters/{counter_id}/call-next", headers=clerk,
                             timeout=30)
            if r.status_code != 200:
                with lock:
                    failures.append(f"call {r.status_code} {r.text[:200]}")
                return
            ticket = r.json()["ticket"]
            if ticket is None:
                if issuing_done.is_set():
                    # one more look: a ticket issued just before the flag may still wait
                    again = session.post(f"{server.api}/counters/{counter_id}/call-next",
                                         headers=clerk, timeout=30).json()["ticket"]
                    if again is None:
                        return
                    ticket = again
                else:
                    continue
            with lock:
                called.append(ticket)

    issuers = [threading.Thread(target=issue, args=(w,)) for w in range(ISSUERS)]
    callers = [threading.Thread(target=call, args=(c,)) for c in counters]
    for t in issuers + callers:
        t.start()
    for t in issuers:
        t.join(300)
    issuing_done.set()
    for t in callers:
        t.join(300)

    assert failures == []
    assert len(issued) == TICKETS
    by_field: dict[int, list[int]] = defaultdict(list)
    for ticket in issued:
        by_field[ticket["service_id"]].append(int(ticket["number"][1:]))
    for service_id, seqs in by_field.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"gap or repeat in {service_id}"
    times_called = Counter(t["id"] for t in called)
    assert set(times_called) == {t["id"] for t in issued}
    assert max(times_called.values()) == 1
    assert {t["counter_id"] for t in called} == set(counters)


def test_busy_morning_on_sqlite(tmp_path):
    config = write_test_config(tmp_path / "busy.toml", base=_busy(tmp_path))
    server = LiveServer(config, tmp_path / "data").start()
    try:
        run_busy_morning(server)
    finally:
        server.stop()


@pytest.mark.postgres
def test_busy_morning_on_postgresql(tmp_path, pg_url):
    config = write_test_config(tmp_path / "busy.toml", base=_busy(tmp_path))
    server = LiveServer(config, tmp_path / "data", database_url=pg_url).start()
    try:
        run_busy_morning(server)
    finally:
        server.stop()


def _busy(tmp_path):
    path = tmp_path / "busy-base.toml"
    path.write_text(BUSY_OFFICE, encoding="utf-8")
    return path
