"""What the kiosk knows and decides, with no widgets: which screen, which services can be
taken, the ticket just issued, the printer's and the server's state.

Widgets read this object and report taps to it; the backend reports what the server and
the printer answered. Every decision (debounce, what the notice says, when to go back
home) is made here, so it is tested without drawing anything.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Signal

from layso.kiosk import messages as m

DEBOUNCE_S = 1.0            # a second tap within this is the same wish
CONFIRMATION_S = 8.0        # the number stays this long after the ticket printed
PRINT_FAILED_S = 90.0       # ... and this long when it did not print
PRIORITY_IDLE_S = 30.0      # a priority path left half-way goes back home
ERROR_NOTICE_S = 6.0


class Screen(StrEnum):
    HOME = "home"
    PRIORITY = "priority"
    CONFIRMATION = "confirmation"
    NOTICE = "notice"


class PrintState(StrEnum):
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"
    NO_PRINTER = "no_printer"


@dataclass(frozen=True)
class Service:
    id: int
    code: str
    name: str
    name_en: str = ""  # the office's English name for the field, if it gave one
    waiting: int = 0
    estimated_wait_s: int | None = None
    available: bool = True
    unavailable_reason: str | None = None
    unavailable_message: str | None = None
    counters: tuple[int, ...] = ()
    open: bool = True

    @classmethod
    def from_api(cls, item: dict[str, Any]) -> Service:
        return cls(id=int(item["id"]), code=str(item.get("code", "")), name=str(item["name"]),
                   name_en=str(item.get("name_en") or ""),
                   waiting=int(item.get("waiting") or 0),
                   estimated_wait_s=item.get("estimated_wait_s"),
                   available=bool(item.get("available", True)),
                   unavailable_reason=item.get("unavailable_reason"),
                   unavailable_message=item.get("unavailable_message"),
                   counters=tuple(int(c) for c in item.get("counters") or ()),
                   open=bool(item.get("open", True)))

    def label(self, lang: str) -> str:
        """The name a citizen reads: the English one in English mode, when there is one."""
        return self.name_en if lang == m.EN and self.name_en else self.name


@dataclass(frozen=True)
class Category:
    code: str
    name: str


@dataclass(frozen=True)
class IssueRequest:
    service_id: int
    priority: str | None
    idempotency_key: str
    lang: str = m.VI  # the citizen's language: the ticket prints in it


@dataclass(frozen=True)
class Problem:
    """Something wrong the citizen must be told about (printer codes from PrinterError)."""
    code: str
    message_vi: str
    message_en: str

    def message(self, lang: str) -> str:
        return self.message_en if lang == m.EN else self.message_vi


@dataclass
class IssuedTicket:
    ticket: dict[str, Any]
    service: Service | None
    print_state: PrintState
    print_problem: Problem | None = None
    preview: Any = None  # a QImage of exactly what prints, when rendered
    settled_at: float | None = None  # printed, failed or no printer: the countdown starts
    lang: str = m.VI  # the language it was taken (and printed) in

    @property
    def id(self) -> int:
        return int(self.ticket["id"])

    @property
    def number(self) -> str:
        return str(self.ticket["number"])


@dataclass
class Notice:
    title: str
    detail: str = ""
    kind: str = "info"  # "server", "printer", "error", "setup", "info"


class KioskState(QObject):
    changed = Signal()
    issue_requested = Signal(object)   # IssueRequest
    refresh_needed = Signal()

    def __init__(self, printing_enabled: bool = True, configured: bool = True,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.printing_enabled = printing_enabled
        self.configured = configured
        self.clock = clock
        self.lang = m.VI
        self.office: dict[str, Any] = {}
        self.categories: list[Category] = []
        self.services: list[Service] = []
        self.online: bool | None = None  # None until the server first answers
        self.token_refused = False  # the server answered 401: this kiosk's token is wrong
        self.printer_problem: Problem | None = None
        self.ticket: IssuedTicket | None = None
        self.last_ticket: IssuedTicket | None = None  # kept for the technician's reprint
        self.choosing_priority = False
        self.priority: Category | None = None
        self.pending: IssueRequest | None = None
        self.error: tuple[str, str, float] | None = None  # (vi, en, shown until)
        self._last_tap = -1e9
        self._priority_since = 0.0

    # ---- what the screen shows -------------------------------------------------
    @property
    def screen(self) -> Screen:
        if self.ticket is not None:
            return Screen.CONFIRMATION
        if self.notice is not None:
            return Screen.NOTICE
        if self.choosing_priority:
            return Screen.PRIORITY
        return Screen.HOME

    @property
    def notice(self) -> Notice | None:
        lang = self.lang
        if not self.configured:
            return Notice(m.text("not_configured", lang), kind="setup")
        if self.token_refused:
            return Notice(m.text("token_refused", lang), kind="setup")
        if self.online is None:
            return Notice(m.text("connecting", lang), kind="info")
        if not self.online:
            return Notice(m.text("server_down", lang), kind="server")
        if self.printer_problem is not None:
            return Notice(self.printer_problem.message(lang), m.text("printer_wait", lang),
                          kind="printer")
        if self.error is not None and self.clock() < self.error[2]:
            vi, en, _ = self.error
            return Notice(en if lang == m.EN else vi, kind="error")
        return None

    @property
    def visible_services(self) -> list[Service]:
        return [s for s in self.services if s.open]

    def service(self, service_id: int) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    # ---- what the server says --------------------------------------------------
    def set_office(self, office: dict[str, Any]) -> None:
        self.office = office
        self.categories = [Category(str(c["code"]), str(c["name"]))
                           for c in office.get("priority_categories") or ()]
        self.changed.emit()

    def set_services(self, items: list[dict[str, Any]]) -> None:
        self.services = [Service.from_api(item) for item in items]
        self.changed.emit()

    def set_online(self, online: bool) -> None:
        """The server answered (True) or could not be reached (False); either way it is
        the latest news, so a refused token is no longer what the screen says."""
        if online != self.online or self.token_refused:
            self.online, self.token_refused = online, False
            if not online:
                self.choosing_priority, self.priority = False, None
            self.changed.emit()

    def set_token_refused(self) -> None:
        """The server answered 401: it does not know this kiosk's token (wrong, revoked)."""
        if not self.token_refused:
            self.online, self.token_refused = False, True
            self.choosing_priority, self.priority = False, None
            self.changed.emit()

    def apply_event(self, event_type: str, data: dict[str, Any]) -> None:
        if event_type == "services.updated" and isinstance(data.get("services"), list):
            self.set_services(data["services"])
        elif event_type.startswith("ticket.") and isinstance(data.get("waiting"), dict):
            counts = {int(k): int(v) for k, v in data["waiting"].items()}
            self.services = [replace(s, waiting=counts.get(s.id, s.waiting))
                             for s in self.services]
            self.changed.emit()
        elif event_type in ("day.reset", "counter.updated", "office.updated"):
            # office.updated: new priority categories, hours or ticket footer
            self.refresh_needed.emit()

    # ---- what the citizen does ---------------------------------------------------
    def tap_service(self, service_id: int) -> IssueRequest | None:
        """A tap on a service button: one ticket per wish, however many taps."""
        now = self.clock()
        if self.screen is not Screen.HOME or self.pending is not None:
            return None
        if now - self._last_tap < DEBOUNCE_S:
            return None
        service = self.service(service_id)
        if service is None or not service.available or not service.open:
            return None
        self._last_tap = now
        self.pending = IssueRequest(service_id, self.priority.code if self.priority else None,
                                    uuid.uuid4().hex, self.lang)
        self.changed.emit()
        self.issue_requested.emit(self.pending)
        return self.pending

    def open_priority(self) -> None:
        if self.screen is Screen.HOME and self.pending is None:
            self.choosing_priority, self._priority_since = True, self.clock()
            self.changed.emit()

    def pick_category(self, code: str) -> None:
        chosen = next((c for c in self.categories if c.code == code), None)
        if self.screen is Screen.PRIORITY and chosen is not None:
            self.choosing_priority, self.priority = False, chosen
            self._priority_since = self.clock()
            self.changed.emit()

    def cancel_priority(self) -> None:
        self.choosing_priority, self.priority = False, None
        self.changed.emit()

    def toggle_language(self) -> None:
        self.lang = m.EN if self.lang == m.VI else m.VI
        self.changed.emit()

    def dismiss(self) -> None:
        """Back to the start for the next citizen (a tap on the confirmation, or time out)."""
        if self.ticket is not None and self.ticket.print_state is PrintState.PRINTING:
            return  # never hide the number before the paper is out
        self.ticket = None
        self.choosing_priority, self.priority = False, None
        self.lang = m.VI
        self.changed.emit()

    # ---- what the backend reports ------------------------------------------------
    def issue_aborted(self, request: IssueRequest) -> None:
        """Nothing was issued (printer not ready, server gone): the notice tells why."""
        if self.pending == request:
            self.pending = None
            self.changed.emit()

    def issue_failed(self, request: IssueRequest, message_vi: str) -> None:
        if self.pending == request:
            self.pending = None
            self.error = (message_vi or m.text("issue_failed"), m.text("issue_failed", m.EN),
                          self.clock() + ERROR_NOTICE_S)
            self.changed.emit()

    def ticket_issued(self, request: IssueRequest, ticket: dict[str, Any]) -> None:
        if self.pending == request:
            self.pending = None
        state = PrintState.PRINTING if self.printing_enabled else PrintState.NO_PRINTER
        issued = IssuedTicket(ticket, self.service(int(ticket["service_id"])), state,
                              lang=request.lang)
        if state is PrintState.NO_PRINTER:
            issued.settled_at = self.clock()
        self.ticket = self.last_ticket = issued
        self.changed.emit()

    def _this_ticket(self, ticket_id: int) -> IssuedTicket | None:
        for candidate in (self.ticket, self.last_ticket):
            if candidate is not None and candidate.id == ticket_id:
                return candidate
        return None

    def ticket_printed(self, ticket_id: int) -> None:
        issued = self._this_ticket(ticket_id)
        if issued is not None:
            issued.print_state, issued.print_problem = PrintState.PRINTED, None
            issued.settled_at = self.clock()
            self.changed.emit()

    def print_failed(self, ticket_id: int, problem: Problem) -> None:
        issued = self._this_ticket(ticket_id)
        if issued is not None:
            issued.print_state, issued.print_problem = PrintState.FAILED, problem
            issued.settled_at = self.clock()
            self.printer_problem = problem
            self.changed.emit()

    def set_preview(self, ticket_id: int, image: Any) -> None:
        issued = self._this_ticket(ticket_id)
        if issued is not None:
            issued.preview = image
            self.changed.emit()

    def set_printer_problem(self, problem: Problem | None) -> None:
        if problem != self.printer_problem:
            self.printer_problem = problem
            self.changed.emit()

    # ---- time --------------------------------------------------------------------
    def tick(self) -> None:
        """Called every second: go home when a screen has been left alone long enough."""
        now = self.clock()
        issued = self.ticket
        if issued is not None and issued.settled_at is not None:
            limit = PRINT_FAILED_S if issued.print_state is PrintState.FAILED else CONFIRMATION_S
            if now - issued.settled_at >= limit:
                self.dismiss()
                return
        if (self.choosing_priority or self.priority) and now - self._priority_since >= \
                PRIORITY_IDLE_S:
            self.cancel_priority()
            return
        if self.error is not None and now >= self.error[2]:
            self.error = None
            self.changed.emit()
