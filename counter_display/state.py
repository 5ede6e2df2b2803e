"""What the hall display knows: counters and their current numbers, the last calls,
who waits per field, the connection, and which call is highlighted.

A QObject with signals and no widgets: the server's snapshot and events go in,
screens only draw what is here. Tested without drawing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QObject, QTimer, Signal

RECENT_CALLS_KEPT = 8
DEFAULT_HIGHLIGHT_S = 8.0


@dataclass(frozen=True)
class CounterView:
    id: int
    number: int
    name: str
    status: str = "open"            # "open" | "paused" | "closed"
    ticket_id: int | None = None
    ticket_number: str | None = None

    @property
    def paused(self) -> bool:
        return self.status == "paused"


@dataclass(frozen=True)
class CallView:
    ticket_id: int
    number: str
    counter_id: int | None
    counter_number: int | None
    counter_name: str
    service_name: str = ""
    called_at: str | None = None
    recall: bool = False


@dataclass(frozen=True)
class ServiceView:
    id: int
    name: str
    code: str = ""
    name_en: str = ""   # the office's English name for the field, if it gave one

    def label(self, language: str) -> str:
        """The name shown: the English one on an English screen, when there is one."""
        return self.name_en if language == "en" and self.name_en else self.name


def _zone(name: str | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def counter_from_json(item: dict) -> CounterView:
    ticket = item.get("current_ticket") or {}
    return CounterView(
        id=int(item["id"]), number=int(item.get("number") or 0),
        name=str(item.get("name") or ""), status=str(item.get("status") or "open"),
        ticket_id=_int_or_none(ticket.get("id")), ticket_number=ticket.get("number"),
    )


def call_from_json(ticket: dict, counter: dict | None, called_at: str | None = None,
                   recall: bool = False) -> CallView:
    counter = counter or {}
    return CallView(
        ticket_id=int(ticket["id"]), number=str(ticket.get("number") or ""),
        counter_id=_int_or_none(counter.get("id") or ticket.get("counter_id")),
        counter_number=_int_or_none(counter.get("number")),
        counter_name=str(counter.get("name") or ""),
        service_name=str(ticket.get("service_name") or ""),
        called_at=called_at or ticket.get("called_at"), recall=recall,
    )


class DisplayState(QObject):
    """The hall's picture of the office, changed only by snapshots and events."""

    changed = Signal()                  # anything shown may have changed
    call_highlighted = Signal(object)   # CallView: a new call (or recall) to put up large
    highlight_ended = Signal()
    connection_changed = Signal(bool)
    timezone_learned = Signal(str)      # the server gave an office time zone not known yet

    def __init__(self, highlight_s: float = DEFAULT_HIGHLIGHT_S,
                 timezone: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.office_name = ""
        self.office_unit = ""
        # the office's, from the server; until it answers, the one remembered from before
        self.timezone: str | None = timezone if _zone(timezone) else None
        self.notice = ""
        self.announce_repeat = 1
        self.counters: dict[int, CounterView] = {}
        self.services: dict[int, ServiceView] = {}
        self.waiting: dict[int, int] = {}
        self.recent_calls: list[CallView] = []
        self.latest_call: CallView | None = None
        self.highlighted = False
        self.connected = False
        self.token_refused = False   # the server answered 401: this display's token is wrong
        self.last_event_id: int | None = None
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setSingleShot(True)
        self._highlight_timer.setInterval(int(highlight_s * 1000))
        self._highlight_timer.timeout.connect(self._end_highlight)

    # -- what screens read -------------------------------------------------------------

    def office_now(self) -> dt.datetime:
        """The time on the hall clock: the office's zone, not the machine's (the machine's
        only before any office zone was ever known)."""
        return dt.datetime.now(_zone(self.timezone))

    def counters_in_order(self) -> list[CounterView]:
        return sorted(self.counters.values(), key=lambda c: (c.number, c.id))

    def counter_by_number(self, number: int) -> CounterView | None:
        return next((c for c in self.counters.values() if c.number == number), None)

    def waiting_by_service(self) -> list[tuple[ServiceView, int]]:
        return [(s, self.waiting.get(s.id, 0))
                for s in sorted(self.services.values(), key=lambda s: s.id)]

    # -- what the feed changes ---------------------------------------------------------

    def set_connected(self, connected: bool) -> None:
        """Connected, or the server could not be reached: either is newer news than a
        refused token."""
        refused, self.token_refused = self.token_refused, False
        if connected != self.connected:
            self.connected = connected
            self.connection_changed.emit(connected)
            self.changed.emit()
        elif refused:
            self.changed.emit()

    def set_token_refused(self) -> None:
        """The server does not know this display's token (wrong or revoked)."""
        if self.token_refused:
            return
        was_connected, self.connected, self.token_refused = self.connected, False, True
        if was_connected:
            self.connection_changed.emit(False)
        self.changed.emit()

    def apply_snapshot(self, snapshot: dict) -> None:
        """Replace everything with GET /display; calls in it are shown, not highlighted."""
        office = snapshot.get("office") or {}
        self.office_name = str(office.get("name") or self.office_name)
        self.office_unit = str(office.get("unit") or self.office_unit)
        self._learn_timezone(office.get("timezone"))
        self.notice = str(snapshot.get("notice") or "")
        self.announce_repeat = max(1, int(snapshot.get("announce_repeat") or 1))
        self.counters = {c.id: c for c in map(counter_from_json, snapshot.get("counters", []))}
        self.waiting = {}
        if "services" in snapshot:
            self._set_services(snapshot["services"])
        self._update_waiting(snapshot.get("waiting") or {})
        self.recent_calls = [
            call_from_json(item["ticket"], item.get("counter"), item.get("called_at"))
            for item in (snapshot.get("recent_calls") or [])[:RECENT_CALLS_KEPT]
        ]
        self.latest_call = self.recent_calls[0] if self.recent_calls else None
        self.last_event_id = _int_or_none(snapshot.get("last_event_id"))
        self.changed.emit()

    def apply_event(self, event_id: int | None, kind: str, data: dict) -> bool:
        """Apply one stream event; False when the snapshot already held it or it is unknown."""
        if (event_id is not None and self.last_event_id is not None
                and event_id <= self.last_event_id):
            return False
        handler = self._HANDLERS.get(kind)
        if handler is None:
            return False
        if event_id is not None:
            self.last_event_id = event_id
        handler(self, data)
        self._update_waiting(data.get("waiting") or {})
        self.changed.emit()
        return True

    # -- event handlers ----------------------------------------------------------------

    def _on_called(self, data: dict) -> None:
        ticket = data["ticket"]
        call = call_from_json(ticket, data.get("counter"), recall=bool(data.get("recall")))
        counter = self.counters.get(call.counter_id) if call.counter_id is not None else None
        if counter is not None:
            self.counters[counter.id] = replace(counter, ticket_id=call.ticket_id,
                                                ticket_number=call.number)
            if not call.counter_name or call.counter_number is None:
                call = replace(call, counter_name=call.counter_name or counter.name,
                               counter_number=call.counter_number or counter.number)
        self.recent_calls = [call] + [c for c in self.recent_calls
                                      if c.ticket_id != call.ticket_id]
        del self.recent_calls[RECENT_CALLS_KEPT:]
        self.latest_call = call
        self.highlighted = True
        self._highlight_timer.start()
        self.call_highlighted.emit(call)

    def _on_finished(self, data: dict) -> None:
        """done, no-show, transfer: the counter that held the ticket is free again."""
        ticket_id = _int_or_none((data.get("ticket") or {}).get("id"))
        for counter in list(self.counters.values()):
            if ticket_id is not None and counter.ticket_id == ticket_id:
                self.counters[counter.id] = replace(counter, ticket_id=None, ticket_number=None)

    def _on_counter_updated(self, data: dict) -> None:
        counter = counter_from_json(data["counter"])
        self.counters[counter.id] = counter

    def _on_services_updated(self, data: dict) -> None:
        self._set_services(data.get("services") or [])

    def _on_day_reset(self, data: dict) -> None:
        self.counters = {i: replace(c, ticket_id=None, ticket_number=None)
                         for i, c in self.counters.items()}
        self.recent_calls = []
        self.latest_call = None
        self.waiting = {}
        self._end_highlight()

    def _on_office_updated(self, data: dict) -> None:
        """An admin changed the office: its name, time zone, notice or repeat count."""
        office = data.get("office") or {}
        self.office_name = str(office.get("name") or self.office_name)
        self.office_unit = str(office.get("unit") or self.office_unit)
        self._learn_timezone(office.get("timezone"))
        self.notice = str((office.get("display") or {}).get("notice", self.notice) or "")
        repeat = (office.get("announcement") or {}).get("repeat")
        if repeat:
            self.announce_repeat = max(1, int(repeat))

    def _on_nothing_shown(self, data: dict) -> None:
        """ticket.issued and the like change only the waiting counts."""

    _HANDLERS: ClassVar[dict[str, Callable[[DisplayState, dict], None]]] = {
        "ticket.called": _on_called,
        "ticket.done": _on_finished,
        "ticket.no_show": _on_finished,
        "ticket.transferred": _on_finished,
        "ticket.issued": _on_nothing_shown,
        "ticket.cancelled": _on_nothing_shown,
        "counter.updated": _on_counter_updated,
        "services.updated": _on_services_updated,
        "day.reset": _on_day_reset,
        "office.updated": _on_office_updated,
    }

    # -- helpers -----------------------------------------------------------------------

    def _learn_timezone(self, zone: object) -> None:
        if isinstance(zone, str) and _zone(zone) is not None and zone != self.timezone:
            self.timezone = zone
            self.timezone_learned.emit(zone)

    def _set_services(self, services: list[dict]) -> None:
        self.services = {int(s["id"]): ServiceView(int(s["id"]), str(s.get("name") or ""),
                                                   str(s.get("code") or ""),
                                                   str(s.get("name_en") or ""))
                         for s in services}
        for s in services:
            if s.get("waiting") is not None:
                self.waiting[int(s["id"])] = int(s["waiting"])

    def _update_waiting(self, waiting: dict) -> None:
        for key, n in waiting.items():
            service_id = _int_or_none(key)
            if service_id is not None and n is not None:
                self.waiting[service_id] = int(n)

    def _end_highlight(self) -> None:
        self._highlight_timer.stop()
        if self.highlighted:
            self.highlighted = False
            self.highlight_ended.emit()
            self.changed.emit()
