"""Following the server: the GET /display snapshot, then the event stream (layso.common.sse).

`DisplayFeed` runs on its own thread: snapshot, then the stream with `Last-Event-ID`,
and on any failure a back-off and the same again, so a display left alone in the hall
comes back by itself after a power cut or a pulled cable. It reports through plain
callbacks; the Qt side (app.py) moves them onto the GUI thread.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from layso.common.sse import (
    BACKOFF_S,
    CONNECT_TIMEOUT_S,
    READ_TIMEOUT_S,
    EventStream,
    ServerEvent,
)

__all__ = ["DisplayFeed", "ServerEvent", "Snapshot", "api_base"]

log = logging.getLogger(__name__)


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
                 read_timeout_s: float = READ_TIMEOUT_S,
                 on_refused: Callable[[], None] | None = None) -> None:
        self.api = api_base(server)
        self._headers = {"Authorization": f"Bearer {token}"}
        self._on_snapshot = on_snapshot
        self._on_event = on_event
        self._on_connection = on_connection
        self._on_refused = on_refused
        self._said: str | None = None   # what was last logged about the server
        self._read_timeout_s = read_timeout_s
        self._replay_until: int | None = None
        self._stream = EventStream(
            self.api, token, self._event,
            on_connected=self._connected,
            on_lost=self._lost, on_refused=self._refused,
            before_connect=self._take_snapshot, backoff_s=backoff_s,
            read_timeout_s=read_timeout_s, connect_timeout_s=CONNECT_TIMEOUT_S,
            name="display-feed")

    @property
    def last_event_id(self) -> int | None:
        return self._stream.last_event_id

    def start(self) -> None:
        self._stream.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stream.stop(timeout)

    def _connected(self) -> None:
        log.info("following %s", self.api)
        self._said = "connected"
        self._on_connection(True)

    def _lost(self, why: str) -> None:
        # said when the outage starts; the retries after it are not worth a line each
        log.log(logging.DEBUG if self._said == "lost" else logging.WARNING,
                "display feed: %s", why)
        self._said = "lost"
        self._on_connection(False)

    def _refused(self, why: str) -> None:
        if self._said != "refused":
            log.error("display feed: the server refuses this display's device token (%s): give "
                      "the token the server made for it (--token, --token-file, $LAYSO_TOKEN)",
                      why)
        self._said = "refused"
        if self._on_refused is not None:
            self._on_refused()
        else:
            self._on_connection(False)

    def _take_snapshot(self) -> None:
        snapshot = self._fetch_snapshot()
        self._on_snapshot(snapshot)
        self._replay_until = snapshot.replay_until
        last = self._stream.last_event_id
        if last is None or (snapshot.replay_until is not None
                            and snapshot.replay_until < last):
            # first start, or the server's ids went back (a new database)
            self._stream.last_event_id = snapshot.replay_until

    def _event(self, event: ServerEvent) -> None:
        replayed = (event.id is not None and self._replay_until is not None
                    and event.id <= self._replay_until)
        self._on_event(event, replayed)

    def _fetch_snapshot(self) -> Snapshot:
        sent = time.time()
        r = requests.get(self.api + "/display", headers=self._headers,
                         timeout=(CONNECT_TIMEOUT_S, self._read_timeout_s))
        r.raise_for_status()
        data = r.json()
        return Snapshot(data, _clock_offset(r.headers.get("Date"), sent, time.time()),
                        _int(data.get("last_event_id")))


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
