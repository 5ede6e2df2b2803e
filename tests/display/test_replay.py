"""Resuming after `Last-Event-ID`: the event with the id the display already holds is not
applied (or spoken) again, and the one after it is neither dropped nor taken for old news.

The display here is the real feed → controller → state → announcer chain; only the
office's server is played by a small HTTP server on 127.0.0.1 (the edge of the machine).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from layso.assets import CHIME_WAV
from layso.counter_display.announcer import Announcer
from layso.counter_display.app import DisplayController
from layso.counter_display.audio import RecordingPlayer
from layso.counter_display.events import DisplayFeed
from layso.counter_display.state import DisplayState
from tests.display.conftest import SENTENCE, ToneVoice, called, counter, snapshot, ticket
from tests.support.loopback_http import start_http, stop_http


def test_the_event_the_snapshot_ends_with_is_not_applied_again_and_the_next_one_is(qtbot):
    state = DisplayState()
    state.apply_snapshot(snapshot(counters=[counter(3, current=ticket(5, "3001", 3,
                                                                      counter_id=3))],
                                  last_event_id=20))
    lit: list = []
    state.call_highlighted.connect(lit.append)
    # event 20 is the snapshot's own last event (a recall of 3001): already shown
    assert state.apply_event(20, "ticket.called", called(5, "3001", 3, recall=True)) is False
    assert lit == [] and not state.highlighted
    assert state.apply_event(21, "ticket.called", called(6, "3002", 3)) is True
    assert [c.number for c in lit] == ["3002"] and state.last_event_id == 21
    # the same event again (a stream resumed one event too early) changes nothing
    assert state.apply_event(21, "ticket.called", called(6, "3002", 3)) is False
    assert [c.number for c in lit] == ["3002"]
    assert state.apply_event(22, "ticket.done", {"ticket": ticket(6, "3002", 3)}) is True
    assert state.counter_by_number(3).ticket_number is None


# ---- the whole chain against a scripted server ------------------------------------------

NOW = dt.datetime.now(dt.UTC)
OLD = (NOW - dt.timedelta(minutes=10)).isoformat(timespec="seconds")


def call_event(event_id: int, ticket_id: int, number: str, counter_number: int,
               at: str | None = None) -> bytes:
    data = called(ticket_id, number, counter_number, called_at=at)
    data["at"] = at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return (f"id: {event_id}\nevent: ticket.called\n"
            f"data: {json.dumps(data, ensure_ascii=False)}\n\n").encode()


def recent(ticket_id: int, number: str, counter_number: int) -> dict:
    return {"ticket": ticket(ticket_id, number, counter_id=counter_number, called_at=OLD),
            "counter": {"id": counter_number, "number": counter_number,
                        "name": f"Quầy {counter_number}"}, "called_at": OLD}


class ScriptedOffice:
    """GET /display and GET /events, one scripted answer per connection."""

    def __init__(self, snapshots: list[dict], streams: list[tuple[bytes, bool]]) -> None:
        self.snapshots, self.streams = snapshots, streams
        self.last_event_ids: list[str | None] = []
        self.release = threading.Event()
        office = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path.endswith("/display"):
                    body = json.dumps(office.snapshots.pop(0) if office.snapshots
                                      else {}).encode()
                    self.send_response(200 if body != b"{}" else 503)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                office.last_event_ids.append(self.headers.get("Last-Event-ID"))
                body, hold = office.streams.pop(0) if office.streams else (b"", False)
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                if hold:
                    office.release.wait(30)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd, url = start_http(Handler)
        self.url = url

    def close(self) -> None:
        self.release.set()
        stop_http(self.httpd)


@pytest.fixture
def office() -> Iterator[ScriptedOffice]:
    counters = [counter(n) for n in range(1, 7)]
    first = snapshot(counters=counters, recent=[recent(1, "3001", 3)], last_event_id=10)
    # while the line was down the office called 3003 (event 12) and 3004 (event 13)
    second = snapshot(counters=counters, recent=[recent(4, "3004", 6), recent(3, "3003", 5),
                                                 recent(2, "3002", 4), recent(1, "3001", 3)],
                      last_event_id=13)
    scripted = ScriptedOffice(
        [first, second],
        [(call_event(11, 2, "3002", 4), False),                       # then the line drops
         (call_event(12, 3, "3003", 5, OLD) + call_event(13, 4, "3004", 6, OLD)
          + call_event(14, 5, "3005", 1), True)])
    yield scripted
    scripted.close()


def test_after_a_reconnect_the_replay_stops_at_the_snapshot_and_the_next_call_is_live(
        qtbot, office):
    state = DisplayState()
    voice, player = ToneVoice(), RecordingPlayer()
    announcer = Announcer(voice, player, CHIME_WAV)
    controller = DisplayController(state, announcer)
    lit: list = []
    state.call_highlighted.connect(lit.append)
    feed = DisplayFeed(office.url, "display-token", controller.feed_snapshot,
                       controller.feed_event, controller.feed_connection, backoff_s=(0.05,))
    feed.start()
    try:
        qtbot.waitUntil(lambda: state.last_event_id == 14, timeout=10000)
        assert office.last_event_ids == ["10", "11"]
        assert controller.snapshots_applied == 2
        # 12 and 13 were in the second snapshot: shown, never lit again; 11 and 14 were live
        assert [c.number for c in lit] == ["3002", "3005"]
        assert state.counter_by_number(1).ticket_number == "3005"
        assert [c.number for c in state.recent_calls[:3]] == ["3005", "3004", "3003"]
        assert announcer.wait_idle(10)
        spoken = [s for s in voice.heard(player.played, CHIME_WAV) if s != "CHIME"]
        # the replayed calls are ten minutes old: silent, the snapshot's last one too
        assert spoken == [SENTENCE.format(number="3002", counter=4)] * 2 \
            + [SENTENCE.format(number="3005", counter=1)] * 2
    finally:
        feed.stop()
        announcer.stop()
