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


class Backend(QObject):
    online_changed = Signal(bool)
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
        self._counters: dict[int, list[str]] = {}
        self._printer: Any = None
        self._reported: str | None = None
        self._printer_pool = ThreadPoolExecutor(1, thread_name_prefix="kiosk-printer")
        self._pool = ThreadPoolExecutor(3, thread_name_prefix="kiosk-net")
        self._stream: EventStream | None = None

    # ---- server ------------------------------------------------------------------
    def start(self) -> None:
        self._stream = EventStream(self.settings.api_base, self.settings.token,
                                   on_event=self._on_event, on_connected=self.refresh,
                                   on_lost=lambda why: self._offline(why))
        self._stream.start()

    def stop(self) -> None:
        if self._stream is not None:
            self._stream.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._printer_pool.submit(self._close_printer)
        self._printer_pool.shutdown(wait=True, cancel_futures=False)

    def _on_event(self, event: ServerEvent) -> None:
        self.server_event.emit(event.type, event.data)

    def _offline(self, why: str) -> None:
        log.warning("server unreachable: %s", why)
        self.online_changed.emit(False)

    def refresh(self) -> Future:
        return self._pool.submit(self._refresh)

    def _refresh(self) -> None:
        try:
            office = self.api.office()
            services = self.api.services()
            counters = self.api.counters()
        except (ServerUnreachable, ApiError) as exc:
            self._offline(str(exc))
            return
        self.office = office
        self._counters = {int(s["id"]): [str(c["name"]) for c in counters
                                         if int(s["id"]) in c.get("service_ids", ())]
                          for s in services}
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
            self.issue_failed.emit(request, exc.message)
            return
        self.ticket_issued.emit(request, ticket)
        if self.printing_enabled:
            self._print(ticket)
        else:
            self._pool.submit(self._preview, ticket)

    def _ticket_data(self, ticket: dict[str, Any]) -> TicketData:
        counters = self._counters.get(int(ticket.get("service_id") or 0), [])
        return TicketData.from_api(ticket, self.office, counters)

    def _preview(self, ticket: dict[str, Any]) -> None:
        try:
            image = render_ticket(self._ticket_data(ticket), width_dots=self.settings.paper_width)
            self.preview_ready.emit(int(ticket["id"]), to_qimage(image))
        except Exception:
            log.exception("rendering the preview of ticket %s", ticket.get("number"))

    def _print(self, ticket: dict[str, Any]) -> None:
        """Print on this (printer) thread while the preview renders on another."""
        self._pool.submit(self._preview, ticket)
        try:
            self._open().print_ticket(self._ticket_data(ticket))
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

    def reprint(self, ticket: dict[str, Any]) -> Future:
        return self._printer_pool.submit(self._print, ticket)

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
