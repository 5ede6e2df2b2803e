"""Small widgets both screens use: a label whose text always fits, the scrolling notice,
the discreet connection mark, and the colours (high contrast, read from across a hall).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from layso.common.qt_device import plain_text

BACKGROUND = "#0b1f3a"
PANEL = "#12305a"
TEXT = "#ffffff"
DIM = "#9fb3cc"
NUMBER = "#ffd54a"
HIGHLIGHT_BG = "#ffd54a"
HIGHLIGHT_TEXT = "#0b1f3a"
PAUSED = "#ff9f43"
ALERT = "#e53935"

MIN_PIXEL_SIZE = 8


class FitLabel(QLabel):
    """A one-line label drawn as large as `max_pixel_size` allows without clipping.

    Its size comes from the layout (stretch factors), never from its text, so a long
    service name shrinks its own font instead of pushing the table around.
    """

    def __init__(self, text: str = "", *, bold: bool = False, color: str = TEXT,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
                 parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        plain_text(self)  # counter and field names from the server are never markup
        self._max_px = 24
        self._group: list[FitLabel] = [self]
        self._color = color
        self._background = "transparent"
        font = self.font()
        font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        self.setFont(font)
        self.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(1, 1)
        self._restyle()

    def set_max_pixel_size(self, pixels: int) -> None:
        self._max_px = max(MIN_PIXEL_SIZE, pixels)
        self._fit()

    def set_colors(self, color: str, background: str = "transparent") -> None:
        if (color, background) != (self._color, self._background):
            self._color, self._background = color, background
            self._restyle()

    def setText(self, text: str) -> None:
        if text != self.text():
            super().setText(text)
            self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def fits(self) -> bool:
        """True when the whole text is visible at the current font (tests use this)."""
        metrics = QFontMetrics(self.font())
        rect = self.contentsRect()
        return (metrics.horizontalAdvance(self.text()) <= rect.width()
                and metrics.height() <= rect.height())

    def _restyle(self) -> None:
        self.setStyleSheet(f"color: {self._color}; background: {self._background};")

    def _largest_fitting_size(self) -> int | None:
        rect = self.contentsRect()
        if rect.width() <= 1 or rect.height() <= 1:
            return None
        font = QFont(self.font())
        pixels = self._max_px
        while pixels > MIN_PIXEL_SIZE:
            font.setPixelSize(pixels)
            metrics = QFontMetrics(font)
            if (metrics.horizontalAdvance(self.text()) <= rect.width()
                    and metrics.height() <= rect.height()):
                break
            pixels = max(MIN_PIXEL_SIZE, int(pixels * 0.92))
        return pixels

    def _fit(self) -> None:
        sizes = [s for s in (label._largest_fitting_size() for label in self._group)
                 if s is not None]
        if not sizes:
            return
        pixels = min(sizes)
        for label in self._group:
            if label.font().pixelSize() != pixels:
                font = QFont(label.font())
                font.setPixelSize(pixels)
                label.setFont(font)


def same_size(labels: list[FitLabel]) -> None:
    """Draw these labels at one size: the largest at which every one of them fits."""
    for label in labels:
        label._group = labels


class Ticker(QWidget):
    """The office's notice, scrolling right to left in a band along the bottom."""

    FRAME_MS = 33

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._offset = 0.0
        self._pixels_per_frame = 3.0
        self._timer = QTimer(self)
        self._timer.setInterval(self.FRAME_MS)
        self._timer.timeout.connect(self._advance)
        # Fixed height: an Ignored one gives the band no room in the layout, and the
        # window then cuts all but a sliver of it off at the bottom of the screen
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(f"background: {PANEL};")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    @property
    def text(self) -> str:
        return self._text

    @property
    def offset(self) -> float:
        """Where the text starts, in pixels from the band's left edge."""
        return self._offset

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._offset = 0.0  # a new notice is readable at once, then scrolls
        self.setVisible(bool(text))
        if text and not self._timer.isActive():
            self._timer.start()
        elif not text:
            self._timer.stop()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        font = self.font()
        font.setPixelSize(max(MIN_PIXEL_SIZE, int(self.height() * 0.6)))
        self.setFont(font)
        self._pixels_per_frame = max(1.0, self.height() / 30)

    def _advance(self) -> None:
        text_width = QFontMetrics(self.font()).horizontalAdvance(self._text)
        self._offset -= self._pixels_per_frame
        if self._offset < -text_width:
            self._offset = float(self.width())
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(PANEL))
        painter.setPen(QColor(TEXT))
        painter.setFont(self.font())
        rect = QRectF(self._offset, 0, 100000, self.height())
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                         self._text)
        painter.end()


class ConnectionMark(QLabel):
    """A small red "Mất kết nối" at the top while the server cannot be reached (or why it
    will not answer: "Mã thiết bị không hợp lệ — báo kỹ thuật viên")."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__("● " + text, parent)
        plain_text(self)
        self.setStyleSheet(f"color: {TEXT}; background: {ALERT}; border-radius: 6px;"
                           " padding: 2px 10px;")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.hide()

    def set_pixel_size(self, pixels: int) -> None:
        font = self.font()
        font.setPixelSize(max(MIN_PIXEL_SIZE, pixels))
        self.setFont(font)
        self.adjustSize()

    def say(self, text: str) -> None:
        if self.text() != "● " + text:
            self.setText("● " + text)
            self.adjustSize()

    def place(self) -> None:
        """Keep to the top centre of the parent (between office name and clock), on top."""
        parent = self.parentWidget()
        if parent is not None:
            margin = max(4, self.height() // 3)
            self.move((parent.width() - self.width()) // 2, margin)
            self.raise_()
