"""Reading text/event-stream bytes the way the server writes them (and how TCP cuts them)."""

from __future__ import annotations

from counter_display.events import SseParser, _clock_offset, api_base

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


def test_bad_json_is_skipped_not_fatal():
    events = SseParser().feed(b"id: 1\nevent: x\ndata: {oops\n\nid: 2\nevent: y\ndata: {}\n\n")
    assert [(e.id, e.type) for e in events] == [(2, "y")]


def test_api_base_and_clock_offset():
    assert api_base("http://10.0.0.5:8080/") == "http://10.0.0.5:8080/api/v1"
    assert api_base("http://10.0.0.5:8080/api/v1") == "http://10.0.0.5:8080/api/v1"
    # server clock 10 s ahead: Date says 12:00:10 when we think it is 12:00:00
    ours = 1_700_000_000.0
    offset = _clock_offset("Tue, 14 Nov 2023 22:13:30 GMT", ours - 0.1, ours + 0.1)
    assert abs(offset - (1_700_000_010.5 - ours)) < 0.01
    assert _clock_offset(None, ours, ours) == 0.0
