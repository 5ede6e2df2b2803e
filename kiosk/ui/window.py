"""The kiosk window: one page per screen, shown as the state says; taps go to the state."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from layso.kiosk.state import KioskState, Screen
from layso.kiosk.ui import theme
from layso.kiosk.ui.home import HomeScreen
from layso.kiosk.ui.screens import ConfirmationScreen, NoticeScreen, PriorityScreen
from layso.kiosk.ui.technician import PinPad, SettingsPanel

CORNER_PX = 110
HOLD_MS = 3000


class CornerLongPress(QWidget):
    """An invisible square in the top-left corner: hold it 3 s to reach the technician."""

    long_pressed = Signal()

    def __init__(self, parent: QWidget, hold_ms: int = HOLD_MS):
        super().__init__(parent)
        self.setFixedSize(CORNER_PX, CORNER_PX)
        self._timer = QTimer(self, singleShot=True, interval=hold_ms)
        self._timer.timeout.connect(self.long_pressed.emit)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._timer.start()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._timer.stop()


class KioskWindow(QWidget):
    def __init__(self, state: KioskState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("LaySo — lấy số thứ tự")
        self.setObjectName("kiosk")
        self.setStyleSheet(f"#kiosk {{ background: {theme.PAPER}; }}")
        self.home = HomeScreen()
        self.priority = PriorityScreen()
        self.confirmation = ConfirmationScreen()
        self.notice = NoticeScreen()
        self.pin_pad = PinPad()
        self.settings_panel = SettingsPanel()
        self.stack = QStackedWidget()
        self.pages = {Screen.HOME: self.home, Screen.PRIORITY: self.priority,
                      Screen.CONFIRMATION: self.confirmation, Screen.NOTICE: self.notice}
        for page in (*self.pages.values(), self.pin_pad, self.settings_panel):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.corner = CornerLongPress(self)
        self.technician_page: QWidget | None = None

        self.home.service_tapped.connect(state.tap_service)
        self.home.priority_tapped.connect(state.open_priority)
        self.home.language_tapped.connect(state.toggle_language)
        self.home.back_tapped.connect(state.cancel_priority)
        self.priority.category_tapped.connect(state.pick_category)
        self.priority.back_tapped.connect(state.cancel_priority)
        self.confirmation.dismissed.connect(state.dismiss)
        state.changed.connect(self.render)

    def show_technician(self, page: QWidget | None) -> None:
        """Put a technician page over the citizen screens (None: back to them)."""
        self.technician_page = page
        self.render()

    def render(self) -> None:
        if self.technician_page is not None:
            self.stack.setCurrentWidget(self.technician_page)
            return
        screen = self.state.screen
        page = self.pages[screen]
        if screen is Screen.HOME:
            self.home.render(self.state, self.office_now())
        elif screen is Screen.PRIORITY:
            self.priority.render(self.state)
        elif screen is Screen.CONFIRMATION and self.state.ticket is not None:
            self.confirmation.render(self.state.ticket, self.state)
        elif screen is Screen.NOTICE and self.state.notice is not None:
            self.notice.render(self.state.notice)
        self.stack.setCurrentWidget(page)
        self.corner.raise_()

    def update_clock(self) -> None:
        if self.stack.currentWidget() is self.home:
            self.home.update_clock(self.office_now(), self.state.lang)

    def office_now(self) -> datetime:
        """The office's wall clock, whatever time zone the kiosk's computer was set to."""
        try:
            return datetime.now(ZoneInfo(self.state.office.get("timezone") or ""))
        except (ValueError, ZoneInfoNotFoundError):
            return datetime.now()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.corner.move(0, 0)
        self.corner.raise_()
        self.layout().activate()  # the pages take their new size before they re-render
        self.render()  # font sizes and columns follow the window
