"""Live events to open streams: every stream has its own bounded queue.

A stream that falls too far behind is closed; its client reconnects with
Last-Event-ID and gets what it missed from the stored events.
"""

from __future__ import annotations

import json
import queue
import threading

QUEUE_LIMIT = 2000


def format_event(event: dict) -> str:
    """One event as Server-Sent Events text."""
    data = json.dumps(event["data"], ensure_ascii=False, separators=(",", ":"))
    return f"id: {event['id']}\nevent: {event['type']}\ndata: {data}\n\n"


class Subscription:
    def __init__(self, office_id: int):
        self.office_id = office_id
        self.queue: queue.Queue = queue.Queue(QUEUE_LIMIT)
        self.overflowed = False

    def get(self, timeout: float) -> dict | None:
        try:
            return self.queue.get(timeout=timeout)
        except queue.Empty:
            return None


class Broker:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: dict[int, set[Subscription]] = {}

    def subscribe(self, office_id: int) -> Subscription:
        sub = Subscription(office_id)
        with self._lock:
            self._subs.setdefault(office_id, set()).add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.get(sub.office_id, set()).discard(sub)

    def publish(self, office_id: int, event: dict) -> None:
        # Formatted once here, not once per stream: a hall may have 200 of them.
        event = dict(event, sse=format_event(event))
        with self._lock:
            subs = list(self._subs.get(office_id, ()))
        for sub in subs:
            try:
                sub.queue.put_nowait(event)
            except queue.Full:
                sub.overflowed = True

    def count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subs.values())
