"""Live events to open streams: every stream has its own bounded queue.

A stream that falls too far behind is closed; its client reconnects with
Last-Event-ID and gets what it missed from the stored events. A stream whose
credential ended (device revoked, user disabled, logged out, role changed) is closed.

Streams live on the gevent loop; events are published after commit from pool threads,
so `publish` hands each one to the loop (`Workers.to_loop`), in commit order, and only
the loop touches the queues.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from gevent.queue import Empty, Full, Queue

from layso.server.workers import Workers, native_lock

if TYPE_CHECKING:
    from layso.server.operations import Actor

QUEUE_LIMIT = 2000
_WAKE = {"id": -1}  # put in a queue to make its stream look at `closed` now


def format_event(event: dict) -> str:
    """One event as Server-Sent Events text."""
    data = json.dumps(event["data"], ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['id']}\nevent: {event['type']}\ndata: {data}\n\n"


class Subscription:
    def __init__(self, office_id: int, token_digest: str = "", actor: Actor | None = None):
        self.office_id = office_id
        self.token_digest = token_digest  # whose stream: checked again when credentials change
        self.actor = actor
        self.queue: Queue = Queue(QUEUE_LIMIT + 1)
        self.overflowed = False
        self.closed = False

    @property
    def open(self) -> bool:
        return not (self.overflowed or self.closed)

    def get(self, timeout: float) -> dict | None:
        """The next event, or None after `timeout` (or when the stream was closed)."""
        try:
            event = self.queue.get(timeout=timeout)
        except Empty:
            return None
        return None if event is _WAKE else event

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.queue.put_nowait(_WAKE)  # the one slot above QUEUE_LIMIT is for this


class Broker:
    def __init__(self, workers: Workers | None = None) -> None:
        self._workers = workers or Workers()
        self._lock = native_lock()  # held for microseconds only, never across a wait
        self._subs: dict[int, set[Subscription]] = {}

    def subscribe(self, office_id: int, token_digest: str = "",
                  actor: Actor | None = None) -> Subscription:
        sub = Subscription(office_id, token_digest, actor)
        with self._lock:
            self._subs.setdefault(office_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.get(sub.office_id, set()).discard(sub)

    def publish(self, office_id: int, event: dict) -> None:
        # Formatted once here, not once per stream: a hall may have 200 of them.
        event = dict(event, sse=format_event(event))
        self._workers.to_loop(self._deliver, office_id, event)

    def _deliver(self, office_id: int, event: dict) -> None:
        with self._lock:
            subs = list(self._subs.get(office_id, ()))
        for sub in subs:
            if sub.closed:
                continue
            if sub.queue.qsize() >= QUEUE_LIMIT:
                sub.overflowed = True
                continue
            try:
                sub.queue.put_nowait(event)
            except Full:
                sub.overflowed = True

    def streams(self) -> list[Subscription]:
        with self._lock:
            return [sub for subs in self._subs.values() for sub in subs]

    def close_where(self, ended: Callable[[Subscription], bool]) -> int:
        """Close every open stream for which `ended(sub)` holds; how many were closed."""
        closed = 0
        for sub in self.streams():
            if sub.open and ended(sub):
                self._workers.to_loop(sub.close)
                closed += 1
        return closed

    def count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subs.values())
