"""The hall TV: the latest call very large, every counter's number, the last calls,
who waits per field, the office, date and clock, and the scrolling notice.

Only draws `DisplayState`; sizes follow the window (1920×1080, or portrait 1080×1920),
so type is as large as the screen allows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QGridLayout, QVBoxLayout, QWidget

from layso.counter_display.state import CallView, CounterView, DisplayState
from layso.counter_display.texts import Texts
from layso.counter_display.widgets import (
    BACKGROUND,
    DIM,
    HIGHLIGHT_BG,
    HIGHLIGHT_TEXT,
    NUMBER,
    PANEL,
    PAUSED,
    TEXT,
    ConnectionMark,
    FitLabel,
    Ticker,
    same_size,
)

RECENT_SHOWN = 4
CELL_PADDING = 8
# widths of the three columns side by side; heights of the panels stacked in portrait.
# The waiting list's column is wide enough for a long field name in 40 px type at 1080p.
LANDSCAPE_SHARES = (30, 29, 41)
PORTRAIT_SHARES = (40, 30, 30)
LEFT, RIGHT, CENTER = (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight,
                       Qt.AlignmentFlag.AlignHCenter)


def panel(parent: QWidget | None = None) -> QFrame:
    frame = QFrame(parent)
    frame.setObjectName("panel")
    frame.setStyleSheet(f"QFrame#panel {{ background: {PANEL}; border-radius: 12px; }}")
    return frame


def counter_cells(counter: CounterView, texts: Texts) -> tuple[str, str, str]:
    """(number text, its colour, name colour) for one row of the counters table."""
    if counter.status == "closed":
        return texts.closed, DIM, DIM
    if counter.paused:
        return texts.paused, PAUSED, DIM
    return counter.ticket_number or texts.no_ticket, NUMBER, TEXT


class HallScreen(QWidget):
    """The whole hall display; `shown` fires after a new call is on screen."""

    shown = Signal(object)   # CallView just drawn large (the benchmark waits on it)

    def __init__(self, state: DisplayState, texts: Texts,
                 now: Callable[[], dt.datetime] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.texts = texts
        self._now = now or state.office_now   # the office's clock, not the machine's
        self._row_ids: list[int] = []
        self.counter_rows: dict[int, tuple[FitLabel, FitLabel]] = {}
        self.setObjectName("hall")
        self.setStyleSheet(f"QWidget#hall {{ background: {BACKGROUND}; }}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._build()
        state.changed.connect(self.refresh)
        state.call_highlighted.connect(self._on_call)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._tick()
        self.refresh()

    # -- building ----------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self._outer = outer
        header = QGridLayout()
        self.unit_label = FitLabel(color=DIM)
        self.office_label = FitLabel(bold=True)
        self.date_label = FitLabel(color=DIM, align=RIGHT)
        self.clock_label = FitLabel(bold=True, align=RIGHT)
        header.addWidget(self.unit_label, 0, 0)
        header.addWidget(self.office_label, 1, 0)
        header.addWidget(self.date_label, 0, 1)
        header.addWidget(self.clock_label, 1, 1)
        header.setColumnStretch(0, 3)
        header.setColumnStretch(1, 1)
        outer.addLayout(header, 10)

        # landscape: three columns (the call and the last calls | counters | waiting per
        # field); portrait: the same four panels one under another
        self._main = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        outer.addLayout(self._main, 83)

        self._left = QVBoxLayout()
        self.call_panel = panel()
        call_layout = QVBoxLayout(self.call_panel)
        self.invite_label = FitLabel(self.texts.invite, color=TEXT, align=CENTER)
        self.latest_number = FitLabel(bold=True, color=NUMBER, align=CENTER)
        self.latest_counter = FitLabel(bold=True, color=TEXT, align=CENTER)
        call_layout.addWidget(self.invite_label, 10)
        call_layout.addWidget(self.latest_number, 60)
        call_layout.addWidget(self.latest_counter, 28)
        self._left.addWidget(self.call_panel, 1)

        recent = panel()
        self._recent_grid = QGridLayout(recent)
        self.captions = [FitLabel(self.texts.recent_calls, color=DIM),
                         FitLabel(self.texts.counter, color=DIM),
                         FitLabel(self.texts.now_serving, color=DIM, align=RIGHT),
                         FitLabel(self.texts.waiting, color=DIM)]
        self.recent_labels: list[tuple[FitLabel, FitLabel]] = [
            (FitLabel(bold=True, color=NUMBER), FitLabel(color=TEXT))
            for _ in range(RECENT_SHOWN)]
        same_size([label for pair in self.recent_labels for label in pair])
        self._recent_per_row = 0
        self._place_recent(2)
        self._left.addWidget(recent, 1)
        self._main.addLayout(self._left, 1)

        table = panel()
        self._table = QGridLayout(table)
        self._table.addWidget(self.captions[1], 0, 0)
        self._table.addWidget(self.captions[2], 0, 1)
        self._table.setColumnStretch(0, 42)   # "Quầy 6" beside the wider "Tạm dừng"
        self._table.setColumnStretch(1, 58)
        self._table.setHorizontalSpacing(0)
        self._table.setVerticalSpacing(0)
        self._main.addWidget(table, 1)

        waiting = panel()
        self._waiting_grid = QGridLayout(waiting)
        self._waiting_grid.setVerticalSpacing(0)
        self._waiting_grid.addWidget(self.captions[3], 0, 0, 1, 2)
        self.waiting_labels: dict[int, tuple[FitLabel, FitLabel]] = {}
        self._main.addWidget(waiting, 1)

        self.ticker = Ticker()
        outer.addWidget(self.ticker, 0)
        self.mark = ConnectionMark(self.texts.disconnected, self)

    def _place_recent(self, per_row: int) -> None:
        """The last calls in rows of `per_row` (number, counter) pairs."""
        if per_row == self._recent_per_row:
            return
        self._recent_per_row = per_row
        grid = self._recent_grid
        for widget in (self.captions[0], *[label for pair in self.recent_labels
                                           for label in pair]):
            grid.removeWidget(widget)
        grid.addWidget(self.captions[0], 0, 0, 1, 2 * per_row)
        for i, (number, where) in enumerate(self.recent_labels):
            grid.addWidget(number, 1 + i // per_row, (i % per_row) * 2)
            grid.addWidget(where, 1 + i // per_row, (i % per_row) * 2 + 1)
        for col in range(4):
            grid.setColumnStretch(col, (2 if col % 2 else 1) if col < 2 * per_row else 0)
        rows = 1 + (len(self.recent_labels) + per_row - 1) // per_row
        for row in range(grid.rowCount()):
            grid.setRowStretch(row, (2 if row else 1) if row < rows else 0)

    def _rebuild_counter_rows(self, counters: list[CounterView]) -> None:
        for name, number in self.counter_rows.values():
            name.deleteLater()
            number.deleteLater()
        self.counter_rows = {}
        for row, counter in enumerate(counters, start=1):
            name = FitLabel(bold=True)
            number = FitLabel(bold=True, color=NUMBER, align=RIGHT)
            for label in (name, number):
                label.setContentsMargins(CELL_PADDING, 0, CELL_PADDING, 0)
            self._table.addWidget(name, row, 0)
            self._table.addWidget(number, row, 1)
            self._table.setRowStretch(row, 4)
            self.counter_rows[counter.id] = (name, number)
        self._table.setRowStretch(0, 2)
        same_size([label for pair in self.counter_rows.values() for label in pair])
        self._row_ids = [c.id for c in counters]
        self._apply_sizes()

    def _rebuild_waiting(self, service_ids: list[int]) -> None:
        for name, count in self.waiting_labels.values():
            name.deleteLater()
            count.deleteLater()
        self.waiting_labels = {}
        for i, service_id in enumerate(service_ids):
            name = FitLabel()
            count = FitLabel(bold=True, color=NUMBER, align=RIGHT)
            self._waiting_grid.addWidget(name, 1 + i, 0)
            self._waiting_grid.addWidget(count, 1 + i, 1)
            self.waiting_labels[service_id] = (name, count)
        self._waiting_grid.setColumnStretch(0, 12)   # long field names, short counts
        self._waiting_grid.setColumnStretch(1, 1)
        same_size([label for pair in self.waiting_labels.values() for label in pair])
        self._apply_sizes()

    # -- showing the state -------------------------------------------------------------

    def refresh(self) -> None:
        state, texts = self.state, self.texts
        self.unit_label.setText(state.office_unit.upper())
        self.office_label.setText(state.office_name)
        self.ticker.set_text(state.notice)
        self.mark.say(texts.token_refused if state.token_refused else texts.disconnected)
        self.mark.setVisible(not state.connected)
        self.mark.place()

        call = state.latest_call
        self.latest_number.setText(call.number if call else texts.no_ticket)
        self.latest_counter.setText(
            f"{texts.arrow} {texts.counter_label(call.counter_number, call.counter_name)}"
            if call else "")
        self._paint_highlight(state.highlighted and call is not None)

        counters = state.counters_in_order()
        if [c.id for c in counters] != self._row_ids:
            self._rebuild_counter_rows(counters)
        for counter in counters:
            name_label, number_label = self.counter_rows[counter.id]
            number_text, number_color, name_color = counter_cells(counter, texts)
            lit = (state.highlighted and call is not None
                   and call.counter_id == counter.id and not counter.paused)
            name_label.setText(texts.counter_label(counter.number, counter.name))
            name_label.set_colors(HIGHLIGHT_TEXT if lit else name_color,
                                  HIGHLIGHT_BG if lit else "transparent")
            number_label.setText(number_text)
            number_label.set_colors(HIGHLIGHT_TEXT if lit else number_color,
                                    HIGHLIGHT_BG if lit else "transparent")

        recent = state.recent_calls[1:1 + RECENT_SHOWN]
        for i, (number, where) in enumerate(self.recent_labels):
            past = recent[i] if i < len(recent) else None
            number.setText(past.number if past else "")
            where.setText(f"{texts.arrow} "
                          f"{texts.counter_label(past.counter_number, past.counter_name)}"
                          if past else "")

        waiting = state.waiting_by_service()
        if [s.id for s, _ in waiting] != list(self.waiting_labels):
            self._rebuild_waiting([s.id for s, _ in waiting])
        for service, n in waiting:
            name, count = self.waiting_labels[service.id]
            name.setText(service.label(texts.language))
            count.setText(texts.waiting_count.format(n=n))

    def _paint_highlight(self, lit: bool) -> None:
        background = HIGHLIGHT_BG if lit else PANEL
        self.call_panel.setStyleSheet(
            f"QFrame#panel {{ background: {background}; border-radius: 12px; }}")
        self.latest_number.set_colors(HIGHLIGHT_TEXT if lit else NUMBER)
        self.latest_counter.set_colors(HIGHLIGHT_TEXT if lit else TEXT)
        self.invite_label.set_colors(HIGHLIGHT_TEXT if lit else TEXT)

    def _on_call(self, call: CallView) -> None:
        self.refresh()
        self.shown.emit(call)

    def _tick(self) -> None:
        now = self._now()
        self.date_label.setText(self.texts.format_date(now.date()))
        self.clock_label.setText(now.strftime("%H:%M:%S"))

    # -- sizes -------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        portrait = self.height() > self.width()
        self._main.setDirection(QBoxLayout.Direction.TopToBottom if portrait
                                else QBoxLayout.Direction.LeftToRight)
        # shares of the main area: (call and last calls, counters, waiting per field)
        for index, share in enumerate(PORTRAIT_SHARES if portrait else LANDSCAPE_SHARES):
            self._main.setStretch(index, share)
        call, recent = (62, 38) if portrait else (55, 45)
        self._left.setStretch(0, call)
        self._left.setStretch(1, recent)
        self._outer.setStretch(0, 6 if portrait else 10)   # the header
        self._place_recent(2 if portrait else 1)
        self._apply_sizes()
        self.mark.place()

    def _apply_sizes(self) -> None:
        unit = min(self.width(), self.height()) / 1080
        margin = int(24 * unit)
        self._outer.setContentsMargins(margin, margin // 2, margin, margin // 2)
        self._outer.setSpacing(margin // 2)
        sizes: list[tuple[FitLabel, float]] = [
            (self.unit_label, 32), (self.office_label, 60), (self.date_label, 36),
            (self.clock_label, 60), (self.invite_label, 60), (self.latest_number, 320),
            (self.latest_counter, 140),
        ]
        sizes += [(label, 56) for pair in self.recent_labels for label in pair]
        sizes += [(label, 80) for pair in self.counter_rows.values() for label in pair]
        sizes += [(label, 48) for pair in self.waiting_labels.values() for label in pair]
        sizes += [(label, 36) for label in self.captions]
        for label, pixels in sizes:
            label.set_max_pixel_size(int(pixels * unit))
        self.mark.set_pixel_size(int(22 * unit))
        self.ticker.setFixedHeight(int(72 * unit))
