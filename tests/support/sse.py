"""A plain Server-Sent Events reader for tests, independent of the product's own clients."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

import requests


@dataclass
class SseEvent:
    id: int
    type: str
    data: dict


@dataclass
class SseReader:
    """Reads a stream in a thread; `events` fills as they arrive."""

    url: str
    token: str
    last_event_id: int | None = None
    events: list[SseEvent] = field(default_factory=list)
    error: Exception | None = None

    def start(self) -> SseReader:
        self.arrived = threading.Condition()
        self._response = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = str(self.last_event_id)
        try:
            with requests.get(self.url, headers=headers, stream=True, timeout=(5, 60)) as r:
                self._response = r
                r.raise_for_status()
                fields: dict[str, str] = {}
                for raw in r.iter_lines(decode_unicode=True):
                    if raw is None:
                        continue
                    if raw == "":
                        if "data" in fields:
                            event = SseEvent(int(fields.get("id", "0")), fields.get("event", ""),
                                             json.loads(fields["data"]))
                            with self.arrived:
                                self.events.append(event)
                                self.arrived.notify_all()
                        fields = {}
                    elif not raw.startswith(":") and ":" in raw:
                        name, value = raw.split(":", 1)
                        fields[name] = value.removeprefix(" ")
        except Exception as e:  # noqa: BLE001 - the server went away: the test decides
            self.error = e
        with self.arrived:
            self.arrived.notify_all()

    def wait_for(self, predicate, timeout: float = 10.0) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: predicate(self.events), timeout)

    def close(self) -> None:
        if self._response is not None:
            try:
                self._response.raw._fp.fp.raw._sock.shutdown(2)  # unblock the reader now
            except (AttributeError, OSError):
                self._response.close()
        self._thread.join(5)
