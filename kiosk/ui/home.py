"""The home screen: office name, date and clock, one big button per service, "Ưu tiên"."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from layso.kiosk import messages as m
from layso.kiosk.state import KioskState, Service
from layso.kiosk.ui import theme

BOLD = QFont.Weight.Bold
SEMI = QFont.Weight.DemiBold


def clock_text(now: datetime, lang: str) -> tuple[str, str]:
    """('Thứ Hai, 23/11/2026', '08:15') for the header."""
    return f"{m.WEEKDAYS[lang][now.weekday()]}, {now:%d/%m/%Y}", f"{now:%H:%M}"


class Header(QWidget):
    """Office unit and name on the left, date and clock on the right."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"#header {{ background: {theme.HEADER}; }} QLabel {{ color: white; }}")
        self.unit = theme.label()
        self.office = theme.label(weight=BOLD)
        self.date = theme.label()
        self.clock = theme.label(weight=BOLD)
        for widget in (self.date, self.clock):
            widget.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        left, right = QVBoxLayout(), QVBoxLayout()
        left.setSpacing(0)
        right.setSpacing(0)
        left.addWidget(self.unit)
        left.addWidget(self.office)
        right.addWidget(self.date)
        right.addWidget(self.clock)
        row = QHBoxLayout(self)
        row.setContentsMargins(24, 6, 24, 6)
        row.addLayout(left, 3)
        row.addLayout(right, 1)

    def show_office(self, office: dict, lang: str, now: datetime, px: float) -> None:
        self.unit.setText(office.get("unit", ""))
        self.office.setText(office.get("name", ""))
        self.show_clock(now, lang)
        self.unit.setFont(theme.font(px * 0.8))
        self.office.setFont(theme.font(px * 1.05, BOLD))
        self.date.setFont(theme.font(px * 0.8))
        self.clock.setFont(theme.font(px * 1.05, BOLD))

    def show_clock(self, now: datetime, lang: str) -> None:
        date, clock = clock_text(now, lang)
        self.date.setText(date)
        self.clock.setText(clock)


class ServiceButton(QPushButton):
    """A whole service on one button: its name, how many wait and how long, or why not."""

    def __init__(self, service_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.service_id = service_id
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.name = theme.label(weight=BOLD, wrap=True)
        self.info = theme.label(wrap=True)
        # the name takes what the figures leave, however long its unbreakable groups
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        for widget in (self.name, self.info):
            widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            widget.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(22, 4, 22, 4)
        self.box.setSpacing(16)
        self.box.addWidget(self.name, 1)
        self.box.addWidget(self.info, 0)
        self._px = float(theme.MIN_TEXT_PX)
        self._name = ""
        self._lines: tuple[str, ...] = ()
        self._wide = True

    def show_service(self, service: Service, lang: str, px: float) -> None:
        self._px = px
        self._name = service.label(lang)
        if service.available:
            wait = m.wait_text(service.estimated_wait_s, lang)
            self._lines = (m.text("waiting", lang, n=service.waiting),
                           *((wait,) if wait else ()))
        else:
            self._lines = (m.reason_text(service.unavailable_reason, lang),)
        self.setEnabled(service.available)
        bg, ink = (SERVICE_COLORS if service.available else (theme.UNAVAILABLE_BG,
                                                             theme.UNAVAILABLE_INK))
        self.setStyleSheet(
            f"QPushButton {{ background: {bg}; border-radius: 14px; border: none; }}"
            f"QPushButton:pressed {{ background: {theme.SERVICE_PRESSED}; }}"
            f"QLabel {{ color: {ink}; }}")
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # wide buttons: name | waiting; tall narrow ones: name over waiting
        self._wide = self.width() >= 2.2 * self.height()
        self.box.setDirection(QBoxLayout.Direction.LeftToRight if self._wide
                              else QBoxLayout.Direction.TopToBottom)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        # wide: the figures stacked on the right; narrow: one wrapped line under the name
        self.info.setWordWrap(not self._wide)
        self.info.setText(("\n" if self._wide else " · ").join(self._lines))
        self.info.setAlignment((Qt.AlignmentFlag.AlignRight if self._wide
                                else Qt.AlignmentFlag.AlignLeft) | Qt.AlignmentFlag.AlignVCenter)
        self.name.setText(theme.keep_word_groups(self._name, theme.font(self._px * 1.05, BOLD),
                                                 self.name.contentsRect().width()))
        theme.fit_font(self.name, self._px * 1.05, BOLD)
        theme.fit_font(self.info, self._px * 0.85)


SERVICE_COLORS = (theme.SERVICE, "white")


def columns_for(count: int, width: int, height: int) -> int:
    """Enough columns that ten services fit without scrolling; one column on portrait stands."""
    if height > width:
        return 1 if count <= 10 else 2
    if count <= 3:
        return 1
    return 2 if count <= 10 else 3


class HomeScreen(QWidget):
    service_tapped = Signal(int)
    priority_tapped = Signal()
    language_tapped = Signal()
    back_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.header = Header()
        self.title = theme.label(weight=BOLD)
        self.title.setStyleSheet(f"color: {theme.INK};")
        self.back = self._footer_button(theme.NEUTRAL, self.back_tapped)
        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        self.buttons: list[ServiceButton] = []
        self.priority = self._footer_button(theme.PRIORITY, self.priority_tapped)
        self.language = self._footer_button(theme.NEUTRAL, self.language_tapped)
        footer = QHBoxLayout()
        footer.setSpacing(12)
        footer.addWidget(self.priority, 3)
        footer.addWidget(self.back, 3)
        footer.addWidget(self.language, 1)
        body = QVBoxLayout()
        body.setContentsMargins(24, 10, 24, 16)
        body.setSpacing(10)
        body.addWidget(self.title)
        body.addLayout(self.grid, 1)
        body.addLayout(footer)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.header)
        page.addLayout(body, 1)
        self._shape: tuple[tuple[int, ...], int] = ((), 0)

    def _footer_button(self, color: str, signal: Signal) -> QPushButton:
        button = theme.button(color)
        button.clicked.connect(signal.emit)
        return button

    def render(self, state: KioskState, now: datetime) -> None:
        lang = state.lang
        px = theme.base_px(self.width(), self.height())
        self.header.show_office(state.office, lang, now, px)
        if state.priority is not None:
            self.title.setText(m.text("priority_banner", lang, category=state.priority.name))
        else:
            self.title.setText(m.text("choose_service", lang))
        self.title.setFont(theme.font(px * 1.1, BOLD))
        self.title.setFixedHeight(self.title.fontMetrics().lineSpacing() + 4)
        self.back.setVisible(state.priority is not None)
        self.priority.setVisible(state.priority is None and bool(state.categories))
        button_height = max(84, round(px * 2.3))
        for button, key in ((self.back, "back"), (self.priority, "priority_button"),
                            (self.language, "switch_language")):
            button.setText(m.text(key, lang))
            button.setFont(theme.font(px, BOLD))
            button.setFixedHeight(button_height)
        services = state.visible_services
        self._layout_buttons(services)
        for button, service in zip(self.buttons, services, strict=True):
            button.show_service(service, lang, px)

    def _layout_buttons(self, services: list[Service]) -> None:
        ids = tuple(s.id for s in services)
        columns = columns_for(len(ids), self.width(), self.height())
        if (ids, columns) == self._shape:
            return
        self._shape = (ids, columns)
        for button in self.buttons:
            self.grid.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for i, service_id in enumerate(ids):
            button = ServiceButton(service_id)
            button.clicked.connect(lambda _=False, sid=service_id: self.service_tapped.emit(sid))
            self.grid.addWidget(button, i // columns, i % columns)
            self.buttons.append(button)
        rows = (len(ids) + columns - 1) // columns
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 1 if r < rows else 0)
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)

    def update_clock(self, now: datetime, lang: str) -> None:
        self.header.show_clock(now, lang)
