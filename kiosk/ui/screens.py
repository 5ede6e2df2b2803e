"""The other citizen screens: priority category, the number just taken, full-screen notices."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from layso.common.qt_device import plain_text
from layso.kiosk import messages as m
from layso.kiosk.state import IssuedTicket, KioskState, Notice, PrintState
from layso.kiosk.ui import theme

BOLD = QFont.Weight.Bold


class PriorityScreen(QWidget):
    """'Ưu tiên': the citizen says who they are before choosing the field."""

    category_tapped = Signal(str)
    back_tapped = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = theme.label(weight=BOLD, wrap=True)
        self.title.setStyleSheet(f"color: {theme.INK};")
        self.column = QVBoxLayout()
        self.column.setSpacing(16)
        self.buttons: list[QPushButton] = []
        self.back = theme.button(theme.NEUTRAL, expanding=True)
        self.back.clicked.connect(self.back_tapped.emit)
        page = QVBoxLayout(self)
        page.setContentsMargins(32, 24, 32, 24)
        page.setSpacing(18)
        page.addWidget(self.title)
        page.addLayout(self.column, 1)
        page.addWidget(self.back)
        self._codes: tuple[str, ...] = ()

    def render(self, state: KioskState) -> None:
        px = theme.base_px(self.width(), self.height())
        self.title.setText(m.text("choose_priority", state.lang))
        self.title.setFont(theme.font(px * 1.2, BOLD))
        codes = tuple(c.code for c in state.categories)
        if codes != self._codes:
            for button in self.buttons:
                button.deleteLater()
            self.buttons = []
            for code in codes:
                button = theme.button(theme.PRIORITY, expanding=True)
                button.clicked.connect(lambda _=False, c=code: self.category_tapped.emit(c))
                self.column.addWidget(button)
                self.buttons.append(button)
            self._codes = codes
        for button, category in zip(self.buttons, state.categories, strict=True):
            button.setText(category.name)
            button.setFont(theme.font(px * 1.05, BOLD))
        self.back.setText(m.text("back", state.lang))
        self.back.setFont(theme.font(px, BOLD))
        self.back.setFixedHeight(max(96, round(px * 2.4)))


class ConfirmationScreen(QWidget):
    """The number, very large, what to do next, and the ticket as it prints."""

    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("confirmation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.heading = theme.label()
        self.number = theme.label(weight=BOLD)
        self.service = theme.label(weight=BOLD, wrap=True)
        self.counters = theme.label(wrap=True)
        self.ahead = theme.label(wrap=True)
        self.wait = theme.label(wrap=True)
        self.status = theme.label(weight=BOLD, wrap=True)
        self.hint = theme.label(wrap=True)
        self.noted = theme.button(theme.NEUTRAL, expanding=True)
        self.noted.clicked.connect(self.dismissed.emit)
        self.preview = plain_text(QLabel())
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        text = QVBoxLayout()
        text.setSpacing(8)
        for widget in (self.heading, self.number, self.service, self.counters, self.ahead,
                       self.wait, self.status):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            text.addWidget(widget)
        text.addStretch(1)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.addWidget(self.hint)
        text.addWidget(self.noted)
        self.box = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.box.setContentsMargins(32, 24, 32, 24)
        self.box.setSpacing(24)
        self.box.addLayout(text, 3)
        self.box.addWidget(self.preview, 2)
        self._image = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.dismissed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        portrait = self.height() > self.width()
        self.box.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                              else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)
        self._scale_preview()

    def render(self, issued: IssuedTicket, state: KioskState) -> None:
        lang = state.lang
        px = theme.base_px(self.width(), self.height())
        ticket = issued.ticket
        self.heading.setText(m.text("your_number", lang))
        self.heading.setFont(theme.font(px * 1.2))
        self.number.setText(issued.number)
        portrait = self.height() > self.width()
        number_px = (min(self.width(), self.height() * 0.5) * 0.28 if portrait
                     else min(self.width() * 0.6, self.height()) * 0.26)
        self.number.setFont(theme.font(number_px, BOLD))
        name = (issued.service.label(lang) if issued.service
                else str(ticket.get("service_name", "")))
        if ticket.get("priority_name"):
            name = f"{name}\n{m.text('priority_banner', lang, category=ticket['priority_name'])}"
        self.service.setFont(theme.font(px * 1.1, BOLD))
        self.service.setText("\n".join(
            theme.keep_word_groups(line, self.service.font(), self.service.contentsRect().width())
            for line in name.split("\n")))
        counters = issued.service.counters if issued.service else ()
        self.counters.setText(m.counters_text(counters, lang) if counters else "")
        self.counters.setVisible(bool(counters))
        self.ahead.setText(m.text("people_ahead", lang, n=ticket.get("waiting_ahead", 0)))
        wait = m.wait_text(ticket.get("estimated_wait_s"), lang)
        self.wait.setText(m.text("estimated_wait", lang, wait=wait) if wait else "")
        self.wait.setVisible(bool(wait))
        for widget in (self.counters, self.ahead, self.wait):
            widget.setFont(theme.font(px * 0.9))
        self._show_status(issued, lang, px)
        self._image = issued.preview
        self.preview.setVisible(issued.preview is not None)
        self._scale_preview()

    def _show_status(self, issued: IssuedTicket, lang: str, px: float) -> None:
        failed = issued.print_state is PrintState.FAILED
        key = {PrintState.PRINTING: "printing", PrintState.PRINTED: "take_ticket",
               PrintState.NO_PRINTER: "no_printer"}.get(issued.print_state)
        self.status.setText(m.text("print_failed", lang, number=issued.number) if failed
                            else m.text(key or "printing", lang))
        self.status.setFont(theme.font(px * (1.0 if failed else 1.1), BOLD))
        self.status.setStyleSheet(
            f"color: white; background: {theme.ALERT}; border-radius: 12px; padding: 14px;"
            if failed else f"color: {theme.OK_GREEN};")
        self.hint.setText(m.text("touch_to_close", lang))
        self.hint.setFont(theme.font(px * 0.8))
        self.hint.setVisible(issued.print_state is not PrintState.PRINTING and not failed)
        self.noted.setVisible(failed)
        self.noted.setText(m.text("noted", lang))
        self.noted.setFont(theme.font(px, BOLD))
        self.noted.setFixedHeight(max(96, round(px * 2.4)))
        ink = theme.ALERT if failed else theme.INK
        self.setStyleSheet(f"#confirmation {{ background: {theme.PAPER}; }}"
                           f" QLabel {{ color: {theme.INK}; }}")
        self.number.setStyleSheet(f"color: {ink};")

    def _scale_preview(self) -> None:
        if self._image is None or self.preview.width() < 10:
            return
        pixmap = QPixmap.fromImage(self._image)
        self.preview.setPixmap(pixmap.scaled(self.preview.size(),
                                             Qt.AspectRatioMode.KeepAspectRatio,
                                             Qt.TransformationMode.SmoothTransformation))


NOTICE_COLORS = {"server": "#0A3161", "printer": theme.ALERT, "error": theme.ALERT,
                 "setup": theme.NEUTRAL, "info": "#0A3161"}


class NoticeScreen(QWidget):
    """A full-screen sentence when the citizen cannot take a number right now, and why."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("notice")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = theme.label(weight=BOLD, wrap=True)
        self.detail = theme.label(wrap=True)
        for widget in (self.title, self.detail):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        column = QVBoxLayout(self)
        column.setContentsMargins(80, 60, 80, 60)
        column.addStretch(1)
        column.addWidget(self.title)
        column.addWidget(self.detail)
        column.addStretch(1)

    def render(self, notice: Notice) -> None:
        px = theme.base_px(self.width(), self.height())
        self.setStyleSheet(f"#notice {{ background: {NOTICE_COLORS.get(notice.kind, '#0A3161')}; }}"
                           " QLabel { color: white; }")
        self.title.setText(notice.title)
        self.title.setFont(theme.font(px * 1.6, BOLD))
        self.detail.setText(notice.detail)
        self.detail.setFont(theme.font(px * 1.1))
        self.detail.setVisible(bool(notice.detail))
