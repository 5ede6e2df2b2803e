"""The business day ends while the hall display, a kiosk and a clerk's console stay
connected: at the next opening each of them shows the new day by itself (no reload, no
reconnect), and the next ticket is the field's first number again.

The server is the real one (`serve()`, gevent, the day timer) with a clock the test moves
(tests/support/clock_server.py); the clients are the real ones: the display and the kiosk
in this process, the console in Chromium.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import requests
from playwright.sync_api import expect

from layso.counter_display.app import build_display
from layso.counter_display.audio import RecordingPlayer
from layso.counter_display.settings import DisplaySettings
from layso.kiosk import messages as km
from layso.kiosk.state import PrintState, Screen
from tests.display.conftest import ToneVoice
from tests.support.clock_server import ClockServer
from tests.support.live_server import BUNDLED_CONFIG, TEST_DEVICES
from tests.web.conftest import CLERK, log_in, open_counter
from tests.web.test_console import press

pytestmark = pytest.mark.browser

# The bundled office (07:30–17:00, Asia/Ho_Chi_Minh): a Monday afternoon, then the next
# morning one minute after the opening (as UTC). The clerk logs in late enough that the
# console's session (16 h) still holds in the morning.
AFTERNOON = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)       # 16:00 in Hà Nội
NEXT_MORNING = datetime(2026, 11, 24, 0, 31, tzinfo=UTC)   # 07:31 the next day
NEW_DAY = "2026-11-24"
FOLLOW_MS = 10_000   # each client shows the new day within this (the kiosk's own re-read is 30 s)
WAIT_MS = 10_000


@pytest.fixture
def server(tmp_path):
    config = tmp_path / "layso.toml"
    config.write_text(BUNDLED_CONFIG.read_text(encoding="utf-8") + TEST_DEVICES,
                      encoding="utf-8")
    server = ClockServer(config, tmp_path / "data", start=AFTERNOON).start()
    server.add_user("admin", "admin", "admin-pass-123")
    server.add_user("canbo1", "clerk", "canbo-pass-123")
    yield server
    server.stop()


class Office:
    """What the kiosk's and the other counters' requests do, over HTTP."""

    def __init__(self, server: ClockServer) -> None:
        self.api = server.api
        self.kiosk = server.headers(server.kiosk_token)
        self.admin = server.headers(server.login("admin", "admin-pass-123"))
        self.services = {s["code"]: s["id"] for s in self.get("/services")}
        self.counters = {c["number"]: c["id"] for c in self.get("/counters")}

    def get(self, path: str) -> dict | list:
        r = requests.get(self.api + path, headers=self.kiosk, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    def issue(self, code: str) -> dict:
        r = requests.post(self.api + "/tickets", headers=self.kiosk, timeout=10,
                          json={"service_id": self.services[code]})
        assert r.status_code == 201, r.text
        return r.json()

    def call_next(self, counter_number: int) -> dict:
        r = requests.post(f"{self.api}/counters/{self.counters[counter_number]}/call-next",
                          headers=self.admin, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["ticket"]


@pytest.fixture
def hall(qtbot, display_font, server):
    settings = DisplaySettings(server=server.url, token=server.display_token, windowed=True)
    display = build_display(settings, voice=ToneVoice(), player=RecordingPlayer())
    qtbot.addWidget(display.screen)
    display.start()
    qtbot.waitUntil(lambda: display.state.connected, timeout=WAIT_MS)
    yield display
    display.stop()


@pytest.fixture
def kiosk(qtbot, server, make_kiosk, fake_printer):
    kiosk = make_kiosk(server.url, server.kiosk_token, fake_printer.uri)
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.HOME
                    and bool(kiosk.window.home.buttons), timeout=WAIT_MS)
    kiosk.heard, kiosk.went_offline = [], []
    kiosk.backend.server_event.connect(lambda kind, _data: kiosk.heard.append(kind))
    kiosk.backend.online_changed.connect(lambda up: up or kiosk.went_offline.append(True))
    return kiosk


@pytest.fixture
def console(browser, server):
    context = browser.new_context(base_url=server.url, locale="vi-VN",
                                  viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.streams_opened = []
    page.on("request", lambda r: "/api/v1/events" in r.url and page.streams_opened.append(r.url))
    yield page
    context.close()


def kiosk_button(kiosk, service_id: int):
    return next(b for b in kiosk.window.home.buttons if b.service_id == service_id)


def kiosk_waiting(kiosk, service_id: int, n: int) -> bool:
    shown = kiosk_button(kiosk, service_id).info.text()
    return shown.splitlines()[0].split(" · ")[0] == km.text("waiting", km.VI, n=n)


def hall_numbers(hall) -> list[str]:
    """Every ticket number the hall shows: the big one, the counters' rows, the recent calls."""
    texts = hall.screen.texts
    shown = [hall.screen.latest_number.text()]
    shown += [number.text() for _name, number in hall.screen.counter_rows.values()]
    shown += [number.text() for number, _where in hall.screen.recent_labels]
    return [t for t in shown if t not in ("", texts.no_ticket, texts.closed, texts.paused)]


def hall_waiting(hall) -> dict[int, str]:
    return {sid: count.text() for sid, (_name, count) in hall.screen.waiting_labels.items()}


def test_the_day_rolls_over_under_connected_clients(server, hall, kiosk, console, qtbot,
                                                    fake_printer):
    office = Office(server)
    tp, dd = office.services["TP"], office.services["DD"]
    first, second, third = (office.issue("TP") for _ in range(3))
    land = office.issue("DD")
    assert [first["number"], second["number"], third["number"], land["number"]] == \
        ["1001", "1002", "1003", "3001"]

    # The clerk at counter 2 serves 1001 and calls 1002; counter 3 calls 3001.
    log_in(console, *CLERK)
    open_counter(console, 2)
    console.evaluate("window.sameDocument = true")   # gone if the page were reloaded
    rows = console.locator("#waiting-table tbody tr")
    expect(rows).to_have_count(3)
    press(console, "F1")
    expect(console.locator("#current-number")).to_have_text("1001")
    press(console, "F3")
    expect(console.locator("#stat-served")).to_have_text("1")
    press(console, "F1")
    expect(console.locator("#current-number")).to_have_text("1002")
    assert office.call_next(3)["number"] == "3001"
    expect(rows).to_have_count(1)
    expect(rows.locator("td.number")).to_have_text(["1003"])

    # Everyone shows the afternoon as it is.
    qtbot.waitUntil(lambda: hall.screen.latest_number.text() == "3001", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: hall_waiting(hall)[tp] == "1", timeout=WAIT_MS)
    assert {"1002", "3001"} <= set(hall_numbers(hall))
    qtbot.waitUntil(lambda: kiosk_waiting(kiosk, tp, 1), timeout=WAIT_MS)
    snapshots, streams = hall.controller.snapshots_applied, len(console.streams_opened)

    # The night passes: the server's clock reads the next morning, just after the opening.
    server.move_to(NEXT_MORNING)
    moved = time.monotonic()
    expect(console.locator("#current-number")).to_have_text("—", timeout=FOLLOW_MS)
    expect(rows).to_have_count(0)
    expect(console.locator("#waiting-empty")).to_be_visible()
    expect(console.locator("#stat-served")).to_have_text("0")
    console_s = time.monotonic() - moved
    qtbot.waitUntil(lambda: not hall_numbers(hall), timeout=FOLLOW_MS)
    qtbot.waitUntil(lambda: set(hall_waiting(hall).values()) == {"0"}, timeout=FOLLOW_MS)
    hall_s = time.monotonic() - moved
    qtbot.waitUntil(lambda: all(s.waiting == 0 for s in kiosk.state.services)
                    and kiosk_waiting(kiosk, tp, 0), timeout=FOLLOW_MS)
    kiosk_s = time.monotonic() - moved

    # ... by themselves, on the day.reset event: no reload, no reconnect, no new snapshot.
    assert console.evaluate("window.sameDocument === true"), "the console was reloaded"
    assert len(console.streams_opened) == streams, "the console reopened its event stream"
    expect(console.locator("#offline-banner")).to_be_hidden()
    assert hall.controller.snapshots_applied == snapshots, "the hall reconnected to catch up"
    assert hall.state.connected
    assert "day.reset" in kiosk.heard and not kiosk.went_offline
    assert kiosk.state.screen is Screen.HOME

    # The server agrees: a new business day, yesterday's unfinished tickets expired.
    assert office.get("/office")["business_day"] == NEW_DAY
    statuses = {t["number"]: office.get(f"/tickets/{t['id']}")["status"]
                for t in (first, second, third, land)}
    assert statuses == {"1001": "done", "1002": "expired", "1003": "expired",
                        "3001": "expired"}

    # The first citizen of the morning gets 1001 again, on paper, and everyone sees it.
    fake_printer.clear()
    qtbot.mouseClick(kiosk_button(kiosk, tp), _left())
    qtbot.waitUntil(lambda: kiosk.state.ticket is not None
                    and kiosk.state.ticket.print_state is PrintState.PRINTED, timeout=WAIT_MS)
    assert kiosk.state.ticket.number == "1001"
    assert kiosk.state.ticket.ticket["business_day"] == NEW_DAY
    qtbot.waitUntil(lambda: b"1001" in fake_printer.data(), timeout=WAIT_MS)
    expect(rows).to_have_count(1)
    expect(rows.locator("td.number")).to_have_text(["1001"])
    qtbot.waitUntil(lambda: hall_waiting(hall)[tp] == "1", timeout=WAIT_MS)
    assert office.issue("DD")["number"] == "3001"
    press(console, "F1")
    expect(console.locator("#current-number")).to_have_text("1001")
    qtbot.waitUntil(lambda: hall.screen.latest_number.text() == "1001", timeout=WAIT_MS)
    assert hall_waiting(hall)[dd] == "1"
    print(f"\nnew day shown after the clock moved: console {console_s:.2f}s, "
          f"hall {hall_s:.2f}s, kiosk {kiosk_s:.2f}s")


def _left():
    from PySide6.QtCore import Qt
    return Qt.MouseButton.LeftButton
