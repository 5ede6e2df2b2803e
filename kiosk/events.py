"""Reads the server's event stream (Server-Sent Events) on its own thread.

It reconnects by itself with `Last-Event-ID`, so no event is missed across a server
restart. A stream that ends and reconnects at once is not an outage; only a failed
connection attempt is reported as one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import requests

log = logging.getLogger(__name__)


@dataclass
class ServerEvent:
    id: int | None
    type: str
    data: dict


def parse_sse(lines: Iterator[str]) -> Iterator[ServerEvent]:
    """Turn SSE lines into events; comments (': keep-alive') are skipped."""
    event_id: int | None = None
    event_type = "message"
    data: list[str] = []
    for line in lines:
        if line == "":
            if data:
                try:
                    payload = json.loads("\n".join(data))
                except ValueError:
                    payload = {}
                yield ServerEvent(event_id, event_type,
                                  payload if isinstance(payload, dict) else {})
            event_type, data = "message", []
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data.append(value)
        elif name == "event":
            event_type = value
        elif name == "id":
            event_id = int(value) if value.isdigit() else event_id


def _lines(resp: requests.Response) -> Iterator[str]:
    """Lines as they arrive (read1 returns whatever the socket has, never waits for more)."""
    buffer = b""
    while True:
        chunk = resp.raw.read1(4096)
        if not chunk:
            return
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        for raw in complete:
            yield raw.rstrip(b"\r").decode("utf-8", errors="replace")


class EventStream:
    """GET /events in a daemon thread, calling back (from that thread) on each happening."""

    def __init__(self, api_base: str, token: str,
                 on_event: Callable[[ServerEvent], None],
                 on_connected: Callable[[], None],
                 on_lost: Callable[[str], None],
                 read_timeout: float = 35.0):
        self.url = api_base.rstrip("/") + "/events"
        self.token = token
        self.on_event = on_event
        self.on_connected = on_connected
        self.on_lost = on_lost
        self.read_timeout = read_timeout  # the server comments at least every 15 s
        self.last_event_id: int | None = None
        self._stop = threading.Event()
        self._resp: requests.Response | None = None
        self._thread = threading.Thread(target=self._run, name="kiosk-events", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        resp = self._resp
        if resp is not None:
            # closing the response would wait for the blocked read; a shut socket ends it now
            sock = getattr(getattr(resp.raw, "connection", None), "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        delay = 0.5
        while not self._stop.is_set():
            headers = {"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"}
            if self.last_event_id is not None:
                headers["Last-Event-ID"] = str(self.last_event_id)
            try:
                resp = requests.get(self.url, headers=headers, stream=True,
                                    timeout=(3.0, self.read_timeout))
            except requests.RequestException as exc:
                self.on_lost(str(exc))
                self._stop.wait(delay)
                delay = min(delay * 2, 3.0)
                continue
            if resp.status_code != 200:
                resp.close()
                self.on_lost(f"HTTP {resp.status_code}")
                self._stop.wait(3.0)
                continue
            self._resp = resp
            delay = 0.5
            self.on_connected()
            try:
                for event in parse_sse(_lines(resp)):
                    if self._stop.is_set():
                        break
                    if event.id is not None:
                        self.last_event_id = event.id
                    self.on_event(event)
            except Exception as exc:  # noqa: BLE001 - urllib3, socket, decoding: it broke
                # the next connect attempt decides whether it is an outage
                log.info("event stream ended: %s", exc)
            finally:
                self._resp = None
                resp.close()
