"""Following the server's event stream (Server-Sent Events) from a device.

`SseParser` turns bytes, however TCP cuts them, into `ServerEvent`s. `EventStream` reads
GET /events on its own thread and keeps reading: it reconnects with `Last-Event-ID`, so
no event is missed across a server restart. A stream that ends and reconnects at once is
not an outage; only a failed connection attempt is reported (`on_lost`), and the next
attempt waits a little longer each time. An attempt the server refuses with 401 (it does
not know the token: wrong or revoked) is reported to `on_refused` instead, if given.

Standard library, `requests` and `urllib3` only: kiosks and displays import this module.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import requests
import urllib3

log = logging.getLogger(__name__)

BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)
# The server sends a comment at least every 15 s; silence longer than this is a dead line.
READ_TIMEOUT_S = 35.0
CONNECT_TIMEOUT_S = 5.0
# A stream the server closes sooner than this is retried after a back-off, not at once,
# so a server (or proxy) that accepts and hangs up does not get hammered.
SHORTEST_STREAM_S = 1.0
# What a network that went away raises while we read or connect.
NETWORK_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError, ValueError)


@dataclass(frozen=True)
class ServerEvent:
    id: int | None
    type: str
    data: dict


class SseParser:
    """Turns bytes of a text/event-stream into events (the WHATWG rules we need).

    A line ends with CRLF, LF or a bare CR. A CR ends its line at once (a server that
    ends lines with CR alone must not have its last event wait for the next byte); an LF
    right after it, even in the next read, is the same line end and is skipped.
    """

    _LINE_END = re.compile(rb"\r\n|\r|\n")

    def __init__(self) -> None:
        self._buffer = b""
        self._skip_lf = False   # the last read ended in a CR: a leading LF belongs to it
        self._reset_fields()

    def _reset_fields(self) -> None:
        self._id: str | None = None
        self._type = ""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[ServerEvent]:
        if not chunk:
            return []
        if self._skip_lf and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        data = self._buffer + chunk
        self._skip_lf = data.endswith(b"\r")
        *lines, self._buffer = self._LINE_END.split(data)
        events: list[ServerEvent] = []
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


def _socket_of(response: requests.Response) -> socket.socket | None:
    """The socket under a streaming response, so that another thread can shut it."""
    sock = getattr(getattr(response.raw, "connection", None), "sock", None)
    if sock is None:
        # http.client lets go of the connection's socket when the server will close it
        # (HTTP/1.0, Connection: close); the response's file still reads from it
        fp = getattr(getattr(response.raw, "_fp", None), "fp", None)
        sock = getattr(getattr(fp, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _ignore(*_: object) -> None:
    pass


def token_refused(exc: BaseException) -> bool:
    """The server answered 401: it does not know this device's token (wrong, revoked)."""
    response = getattr(exc, "response", None) if isinstance(exc, requests.HTTPError) else None
    return response is not None and response.status_code == 401


class EventStream:
    """GET {api_base}/events in a daemon thread, calling back (from that thread).

    `before_connect`, if given, runs before every connection attempt (a display takes
    its snapshot there); if it raises, the attempt has failed. `last_event_id` may be
    set by it: the next request resumes after that id.
    """

    def __init__(self, api_base: str, token: str,
                 on_event: Callable[[ServerEvent], None],
                 on_connected: Callable[[], None] = _ignore,
                 on_lost: Callable[[str], None] = _ignore,
                 *,
                 on_refused: Callable[[str], None] | None = None,
                 before_connect: Callable[[], None] | None = None,
                 backoff_s: Sequence[float] = BACKOFF_S,
                 read_timeout_s: float = READ_TIMEOUT_S,
                 connect_timeout_s: float = CONNECT_TIMEOUT_S,
                 name: str = "server-events") -> None:
        self.url = api_base.rstrip("/") + "/events"
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        self.on_event = on_event
        self.on_connected = on_connected
        self.on_lost = on_lost
        self.on_refused = on_refused
        self.before_connect = before_connect
        self.backoff_s = tuple(backoff_s)
        self.read_timeout_s = read_timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.last_event_id: int | None = None
        self._name = name
        self._stop = threading.Event()
        self._socket: socket.socket | None = None  # of the stream being read
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        sock = self._socket
        if sock is not None:
            # closing the response would wait for the read blocked in the other thread;
            # a shut socket ends that read now (the other thread then closes the response)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                response = self._connect()
            except NETWORK_ERRORS as exc:
                self._lost(str(exc), refused=token_refused(exc))
            except Exception as exc:  # a device left alone must never stop following
                log.exception("connecting to the event stream")
                self._lost(repr(exc))
            else:
                failures = 0
                opened = time.monotonic()
                if (self._follow(response)
                        and time.monotonic() - opened >= SHORTEST_STREAM_S):
                    continue  # the stream just ended: reconnect at once, no outage yet
            if self._stop.is_set():
                return
            self._stop.wait(self.backoff_s[min(failures, len(self.backoff_s) - 1)])
            failures += 1

    def _lost(self, why: str, refused: bool = False) -> None:
        if self._stop.is_set():
            return
        if refused and self.on_refused is not None:
            self.on_refused(why)
        else:
            self.on_lost(why)

    def _connect(self) -> requests.Response:
        if self.before_connect is not None:
            self.before_connect()
        headers = dict(self.headers)
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = str(self.last_event_id)
        response = requests.get(self.url, headers=headers, stream=True,
                                timeout=(self.connect_timeout_s, self.read_timeout_s))
        if response.status_code != 200:
            response.close()
            raise requests.HTTPError(f"HTTP {response.status_code}", response=response)
        return response

    def _follow(self, response: requests.Response) -> bool:
        """Read one accepted stream to its end; False if it broke in an unexpected way."""
        with response:
            self._socket = _socket_of(response)
            try:
                if self._stop.is_set():  # stop() came before it could see this response
                    return True
                self.on_connected()
                for event in self._events(response):
                    if event.id is not None:
                        self.last_event_id = event.id
                    self.on_event(event)
                if not self._stop.is_set():
                    log.info("the server closed the event stream")
            except NETWORK_ERRORS as exc:
                # the next connect attempt decides whether it is an outage
                log.info("event stream ended: %s", exc)
            except Exception:
                log.exception("following the event stream")
                return False
            finally:
                self._socket = None
        return True

    def _events(self, response: requests.Response) -> Iterator[ServerEvent]:
        parser = SseParser()
        while not self._stop.is_set():
            # read1 returns whatever the socket has, never waits for more
            chunk = response.raw.read1(65536)
            if not chunk:
                return
            for event in parser.feed(chunk):
                if self._stop.is_set():
                    return
                yield event
