"""Wires the kiosk together: state ↔ backend ↔ window, the timers, the technician's way in.

Backend signals arrive from worker threads; they are connected queued to methods of
this object, which lives on the GUI thread, so the state is only touched there.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from layso.kiosk import messages as m
from layso.kiosk.backend import Backend
from layso.kiosk.pin import PinMode, PinPrompt, PinResult, TechnicianPin
from layso.kiosk.settings import KioskSettings
from layso.kiosk.state import IssueRequest, KioskState, Problem
from layso.kiosk.ui.window import KioskWindow

log = logging.getLogger(__name__)

REFRESH_S = 30           # estimated waits and cut-offs change with the clock, not only events
OFFLINE_RETRY_S = 3      # after a failed call (a 503, say) ask again soon: a citizen may wait
PRINTER_CHECK_S = 20
PRINTER_RECHECK_S = 3    # while the notice says "out of paper", look again often

QUEUED = Qt.ConnectionType.QueuedConnection


class Kiosk(QObject):
    def __init__(self, settings: KioskSettings, require_pin: bool = True,
                 clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.settings = settings
        # full screen: no PIN, no kiosk (the PIN is the only way out); a window can be closed
        self.require_pin = require_pin
        self.state = KioskState(printing_enabled=bool(settings.printer_uri),
                                configured=bool(settings.token and settings.server_url),
                                clock=clock)
        self.pin = TechnicianPin(settings, clock)
        self.window = KioskWindow(self.state)
        self.backend: Backend | None = None
        self._seconds = 0
        self._first_start = False

        self.state.issue_requested.connect(self._issue)
        self.state.refresh_needed.connect(self._refresh)
        self.window.corner.long_pressed.connect(self.open_technician)
        self.window.pin_pad.entered.connect(self._pin_entered)
        self.window.pin_pad.cancelled.connect(self.close_technician)
        panel = self.window.settings_panel
        panel.save_requested.connect(self._save_settings)
        panel.check_requested.connect(self._check_printer)
        panel.test_requested.connect(self._test_print)
        panel.reprint_requested.connect(self.reprint_last)
        panel.exit_requested.connect(self.exit_kiosk)
        panel.closed.connect(self.close_technician)
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self._every_second)

    # ---- life --------------------------------------------------------------------
    def start(self) -> None:
        """Connect to the server and printer; on a first start, ask for the technician PIN."""
        self.window.render()
        self._timer.start()
        if self.require_pin and not self.settings.has_pin:
            self._first_start = True
            self.open_technician()
            return
        self._attach_backend()

    def stop(self) -> None:
        self._timer.stop()
        if self.backend is not None:
            self.backend.stop()
            self.backend = None

    def _attach_backend(self) -> None:
        if self.backend is not None:
            self.backend.stop()
        self.state.printing_enabled = bool(self.settings.printer_uri)
        self.state.configured = bool(self.settings.token and self.settings.server_url)
        if not self.state.configured:
            self.state.changed.emit()
            return
        backend = self.backend = Backend(self.settings)
        backend.online_changed.connect(self._online_changed, QUEUED)
        backend.token_refused.connect(self._token_refused, QUEUED)
        backend.office_loaded.connect(self._office_loaded, QUEUED)
        backend.services_loaded.connect(self._services_loaded, QUEUED)
        backend.server_event.connect(self._server_event, QUEUED)
        backend.printer_changed.connect(self._printer_changed, QUEUED)
        backend.issue_aborted.connect(self._issue_aborted, QUEUED)
        backend.issue_failed.connect(self._issue_failed, QUEUED)
        backend.ticket_issued.connect(self._ticket_issued, QUEUED)
        backend.ticket_printed.connect(self._ticket_printed, QUEUED)
        backend.print_failed.connect(self._print_failed, QUEUED)
        backend.preview_ready.connect(self._preview_ready, QUEUED)
        backend.technician_result.connect(self._technician_result, QUEUED)
        backend.start()
        backend.check_printer()

    # ---- slots for the backend (GUI thread) --------------------------------------------
    def _online_changed(self, online: bool) -> None:
        self.state.set_online(online)

    def _token_refused(self) -> None:
        self.state.set_token_refused()

    def _office_loaded(self, office: dict) -> None:
        self.state.set_office(office)

    def _services_loaded(self, services: list) -> None:
        self.state.set_services(services)

    def _server_event(self, event_type: str, data: dict) -> None:
        self.state.apply_event(event_type, data)

    def _printer_changed(self, problem: Problem | None) -> None:
        self.state.set_printer_problem(problem)
        if self.window.technician_page is self.window.settings_panel:
            self.window.settings_panel.show_status(
                problem.message_vi if problem else m.text("printer_ready"))

    def _issue_aborted(self, request: IssueRequest) -> None:
        self.state.issue_aborted(request)

    def _issue_failed(self, request: IssueRequest, message: str) -> None:
        self.state.issue_failed(request, message)

    def _ticket_issued(self, request: IssueRequest, ticket: dict) -> None:
        self.state.ticket_issued(request, ticket)

    def _ticket_printed(self, ticket_id: int) -> None:
        self.state.ticket_printed(ticket_id)

    def _print_failed(self, ticket_id: int, problem: Problem) -> None:
        self.state.print_failed(ticket_id, problem)

    def _preview_ready(self, ticket_id: int, image: object) -> None:
        self.state.set_preview(ticket_id, image)

    def _technician_result(self, text: str) -> None:
        self.window.settings_panel.show_status(text)

    # ---- requests from the state -----------------------------------------------------
    def _issue(self, request: IssueRequest) -> None:
        if self.backend is None:
            self.state.issue_aborted(request)
            return
        self.backend.issue(request)

    def _refresh(self) -> None:
        if self.backend is not None:
            self.backend.refresh()

    def _every_second(self) -> None:
        self._seconds += 1
        self.state.tick()
        self.window.update_clock()
        if self.backend is None:
            return
        # the event stream may well be fine when a call failed: do not wait for it to drop
        if self._seconds % (REFRESH_S if self.state.online else OFFLINE_RETRY_S) == 0:
            self.backend.refresh()
        every = PRINTER_RECHECK_S if self.state.printer_problem else PRINTER_CHECK_S
        if self.state.printing_enabled and self.state.pending is None \
                and self._seconds % every == 0:
            self.backend.check_printer()
        if self.window.technician_page is not None and self.settings.has_pin \
                and self.pin.idle_expired():
            self.close_technician()

    # ---- technician ------------------------------------------------------------------
    def open_technician(self) -> None:
        self._show_prompt(self.pin.begin())

    def _show_prompt(self, prompt: PinPrompt) -> None:
        title = {PinMode.CHECK: "pin_title", PinMode.NEW: "pin_new",
                 PinMode.REPEAT: "pin_repeat"}[prompt.mode]
        message = m.text(prompt.message_key, s=prompt.wait_s) if prompt.message_key else ""
        self.window.pin_pad.ask(m.text(title), message,
                                can_cancel=self.settings.has_pin or not self.require_pin)
        self.window.show_technician(self.window.pin_pad)

    def _pin_entered(self, pin: str) -> None:
        outcome = self.pin.enter(pin)
        if outcome.result is PinResult.ASK and outcome.prompt is not None:
            self._show_prompt(outcome.prompt)
        elif outcome.result is PinResult.PIN_SET:
            self.settings.save()
            if self._first_start:  # the kiosk waited for the PIN before connecting
                self._first_start = False
                self._attach_backend()
                if self.state.configured:
                    self.close_technician()
                    return
            self._show_settings()  # a kiosk with no server or token set: that comes next
        elif outcome.result is PinResult.GRANTED:
            self._show_settings()

    def _show_settings(self) -> None:
        self.window.settings_panel.load(self.settings, self._last_number())
        self.window.show_technician(self.window.settings_panel)

    def close_technician(self) -> None:
        self.window.show_technician(None)

    def _last_number(self) -> str | None:
        last = self.state.last_ticket
        return last.number if last is not None else None

    def _save_settings(self, updated: KioskSettings) -> None:
        problem = updated.problem()
        if problem is not None:  # e.g. a server address typed without http://
            self.window.settings_panel.show_status(problem)
            return
        self.settings = self.pin.settings = updated
        updated.save()
        self.window.settings_panel.show_status(m.text("saved"))
        self._attach_backend()

    def _check_printer(self) -> None:
        if self.backend is None or not self.state.printing_enabled:
            self.window.settings_panel.show_status(m.text("printer_none"))
            return
        self.window.settings_panel.show_status(m.text("checking"))
        self.backend.check_printer()

    def _test_print(self) -> None:
        if self.backend is None or not self.state.printing_enabled:
            self.window.settings_panel.show_status(m.text("printer_none"))
            return
        self.backend.test_print()

    def reprint_last(self) -> None:
        """The technician prints the last ticket again (after a paper jam, say)."""
        last = self.state.last_ticket
        if self.backend is not None and last is not None:
            self.backend.reprint(last.ticket, last.lang)

    def exit_kiosk(self) -> None:
        self.stop()
        self.window.close()
        app = QApplication.instance()
        if app is not None:
            app.quit()
