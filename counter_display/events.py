"""Following the server: the GET /display snapshot and the Server-Sent Events stream.

`DisplayFeed` runs on its own thread: snapshot, then the stream with `Last-Event-ID`,
and on any failure a back-off and the same again, so a display left alone in the hall
comes back by itself after a power cut or a pulled cable. It reports through plain
callbacks; the Qt side (app.py) moves them onto the GUI thread.
"""

from __future__ import annotations

import contextlib
import email.utils
import json
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import requests
import urllib3

log = logging.getLogger(__name__)

BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
# The server sends a comment at least every 15 s; silence longer than this is a dead line.
READ_TIMEOUT_S = 35.0
CONNECT_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class ServerEvent:
    id: int | None
    type: str
    data: dict


class SseParser:
    """Turns bytes of a text/event-stream into events (the WHATWG rules we need)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._reset_fields()

    def _reset_fields(self) -> None:
        self._id: str | None = None
        self._type = ""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[ServerEvent]:
        data = self._buffer + chunk
        # a CR at the very end may be the first half of a CRLF: wait for the next byte
        held = b"\r" if data.endswith(b"\r") else b""
        data = data[:-1] if held else data
        events: list[ServerEvent] = []
        *lines, rest = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        self._buffer = rest + held
        for raw in lines:
            line = raw.decode("utf-8", errors="replace")
            if not line:
                event = self._dispatch()
                if event is not None:
                    events.append(event)
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if name == "data":
                self._data.append(value)
            elif name == "event":
                self._type = value
            elif name == "id":
                self._id = value
        return events

    def _dispatch(self) -> ServerEvent | None:
        if not self._data:
            self._reset_fields()
            return None
        text = "\n".join(self._data)
        event_id = int(self._id) if self._id and self._id.isdigit() else None
        kind = self._type or "message"
        self._reset_fields()
        try:
            data = json.loads(text)
        except ValueError:
            log.warning("event %s %s: data is not JSON, ignored", event_id, kind)
            return None
        return ServerEvent(event_id, kind, data if isinstance(data, dict) else {"value": data})


def api_base(server: str) -> str:
    """'http://host:8080' or 'http://host:8080/api/v1' → the API prefix."""
    server = server.rstrip("/")
    return server if server.endswith("/api/v1") else server + "/api/v1"


@dataclass(frozen=True)
class Snapshot:
    data: dict
    clock_offset_s: float      # server clock minus ours, from the Date header (0 if absent)
    replay_until: int | None   # stream events up to this id are already in the snapshot


class DisplayFeed:
    """Snapshot + event stream, reconnecting with back-off for as long as it runs."""

    def __init__(self, server: str, token: str,
                 on_snapshot: Callable[[Snapshot], None],
                 on_event: Callable[[ServerEvent, bool], None],
                 on_connection: Callable[[bool], None],
                 backoff_s: tuple[float, ...] = BACKOFF_S,
                 read_timeout_s: float = READ_TIMEOUT_S) -> None:
        self.api = api_base(server)
        self._headers = {"Authorization": f"Bearer {token}"}
        self._on_snapshot = on_snapshot
        self._on_event = on_event
        self._on_connection = on_connection
        self._backoff_s = backoff_s
        self._read_timeout_s = read_timeout_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._response: requests.Response | None = None
        self.last_event_id: int | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="display-feed", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        response = self._response
        if response is not None:
            # closing the response does not wake a read blocked in another thread; a
            # shutdown of the socket does
            sock = getattr(getattr(response.raw, "connection", None), "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            response.close()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            connected = False
            try:
                snapshot = self._fetch_snapshot()
                self._on_snapshot(snapshot)
                if self.last_event_id is None or (
                        snapshot.replay_until is not None
                        and snapshot.replay_until < self.last_event_id):
                    # first start, or the server's ids went back (a new database)
                    self.last_event_id = snapshot.replay_until
                for event in self._stream(snapshot):
                    if not connected:
                        connected, failures = True, 0
                        self._on_connection(True)
                    if event is None:
                        continue
                    if event.id is not None:
                        self.last_event_id = event.id
                    replayed = (event.id is not None and snapshot.replay_until is not None
                                and event.id <= snapshot.replay_until)
                    self._on_event(event, replayed)
            except (requests.RequestException, urllib3.exceptions.HTTPError, OSError,
                    ValueError) as exc:
                if not self._stop.is_set():
                    log.warning("display feed: %s", exc)
            except Exception:  # the hall must never freeze on a surprise: log it, go again
                log.exception("display feed failed")
            if connected or failures == 0:
                self._on_connection(False)
            delay = self._backoff_s[min(failures, len(self._backoff_s) - 1)]
            failures += 1
            self._stop.wait(delay)

    def _fetch_snapshot(self) -> Snapshot:
        sent = time.time()
        r = requests.get(self.api + "/display", headers=self._headers,
                         timeout=(CONNECT_TIMEOUT_S, self._read_timeout_s))
        r.raise_for_status()
        data = r.json()
        return Snapshot(data, _clock_offset(r.headers.get("Date"), sent, time.time()),
                        _int(data.get("last_event_id")))

    def _stream(self, snapshot: Snapshot) -> Iterator[ServerEvent | None]:
        """Events as they come; a None first, once the server has accepted the stream."""
        headers = dict(self._headers, Accept="text/event-stream")
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = str(self.last_event_id)
        with requests.get(self.api + "/events", headers=headers, stream=True,
                          timeout=(CONNECT_TIMEOUT_S, self._read_timeout_s)) as r:
            r.raise_for_status()
            self._response = r
            try:
                yield None
                parser = SseParser()
                while not self._stop.is_set():
                    chunk = r.raw.read1(65536)
                    if not chunk:
                        raise ConnectionError("the server closed the event stream")
                    yield from parser.feed(chunk)
            finally:
                self._response = None


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _clock_offset(date_header: str | None, sent: float, received: float) -> float:
    if not date_header:
        return 0.0
    try:
        server_time = email.utils.parsedate_to_datetime(date_header).timestamp()
    except (TypeError, ValueError):
        return 0.0
    # the header has whole seconds: compare with the middle of the request, keep ±1 s noise
    return server_time + 0.5 - (sent + received) / 2
