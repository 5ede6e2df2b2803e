"""The devices' event-stream client: text/event-stream bytes the way the server writes
them (and how TCP cuts them), and a stream that drops, refuses and is stopped."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from layso.common.sse import EventStream, ServerEvent, SseParser
from tests.support.loopback_http import start_http, stop_http

STREAM = (b"retry: 2000\n\n"
          b'id: 7\nevent: ticket.called\ndata: {"ticket":{"number":"1005"},'
          b'"announcement":"Xin m\xe1\xbb\x9di"}\n\n'
          b": keepalive\n\n"
          b'id: 8\r\nevent: counter.updated\r\ndata: {"counter":\r\ndata: {"id":3}}\r\n\r\n')


def test_events_with_ids_types_and_json_data():
    events = SseParser().feed(STREAM)
    assert [(e.id, e.type) for e in events] == [(7, "ticket.called"), (8, "counter.updated")]
    assert events[0].data["announcement"] == "Xin mời"
    assert events[1].data == {"counter": {"id": 3}}, "multi-line data joined with newlines"


def test_events_cut_anywhere_arrive_whole_and_once():
    for size in (1, 2, 3, 5, 17, 64):
        parser = SseParser()
        events = []
        for i in range(0, len(STREAM), size):
            events += parser.feed(STREAM[i:i + size])
        assert [e.id for e in events] == [7, 8], size


def test_keep_alive_comments_are_skipped_and_multi_line_data_is_one_object():
    stream = (b": keep-alive\n\n"
              b'id: 7\nevent: ticket.issued\ndata: {"ticket": {"number": "1005"},\n'
              b'data: "waiting": {"1": 2}}\n\n'
              b'id: 8\nevent: day.reset\ndata: {"business_day": "2026-11-23"}\n\n')
    events = SseParser().feed(stream)
    assert [(e.id, e.type) for e in events] == [(7, "ticket.issued"), (8, "day.reset")]
    assert events[0].data["waiting"] == {"1": 2}


def test_bad_json_is_skipped_not_fatal():
    events = SseParser().feed(b"id: 1\nevent: x\ndata: {oops\n\nid: 2\nevent: y\ndata: {}\n\n")
    assert [(e.id, e.type) for e in events] == [(2, "y")]


# ---- the stream, against a small HTTP server that plays the office's server ----------

def sse(event_id: int, kind: str = "ticket.issued") -> bytes:
    return f'id: {event_id}\nevent: {kind}\ndata: {{"n": {event_id}}}\n\n'.encode()


class FakeServer:
    """GET /api/v1/events answered from a script: one entry per request, each a status
    and the bytes to send; after the bytes, `hold` keeps the line open and silent."""

    def __init__(self, script: list[tuple[int, bytes, bool]]) -> None:
        self.script = script
        self.last_event_ids: list[str | None] = []
        self.release = threading.Event()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake.last_event_ids.append(self.headers.get("Last-Event-ID"))
                status, body, hold = fake.script.pop(0) if fake.script else (503, b"", False)
                self.send_response(status)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                if hold:
                    fake.release.wait(30)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd, url = start_http(Handler)
        self.api = url + "/api/v1"

    def close(self) -> None:
        self.release.set()
        stop_http(self.httpd)


@pytest.fixture
def serve() -> Iterator:
    servers: list[FakeServer] = []

    def make(*script: tuple[int, bytes, bool]) -> FakeServer:
        servers.append(FakeServer(list(script)))
        return servers[-1]
    yield make
    for server in servers:
        server.close()


class Recorder:
    def __init__(self) -> None:
        self.events: list[ServerEvent] = []
        self.connected = 0
        self.lost: list[str] = []

    def stream(self, api: str, **options) -> EventStream:
        options.setdefault("backoff_s", (0.05,))
        return EventStream(api, "token", self.events.append,
                           on_connected=self.on_connected, on_lost=self.lost.append, **options)

    def on_connected(self) -> None:
        self.connected += 1


def wait_for(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_dropped_stream_resumes_at_once_after_the_last_event_without_an_outage(serve):
    server = serve((200, sse(1) + sse(2), False), (200, sse(3), True))
    seen = Recorder()
    stream = seen.stream(server.api)
    stream.start()
    try:
        wait_for(lambda: len(seen.events) == 3)
        assert [e.id for e in seen.events] == [1, 2, 3]
        assert server.last_event_ids == [None, "2"]
        assert seen.connected == 2 and seen.lost == []
    finally:
        stream.stop()


def test_a_refusing_server_is_reported_on_each_attempt_until_it_accepts(serve):
    server = serve((503, b"", False), (503, b"", False), (200, sse(4), True))
    seen = Recorder()
    stream = seen.stream(server.api)
    stream.start()
    try:
        wait_for(lambda: seen.events)
        assert seen.lost == ["HTTP 503", "HTTP 503"]
        assert seen.connected == 1 and seen.events[0].data == {"n": 4}
    finally:
        stream.stop()


def test_before_connect_runs_before_every_attempt_and_sets_where_to_resume(serve):
    server = serve((200, sse(11), False), (200, sse(12), True))
    seen = Recorder()
    snapshots: list[int] = []

    def take_snapshot() -> None:
        snapshots.append(len(snapshots))
        if snapshots == [0]:
            stream.last_event_id = 10     # the snapshot already holds events up to 10
        elif snapshots == [0, 1]:
            raise ConnectionError("snapshot refused")

    stream = seen.stream(server.api, before_connect=take_snapshot)
    stream.start()
    try:
        wait_for(lambda: len(seen.events) == 2)
        assert snapshots == [0, 1, 2]
        assert seen.lost == ["snapshot refused"]
        assert server.last_event_ids == ["10", "11"]
    finally:
        stream.stop()


def test_stop_ends_a_read_blocked_on_a_silent_server_at_once(serve):
    server = serve((200, b": hello\n\n", True))
    seen = Recorder()
    stream = seen.stream(server.api, read_timeout_s=30)
    stream.start()
    wait_for(lambda: seen.connected == 1)
    time.sleep(0.1)   # the reader is now blocked in read
    started = time.monotonic()
    stream.stop(timeout=5)
    assert time.monotonic() - started < 1.0
    assert not stream._thread.is_alive()
    assert seen.lost == []


def test_a_server_that_hangs_up_at_once_is_not_hammered(serve):
    server = serve(*[(200, b"retry: 2000\n\n", False)] * 50)
    seen = Recorder()
    stream = seen.stream(server.api, backoff_s=(0.25,))
    stream.start()
    time.sleep(1.0)
    stream.stop()
    assert 2 <= len(server.last_event_ids) <= 5
    assert seen.lost == [], "each attempt was accepted: no outage"


# ---- line endings: the standard allows CRLF, LF and a bare CR, mixed ------------------

ENDINGS = {"lf": b"\n", "crlf": b"\r\n", "cr": b"\r"}


def two_events(end: bytes) -> bytes:
    lines = [b": keep-alive", b"", b"id: 7", b"event: ticket.called",
             b'data: {"ticket": {"number": "1005"},', b'data: "recall": false}', b"",
             b"id: 8", b"event: day.reset", b'data: {"business_day": "2026-11-23"}', b""]
    return b"".join(line + end for line in lines)


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_each_line_ending_gives_the_events_the_moment_their_blank_line_arrives(ending):
    stream = two_events(ENDINGS[ending])
    events = SseParser().feed(stream)
    assert [(e.id, e.type) for e in events] == [(7, "ticket.called"), (8, "day.reset")], \
        "the last event is complete when its blank line is in: nothing more will come soon"
    assert events[0].data == {"ticket": {"number": "1005"}, "recall": False}


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_each_line_ending_cut_at_every_byte_gives_each_event_once_and_on_time(ending):
    stream = two_events(ENDINGS[ending])
    for cut in range(1, len(stream)):
        parser = SseParser()
        events = parser.feed(stream[:cut]) + parser.feed(stream[cut:])
        assert [(e.id, e.type) for e in events] == [(7, "ticket.called"), (8, "day.reset")], cut
    parser = SseParser()
    one_by_one = [e for i in range(len(stream)) for e in parser.feed(stream[i:i + 1])]
    assert [e.id for e in one_by_one] == [7, 8]


def test_a_crlf_cut_between_its_cr_and_its_lf_is_one_line_end_not_two():
    parser = SseParser()
    # were the LF taken for a second (blank) line, the event would end before its data
    assert parser.feed(b"id: 3\r") == []
    assert parser.feed(b"\nevent: ticket.issued\r") == []
    assert parser.feed(b"\ndata: {}\r") == []
    events = parser.feed(b"\n\r")
    assert [(e.id, e.type, e.data) for e in events] == [(3, "ticket.issued", {})]
    assert parser.feed(b"\n") == [], "the LF after the last CR is the same line end"


def test_a_bare_cr_blank_line_at_the_end_of_a_read_dispatches_at_once():
    parser = SseParser()
    assert [e.id for e in parser.feed(b'id: 9\revent: x\rdata: {"n": 1}\r\r')] == [9]
    assert [e.id for e in parser.feed(b'id: 10\rdata: {}\r\r')] == [10]
