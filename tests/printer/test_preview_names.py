"""The virtual printer names each ticket's PNG after the issue time printed on it (office
time), not after this PC's clock: on a PC set to UTC a ticket taken at 08:15 in Hà Nội is
`ticket-…-081503-…`, not `…-011503-…`."""

from __future__ import annotations

import dataclasses
import os
import time
from datetime import datetime, timedelta, timezone

import pytest

from layso.ticket_printer import open_printer
from layso.ticket_printer.layout import ticket_parts


@pytest.fixture
def pc_on_utc():
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_ticket_files_are_named_in_the_tickets_own_local_time(tmp_path, ticket, pc_on_utc):
    printer = open_printer(f"preview:{tmp_path}")
    printer.print_ticket(ticket)                       # 2026-11-22 08:15:03 +07:00
    later = dataclasses.replace(ticket, issued_at=datetime(2026, 11, 22, 16, 59, 59,
                                                           tzinfo=timezone(timedelta(hours=7))))
    printer.print_ticket(later)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == [
        "ticket-20261122-081503-001.png", "ticket-20261122-165959-002.png"]


def test_a_page_without_an_issue_time_is_named_by_this_pcs_clock(tmp_path, ticket, pc_on_utc):
    printer = open_printer(f"preview:{tmp_path}")
    before = datetime.now().replace(microsecond=0)
    printer.print_parts(ticket_parts(ticket))          # a test page: no ticket time
    stamp = datetime.strptime(printer.last_path.name[7:22], "%Y%m%d-%H%M%S")
    assert before <= stamp <= datetime.now()
