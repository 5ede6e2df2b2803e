"""The hall clock keeps the office's time while the server cannot be reached, on a PC set
to another zone (UTC here), and again after a restart during the outage."""

from __future__ import annotations

import datetime as dt
import json
import time
from zoneinfo import ZoneInfo

import pytest

from layso.counter_display.app import build_display
from layso.counter_display.settings import DisplaySettings, load_settings
from tests.display.conftest import snapshot
from tests.display.test_replay import ScriptedOffice

OFFICE_ZONE = "Asia/Ho_Chi_Minh"


@pytest.fixture
def pc_in_utc(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def clock_hours(zone: str | None) -> set[str]:
    """The hour the clock may show now (either side of a turn of the hour)."""
    tz = ZoneInfo(zone) if zone else None
    return {dt.datetime.now(tz).strftime("%H"),
            (dt.datetime.now(tz) + dt.timedelta(seconds=2)).strftime("%H")}


def start(qtbot, server: str, settings_file) -> object:
    settings = load_settings(settings_file).overridden(server=server, token="display-token",
                                                       windowed=True, voice="none")
    display = build_display(settings, settings_file=settings_file)
    qtbot.addWidget(display.screen)
    display.start()
    return display


def shows_office_time(qtbot, display, zone: str | None = OFFICE_ZONE) -> bool:
    """Within the clock's one-second tick, does the hall clock show `zone`'s hour?"""
    def hour() -> str:
        return display.screen.clock_label.text().split(":")[0]
    deadline = time.monotonic() + 2.5
    while hour() not in clock_hours(zone):
        if time.monotonic() > deadline:
            return False
        qtbot.wait(50)
    return True


def test_the_hall_clock_stays_on_office_time_through_an_outage_and_a_restart(
        qtbot, display_font, tmp_path, pc_in_utc):
    assert dt.datetime.now().utcoffset() is None and time.strftime("%Z") == "UTC"
    assert clock_hours(None).isdisjoint(clock_hours(OFFICE_ZONE)), "the zones differ by 7 h"
    settings_file = tmp_path / "display.json"
    settings_file.write_text(json.dumps({"language": "vi"}))
    snap = snapshot()
    snap["office"]["timezone"] = OFFICE_ZONE
    office = ScriptedOffice([snap], [(b": hello\n\n", True)])
    display = start(qtbot, office.url, settings_file)
    try:
        qtbot.waitUntil(lambda: display.state.connected, timeout=10000)
        assert shows_office_time(qtbot, display)
        office.close()  # the server goes away
        qtbot.waitUntil(lambda: not display.state.connected, timeout=10000)
        assert shows_office_time(qtbot, display), "disconnected: still office time"
    finally:
        display.stop()
    saved = json.loads(settings_file.read_text())
    assert saved == {"language": "vi", "timezone": OFFICE_ZONE}, "only the zone was added"

    # the display restarts while the server is still away: it never gets a snapshot
    again = start(qtbot, office.url, settings_file)
    try:
        qtbot.wait(300)
        assert not again.state.connected and again.controller.snapshots_applied == 0
        assert shows_office_time(qtbot, again), "restarted in the outage: office time"
    finally:
        again.stop()


def test_a_display_that_never_met_its_office_shows_the_pc_clock(qtbot, display_font,
                                                                pc_in_utc):
    display = build_display(DisplaySettings(server="http://127.0.0.1:9", token="t", voice="none",
                                            windowed=True, timezone="Not/A_Zone"))
    qtbot.addWidget(display.screen)
    assert display.state.timezone is None
    assert shows_office_time(qtbot, display, None)
