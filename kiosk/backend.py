"""Everything that waits on a wire — the server and the printer — off the GUI thread.

Printer jobs (check, issue-then-print, reprint, test print) run one at a time on their
own thread, so the printer never sees two conversations at once; other server calls
run on a small pool. Results come back as Qt signals, delivered on the GUI thread.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from layso.kiosk import messages as m
from layso.kiosk.api import ApiClient, ApiError, ServerUnreachable
from layso.kiosk.events import EventStream, ServerEvent
from layso.kiosk.settings import KioskSettings
from layso.kiosk.state import IssueRequest, Problem
from layso.ticket_printer import PrinterError, TicketData, open_printer, render_ticket

log = logging.getLogger(__name__)

OK = Problem("ok", "Máy in sẵn sàng", "Printer ready")


def problem_of(exc: PrinterError) -> Problem:
    return Problem(exc.code, exc.message_vi, exc.message_en)


def to_qimage(image: Any) -> QImage:
    """A PIL image as a QImage (grey, which is all a thermal printer has)."""
    grey = image.convert("L")
    width, height = grey.size
    return QImage(grey.tobytes(), width, height, width, QImage.Format.Format_Grayscale8).copy()


UNAUTHORIZED = 401  # the server does not know this kiosk's token (wrong or revoked)


class Backend(QObject):
    online_changed = Signal(bool)
    token_refused = Signal()
    office_loaded = Signal(object)          # dict
    services_loaded = Signal(object)        # list of dicts
    server_event = Signal(str, object)      # type, data dict
    printer_changed = Signal(object)        # Problem, or None when ready
    issue_aborted = Signal(object)          # IssueRequest: nothing was issued
    issue_failed = Signal(object, str)      # IssueRequest, the server's message
    ticket_issued = Signal(object, object)  # IssueRequest, ticket dict
    ticket_printed = Signal(int)            # ticket id
    print_failed = Signal(int, object)      # ticket id, Problem
    preview_ready = Signal(int, object)     # ticket id, QImage
    technician_result = Signal(str)         # answer to a technician's test

    def __init__(self, settings: KioskSettings):
        super().__init__()
        self.settings = settings
        self.api = ApiClient(settings.api_base, settings.token)
        self.office: dict[str, Any] = {}
        self._services: dict[int, dict[str, Any]] = {}  # as GET /services gives them
        self._printer: Any = None
        self._reported: str | None = None
        self._said: str | None = None  # what was last logged about the server
        self._printer_pool = ThreadPoolExecutor(1, thread_name_prefix="kiosk-printer")
        self._pool = ThreadPoolExecutor(3, thread_name_prefix="kiosk-net")
        self._stream: EventStream | None = None

    # ---- server ------------------------------------------------------------------
    def start(self) -> None:
        self._stream = EventStream(self.settings.api_base, self.settings.token,
                                   on_event=self._on_event, on_connected=self.refresh,
                                   on_lost=lambda why: self._offline(why),
                                   on_refused=lambda why: self._refused(why))
        self._stream.start()

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._printer_pool.submit(self._close_printer)
        self._printer_pool.shutdown(wait=True, cancel_futures=False)

    def _on_event(self, event: ServerEvent) -> None:
        if event.type == "services.updated" and isinstance(event.data.get("services"), list):
            self._know_services(event.data["services"])
        self.server_event.emit(event.type, event.data)

    def _offline(self, why: str) -> None:
        # asked again every 3 s while away: say it when it starts, not every time
        log.log(logging.DEBUG if self._said == "offline" else logging.WARNING,
                "server unreachable: %s", why)
        self._said = "offline"
        self.online_changed.emit(False)

    def _refused(self, why: str) -> None:
        if self._said != "refused":
            log.error("the server refuses this kiosk's device token (%s): give the token the "
                      "server made for it (--token, --token-file, $LAYSO_TOKEN)", why)
        self._said = "refused"
        self.token_refused.emit()

    def _failed(self, exc: ServerUnreachable | ApiError) -> None:
        if isinstance(exc, ApiError) and exc.status == UNAUTHORIZED:
            self._refused(str(exc))
        else:
            self._offline(str(exc))

    def _know_services(self, services: list[dict[str, Any]]) -> None:
        self._services = {int(s["id"]): s for s in services}

    def refresh(self) -> Future:
        return self._pool.submit(self._refresh)

    def _refresh(self) -> None:
        try:
            office = self.api.office()
            services = self.api.services()
        except (ServerUnreachable, ApiError) as exc:
            self._failed(exc)
            return
        if self._said != "online":
            log.info("connected to %s", self.settings.api_base)
            self._said = "online"
        self.office = office
        self._know_services(services)
        self.office_loaded.emit(office)
        self.services_loaded.emit(services)
        self.online_changed.emit(True)

    def _report(self, problem: Problem | None) -> None:
        """Tell the office (clerk console, display) when the printer's state changes."""
        status = problem.code if problem else "ok"
        if status == self._reported:
            return
        try:
            self.api.report_status(status, problem.message_vi if problem else OK.message_vi)
            self._reported = status
        except (ServerUnreachable, ApiError) as exc:
            log.warning("could not report printer status %s: %s", status, exc)

    # ---- printer -----------------------------------------------------------------
    @property
    def printing_enabled(self) -> bool:
        return bool(self.settings.printer_uri)

    def _open(self) -> Any:
        if self._printer is None:
            self._printer = open_printer(self.settings.printer_uri,
                                         width_dots=self.settings.paper_width,
                                         cut="partial", timeout=3.0)
        return self._printer

    def _close_printer(self) -> None:
        if self._printer is not None:
            try:
                self._printer.close()
            except Exception:
                log.exception("closing the printer")
            self._printer = None

    def _check(self) -> Problem | None:
        try:
            self._open().check()
        except PrinterError as exc:
            self._close_printer()  # the next job reconnects from scratch
            return problem_of(exc)
        return None

    def check_printer(self) -> Future:
        """Ask the printer how it is; the answer arrives as printer_changed."""
        def job() -> Problem | None:
            if not self.printing_enabled:
                return None
            problem = self._check()
            self.printer_changed.emit(problem)
            self._report(problem)
            return problem
        return self._printer_pool.submit(job)

    def issue(self, request: IssueRequest) -> Future:
        return self._printer_pool.submit(self._issue_job, request)

    def _issue_job(self, request: IssueRequest) -> None:
        if self.printing_enabled:
            problem = self._check()
            if problem is not None:
                self.printer_changed.emit(problem)
                self.issue_aborted.emit(request)
                self._report(problem)
                return
        try:
            ticket = self.api.issue_ticket(request.service_id, request.priority,
                                           request.idempotency_key)
        except ServerUnreachable as exc:
            self._offline(str(exc))
            self.issue_aborted.emit(request)
            return
        except ApiError as exc:
            if exc.status == UNAUTHORIZED:
                self._refused(str(exc))
                self.issue_aborted.emit(request)
            else:
                self.issue_failed.emit(request, exc.message)
            return
        self.ticket_issued.emit(request, ticket)
        if self.printing_enabled:
            self._print(ticket, request.lang)
        else:
            self._pool.submit(self._preview, ticket, request.lang)

    def _ticket_data(self, ticket: dict[str, Any], lang: str = m.VI) -> TicketData:
        """What the paper says, in the citizen's language: the field's English name in
        English when the office gave one, and the numbers of the counters that serve it."""
        service = self._services.get(int(ticket.get("service_id") or 0), {})
        name = service.get("name_en") if lang == m.EN else None
        return TicketData.from_api(ticket, self.office, list(service.get("counters") or ()),
                                   lang=lang, service_name=name or None)

    def _preview(self, ticket: dict[str, Any], lang: str = m.VI) -> None:
        try:
            image = render_ticket(self._ticket_data(ticket, lang),
                                  width_dots=self.settings.paper_width)
            self.preview_ready.emit(int(ticket["id"]), to_qimage(image))
        except Exception:
            log.exception("rendering the preview of ticket %s", ticket.get("number"))

    def _print(self, ticket: dict[str, Any], lang: str = m.VI) -> None:
        """Print on this (printer) thread while the preview renders on another."""
        self._pool.submit(self._preview, ticket, lang)
        try:
            self._open().print_ticket(self._ticket_data(ticket, lang))
        except PrinterError as exc:
            self._close_printer()
            problem = problem_of(exc)
            self.print_failed.emit(int(ticket["id"]), problem)
            self.printer_changed.emit(problem)
            self._report(problem)
            return
        self.ticket_printed.emit(int(ticket["id"]))
        self.printer_changed.emit(None)
        self._report(None)

    def reprint(self, ticket: dict[str, Any], lang: str = m.VI) -> Future:
        return self._printer_pool.submit(self._print, ticket, lang)

    def test_print(self) -> Future:
        """A sample ticket through the whole path, for the technician."""
        sample = {"id": 0, "number": "0000", "service_id": 0, "service_name": "In thử / Test",
                  "priority": None, "priority_name": None, "waiting_ahead": 0,
                  "estimated_wait_s": 0, "status": "waiting",
                  "issued_at": datetime.now().astimezone().isoformat(timespec="seconds")}

        def job() -> None:
            try:
                self._open().print_ticket(self._ticket_data(sample))
            except PrinterError as exc:
                self._close_printer()
                self.technician_result.emit(exc.message_vi)
                return
            except Exception as exc:
                log.exception("test print")
                self.technician_result.emit(f"{type(exc).__name__}: {exc}")
                return
            self.technician_result.emit(OK.message_vi)
        return self._printer_pool.submit(job)
