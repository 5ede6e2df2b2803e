"""The small screen above one desk (`layso display --counter 3`): its name and the number
it is serving now, lit for a few seconds when that counter calls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from layso.counter_display.state import CallView, DisplayState
from layso.counter_display.texts import Texts
from layso.counter_display.widgets import (
    BACKGROUND,
    DIM,
    HIGHLIGHT_BG,
    HIGHLIGHT_TEXT,
    NUMBER,
    PAUSED,
    TEXT,
    ConnectionMark,
    FitLabel,
)

CENTER = Qt.AlignmentFlag.AlignHCenter


class CounterScreen(QWidget):
    """One counter's number; `shown` fires after one of its calls is on screen."""

    shown = Signal(object)

    def __init__(self, state: DisplayState, texts: Texts, counter_number: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.texts = texts
        self.counter_number = counter_number
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        self._layout = layout
        self.name_label = FitLabel(bold=True, color=TEXT, align=CENTER)
        self.number_label = FitLabel(bold=True, color=NUMBER, align=CENTER)
        self.status_label = FitLabel(color=PAUSED, align=CENTER)
        layout.addWidget(self.name_label, 25)
        layout.addWidget(self.number_label, 60)
        layout.addWidget(self.status_label, 15)
        self.mark = ConnectionMark(texts.disconnected, self)
        state.changed.connect(self.refresh)
        state.call_highlighted.connect(self._on_call)
        self.refresh()

    def refresh(self) -> None:
        counter = self.state.counter_by_number(self.counter_number)
        texts = self.texts
        self.name_label.setText(texts.counter_label(self.counter_number,
                                                    counter.name if counter else None))
        if counter is None:
            number, status = texts.no_ticket, ""
        elif counter.status == "closed":
            number, status = texts.no_ticket, texts.closed
        else:
            number = counter.ticket_number or texts.no_ticket
            status = texts.paused if counter.paused else ""
        self.number_label.setText(number)
        self.status_label.setText(status)
        call = self.state.latest_call
        lit = (self.state.highlighted and call is not None
               and call.counter_number == self.counter_number)
        self.setStyleSheet(f"background: {HIGHLIGHT_BG if lit else BACKGROUND};")
        self.name_label.set_colors(HIGHLIGHT_TEXT if lit else TEXT)
        self.number_label.set_colors(HIGHLIGHT_TEXT if lit else (NUMBER if counter else DIM))
        self.mark.say(texts.token_refused if self.state.token_refused else texts.disconnected)
        self.mark.setVisible(not self.state.connected)
        self.mark.place()

    def _on_call(self, call: CallView) -> None:
        self.refresh()
        if call.counter_number == self.counter_number:
            self.shown.emit(call)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        unit = min(self.width(), self.height()) / 400
        margin = int(12 * unit)
        self._layout.setContentsMargins(margin, margin, margin, margin)
        self.name_label.set_max_pixel_size(int(70 * unit))
        self.number_label.set_max_pixel_size(int(220 * unit))
        self.status_label.set_max_pixel_size(int(40 * unit))
        self.mark.set_pixel_size(int(14 * unit))
        self.mark.place()
