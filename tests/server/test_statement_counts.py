"""A longer line costs no more statements: every read and the hot writes send the same
number of SQL statements with 10 and with 300 citizens waiting.

Counted with SQLAlchemy's `before_cursor_execute` on the app's engines, on a request
repeated once first (so the per-server caches are warm). Left out: BEGIN, and resolving
the caller's token (the same for every request, and cached in memory by the server).
The exact figures are asserted too, so a statement added by mistake shows; lower them when
a change really saves one.

What the hot writes need: the office with its priority categories and the newest event
id, its fields with their waiting counts, its counters with the fields each serves (one
statement each); then the work itself; and the transaction's events, stored in one
statement at commit. Issue: + the number, the ticket (6); the waiting tickets that decide
its place are those the server kept after the last event (server/known_waiting.py), read
again only after a change it was not told of. Call-next: + the finished ticket, the heads
of the counter's queues, the claim, the counter (8). Done / no-show: + the ticket, the
counter (6).
"""

from __future__ import annotations

import pytest

from tests.support.api_office import DISPLAY, open_office, postgres_database

EXPECTED = {
    "GET /tickets/{id} (last in line)": 4,
    "GET /counters/{id}/line?limit=20": 5,
    "GET /counters/{id}/line": 4,
    "GET /tickets?status=waiting": 4,
    "GET /display": 8,
    "POST /tickets": 6,
    "POST /counters/{id}/call-next": 8,
    "POST /tickets/{id}/done": 6,
    "POST /tickets/{id}/no-show": 6,
}


TOKEN_TABLES = ("FROM devices", "FROM auth_tokens", "JOIN users", "FROM user_counters")


def is_work(sql: str) -> bool:
    return not sql.startswith("BEGIN") and not any(t in sql for t in TOKEN_TABLES)


def statements_per_request(tmp_path, waiting: int, db_url: str | None = None
                           ) -> dict[str, int]:
    office = open_office(tmp_path, db_url=db_url)
    try:
        for i in range(waiting + 1):
            office.issue("DD" if i % 3 == 0 else "TP", "NCT" if i % 4 == 1 else None)
            if i % 10 == 9:
                office.clock.advance(minutes=1)
        office.call(1)                     # counter 1 now has a citizen at its desk
        assert len(office.waiting()) == waiting
        last = office.line(3)[-1]
        requests = {
            "GET /tickets/{id} (last in line)": lambda: office.ticket(last["id"]),
            "GET /counters/{id}/line?limit=20": lambda: office.line(3, limit=20),
            "GET /counters/{id}/line": lambda: office.line(3),
            "GET /tickets?status=waiting": office.waiting,
            "GET /display": lambda: office.request("GET", "/display", DISPLAY),
            "POST /tickets": lambda: office.issue("TP"),
            "POST /counters/{id}/call-next": lambda: office.call(1),
            "POST /tickets/{id}/done": lambda t: office.act(f"/tickets/{t['id']}/done"),
            "POST /tickets/{id}/no-show": lambda t: office.act(f"/tickets/{t['id']}/no-show"),
        }
        finishing = {"POST /tickets/{id}/done", "POST /tickets/{id}/no-show"}
        office.count_statements()
        counts = {}
        for name, send in requests.items():
            for _ in range(2):
                called = office.call(3) if name in finishing else None  # not counted
                office.statements.clear()
                send(called) if called else send()
            counts[name] = sum(map(is_work, office.statements))
        return counts
    finally:
        office.close()


@pytest.mark.parametrize("waiting", [10, 300])
def test_statements_per_request_do_not_grow_with_the_line(tmp_path, waiting):
    assert statements_per_request(tmp_path, waiting) == EXPECTED


@pytest.mark.postgres
def test_the_same_statements_on_postgresql(tmp_path):
    with postgres_database() as url:
        assert statements_per_request(tmp_path, 10, url) == EXPECTED
