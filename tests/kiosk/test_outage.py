"""A server that answers 503 ("busy, try later") while its event stream stays up: the
kiosk tells the citizen "Hệ thống đang tạm gián đoạn" and comes back by itself once the
server answers again, without waiting for the stream to drop.

The office's server is played by a small HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from layso.kiosk import messages as m
from layso.kiosk.state import Screen
from tests.support.loopback_http import start_http, stop_http

OFFICE = {"name": "UBND xã Tân Phú", "unit": "Trung tâm Phục vụ hành chính công",
          "timezone": "Asia/Ho_Chi_Minh", "priority_categories": []}
SERVICES = [{"id": 1, "code": "TP", "name": "Tư pháp – Hộ tịch", "waiting": 0,
             "estimated_wait_s": 0, "available": True, "open": True, "counters": [1]}]
BUSY = {"error": {"code": "unavailable", "message": "Hệ thống đang tạm gián đoạn"}}


class BusyServer:
    """Answers the kiosk's calls; while `busy` every call but the event stream gets 503."""

    def __init__(self) -> None:
        self.busy = False
        self.tickets = 0
        self.release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _json(self, status: int, body: object) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.endswith("/events"):
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.end_headers()
                    self.wfile.write(b": connected\n\n")
                    self.wfile.flush()
                    server.release.wait(60)   # the stream stays up the whole time
                    return
                if server.busy:
                    return self._json(503, BUSY)
                answers = {"/office": OFFICE, "/services": SERVICES, "/counters": []}
                self._json(200, answers.get(self.path.removeprefix("/api/v1"), {}))

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if server.busy:
                    return self._json(503, BUSY)
                if self.path.endswith("/tickets"):
                    server.tickets += 1
                    return self._json(201, {"id": server.tickets, "number": f"100{server.tickets}",
                                            "service_id": 1, "waiting_ahead": 0,
                                            "estimated_wait_s": 0, "status": "waiting"})
                self._json(200, {})

            def log_message(self, *args: object) -> None:
                pass

        self.httpd, url = start_http(Handler)
        self.url = url

    def close(self) -> None:
        self.release.set()
        stop_http(self.httpd)


@pytest.fixture
def busy_server() -> Iterator[BusyServer]:
    server = BusyServer()
    yield server
    server.close()


def test_a_503_shows_the_outage_notice_and_the_kiosk_comes_back_by_itself(
        qtbot, make_kiosk, busy_server):
    kiosk = make_kiosk(busy_server.url)
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.HOME and bool(kiosk.window.home.buttons),
                    timeout=10_000)
    busy_server.busy = True
    assert kiosk.state.tap_service(1) is not None
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.NOTICE, timeout=10_000)
    assert kiosk.window.notice.title.text() == m.text("server_down")
    assert kiosk.window.notice.title.text().startswith("Hệ thống đang tạm gián đoạn")
    assert busy_server.tickets == 0

    busy_server.busy = False   # the server answers again; its stream never dropped
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.HOME, timeout=10_000)
    qtbot.wait(1100)  # the tap debounce
    assert kiosk.state.tap_service(1) is not None
    qtbot.waitUntil(lambda: kiosk.state.ticket is not None, timeout=10_000)
    assert kiosk.state.ticket.number == "1001"
