"""The console follows the office from its event stream, in real Chromium, and every HTTP
request the page makes is counted: an issue costs it at most one read of its counter's
line, a call elsewhere no more, and only a reconnect reads the whole office again."""

from __future__ import annotations

import threading
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import ADMIN, CLERK, log_in, open_counter, press

pytestmark = pytest.mark.browser

FULL_READ = ("/api/v1/office", "/api/v1/display", "/console/stats")
# What the console read after every event before: never any more.
OLD_READS = ("/api/v1/counters", "/api/v1/services", "/api/v1/tickets")


# The counter's served list (dossier codes): read when the desk's own figures or the chosen
# counter change, never per event.
HISTORY = ("GET", "/api/v1/tickets?status=done")


def is_full_or_old_read(path: str, reads: tuple[str, ...] = FULL_READ + OLD_READS) -> bool:
    return path != HISTORY[1] and path.split("?")[0] in reads


class Requests:
    """What the page asks the server, as (method, path?query); the event stream apart."""

    def __init__(self, page):
        self.page = page
        self.seen: list[tuple[str, str]] = []
        self.everything: list[tuple[str, str]] = []
        self.streams = 0
        page.on("request", self._record)

    def _record(self, request) -> None:
        url = urlsplit(request.url)
        if url.path == "/api/v1/events":
            self.streams += 1
        elif url.path.startswith(("/api/", "/console/")):
            asked = (request.method, url.path + (f"?{url.query}" if url.query else ""))
            self.seen.append(asked)
            self.everything.append(asked)

    def settle(self, quiet_ms: int = 800) -> None:
        """Wait until the page has asked nothing for `quiet_ms` (debounce is 250 ms)."""
        while True:
            before = len(self.seen)
            self.page.wait_for_timeout(quiet_ms)
            if len(self.seen) == before:
                return

    def take(self) -> list[tuple[str, str]]:
        self.settle()
        seen, self.seen = self.seen, []
        return seen


def line_of(counter_id: int) -> tuple[str, str]:
    return ("GET", f"/api/v1/counters/{counter_id}/line?limit=20")


@pytest.fixture
def admin_headers(live_server) -> dict:
    return live_server.headers(live_server.login(*ADMIN))


def call_next(live_server, headers: dict, counter_id: int) -> dict:
    r = requests.post(f"{live_server.api}/counters/{counter_id}/call-next", headers=headers,
                      timeout=10)
    assert r.status_code == 200, r.text
    return r.json()["ticket"]


def test_issues_and_calls_elsewhere_cost_at_most_one_line_read_each(
        page, office, live_server, admin_headers):
    counter_1, counter_2, counter_3 = (office.counter(n)["id"] for n in (1, 2, 3))
    log_in(page, *CLERK)
    open_counter(page, 1)  # Quầy 1 serves TP only
    expect(page.locator("#waiting-empty")).to_be_visible()
    asked = Requests(page)
    asked.take()
    rows = page.locator("#waiting-table tbody tr")

    issued = []
    for n in range(1, 6):
        issued.append(office.issue("TP"))
        expect(rows).to_have_count(n)
        expect(page.locator("#waiting-count")).to_have_text(f"({n})")
        assert asked.take() == [line_of(counter_1)], f"issue {n}"
    expect(rows.locator("td.number")).to_have_text([t["number"] for t in issued])

    # A field this counter does not serve: nothing to read.
    land = office.issue("DD")
    assert asked.take() == []

    # Quầy 2 (TP and CT) calls twice: the list and the count follow, one read per call.
    for n, ticket in enumerate(issued[:2], start=1):
        assert call_next(live_server, admin_headers, counter_2)["id"] == ticket["id"]
        expect(rows).to_have_count(5 - n)
        expect(page.locator("#waiting-count")).to_have_text(f"({5 - n})")
        assert asked.take() == [line_of(counter_1)], f"call {n} at Quầy 2"
    expect(rows.locator("td.number")).to_have_text([t["number"] for t in issued[2:]])

    # Quầy 3 calls the land ticket: not this counter's line, nothing read...
    assert call_next(live_server, admin_headers, counter_3)["id"] == land["id"]
    asked.settle()
    assert asked.take() == []
    # ...yet the page knows: switching to Quầy 3 shows its citizen, reading only its line
    # (and that counter's history of the day, which is another counter's list).
    page.locator("#change-counter").click()
    open_counter(page, 3)
    expect(page.locator("#current-number")).to_have_text(land["number"])
    assert sorted(asked.take()) == [line_of(counter_3), HISTORY]
    page.locator("#change-counter").click()
    open_counter(page, 1)
    expect(rows).to_have_count(3)
    assert sorted(asked.take()) == [line_of(counter_1), HISTORY]

    # A burst of five issues costs far fewer than five reads.
    burst = [threading.Thread(target=office.issue, args=("TP",)) for _ in range(5)]
    for thread in burst:
        thread.start()
    for thread in burst:
        thread.join()
    expect(rows).to_have_count(8)
    expect(page.locator("#waiting-count")).to_have_text("(8)")
    reads = asked.take()
    assert set(reads) == {line_of(counter_1)} and len(reads) <= 2, reads

    # Another session pauses this counter: shown from the event alone.
    r = requests.post(f"{live_server.api}/counters/{counter_1}/pause", headers=admin_headers,
                      json={"reason": "Họp giao ban"}, timeout=10)
    assert r.status_code == 200, r.text
    expect(page.locator("#paused-banner")).to_have_text("Quầy đang tạm dừng: Họp giao ban")
    assert asked.take() == []
    requests.post(f"{live_server.api}/counters/{counter_1}/resume", headers=admin_headers,
                  timeout=10).raise_for_status()
    expect(page.locator("#paused-banner")).to_be_hidden()
    assert asked.take() == []

    assert not any(is_full_or_old_read(path) for _method, path in asked.everything)


def test_the_clerks_own_calls_read_the_line_and_finishing_reads_the_clerks_figures(
        page, office):
    first, second = office.issue("TP"), office.issue("TP")
    counter_1 = office.counter(1)["id"]
    log_in(page, *CLERK)
    open_counter(page, 1)
    expect(page.locator("#waiting-table tbody tr")).to_have_count(2)
    asked = Requests(page)
    asked.take()

    press(page, "F1")
    expect(page.locator("#current-number")).to_have_text(first["number"])
    assert asked.take() == [("POST", f"/api/v1/counters/{counter_1}/call-next"),
                            line_of(counter_1)]

    press(page, "F3")
    expect(page.locator("#stat-served")).to_have_text("1")
    expect(page.locator("#current-number")).to_have_text("—")
    assert asked.take() == [("POST", f"/api/v1/tickets/{first['id']}/done"),
                            ("GET", "/console/stats"),
                            HISTORY]

    press(page, "F1")
    expect(page.locator("#current-number")).to_have_text(second["number"])
    press(page, "F1")  # nobody left: calling the next finishes the current one
    expect(page.locator("#error-banner")).to_have_text("Không còn ai chờ.")
    expect(page.locator("#stat-served")).to_have_text("2")
    assert ("GET", "/console/stats") in asked.take()
    assert not any(is_full_or_old_read(path, FULL_READ[:2] + OLD_READS)
                   for _method, path in asked.everything)


def test_after_a_reconnect_the_console_reads_the_office_once(page, office, live_server):
    log_in(page, *CLERK)
    open_counter(page, 1)
    expect(page.locator("#offline-banner")).to_be_hidden()
    asked = Requests(page)
    asked.take()

    live_server.stop()
    expect(page.locator("#offline-banner")).to_be_visible()
    live_server.start()
    ticket = office.issue("TP")  # while the page is still reconnecting
    expect(page.locator("#waiting-table tbody tr td.number")).to_have_text(
        ticket["number"], timeout=20_000)
    expect(page.locator("#offline-banner")).to_be_hidden()
    expect(page.locator("#waiting-count")).to_have_text("(1)")

    seen = [path for _method, path in asked.take()]
    assert sorted(p for p in seen if is_full_or_old_read(p, FULL_READ)) == sorted(FULL_READ), seen
    line = f"/api/v1/counters/{office.counter(1)['id']}/line?limit=20"
    assert 1 <= seen.count(line) <= 2, seen
    assert not any(is_full_or_old_read(p, OLD_READS) for p in seen), seen
    assert asked.streams >= 1

    # Live again: the next issue is applied from its event.
    second = office.issue("TP")
    expect(page.locator("#waiting-table tbody tr td.number")).to_have_text(
        [ticket["number"], second["number"]])
    assert [path for _m, path in asked.take()] == [line]


def test_a_long_line_shows_its_first_twenty_and_counts_the_rest(page, office):
    issued = [office.issue("TP") for _ in range(23)]
    log_in(page, *CLERK)
    open_counter(page, 1)
    rows = page.locator("#waiting-table tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.locator("td.number")).to_have_text([t["number"] for t in issued[:20]])
    expect(page.locator("#waiting-count")).to_have_text("(23)")
    expect(page.locator("#waiting-more")).to_have_text("… và 3 số nữa đang chờ.")
    office.issue("TP")
    expect(page.locator("#waiting-more")).to_have_text("… và 4 số nữa đang chờ.")
    expect(page.locator("#waiting-count")).to_have_text("(24)")
