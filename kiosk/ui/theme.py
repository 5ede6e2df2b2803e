"""Colours and sizes: high contrast, nothing under 28 px, sizes that follow the screen."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from layso.common.qt_device import plain_text

MIN_TEXT_PX = 28

INK = "#101418"
PAPER = "#F5F7FA"
HEADER = "#0A3161"
SERVICE = "#0B4F9C"          # white on this: contrast about 8:1
SERVICE_PRESSED = "#083A73"
PRIORITY = "#9A3412"         # white on this: about 7:1
UNAVAILABLE_BG = "#D5D9DE"
UNAVAILABLE_INK = "#30363D"
NEUTRAL = "#39424E"
OK_GREEN = "#14632F"
ALERT = "#A4161A"

_family = "Be Vietnam Pro"


def set_family(family: str) -> None:
    global _family
    _family = family


def font(px: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
    f = QFont(_family)
    f.setPixelSize(max(MIN_TEXT_PX, round(px)))
    f.setWeight(weight)
    return f


def base_px(width: int, height: int) -> float:
    """The body text size for a window: 40 px on a 1080-line screen, never under 28."""
    return max(MIN_TEXT_PX, min(width, height) / 1080 * 40)


def label(text: str = "", px: float = MIN_TEXT_PX, weight: QFont.Weight = QFont.Weight.Normal,
          wrap: bool = False, parent: QWidget | None = None) -> QLabel:
    widget = plain_text(QLabel(text, parent))  # names from the server are never markup
    widget.setFont(font(px, weight))
    widget.setWordWrap(wrap)
    return widget


def button(color: str, text: str = "", expanding: bool = False) -> QPushButton:
    """A flat, rounded, white-on-colour touch button (no keyboard focus on a kiosk)."""
    widget = QPushButton(text)
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    if expanding:
        widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    widget.setStyleSheet(f"QPushButton {{ background: {color}; color: white; border: none;"
                         f" border-radius: 14px; padding: 6px 24px; }}")
    return widget


NO_BREAK = "\u00a0"
_DASHES = {"–", "—", "-", "/"}


def keep_word_groups(text: str, font: QFont, width: int) -> str:
    """A name that wraps only between its word groups ("Văn hóa – Giáo dục – Y tế" breaks
    after a dash, never inside "Y tế"): the spaces inside a group that fits on one line,
    and before a dash, become no-break spaces. A group too long for a line may wrap, but
    never leaves its last word alone on a line ("... và xã hội", not "... và xã / hội")."""
    words = text.split(" ")
    if len(words) < 2 or width <= 0:
        return text
    metrics = QFontMetrics(font)
    groups: list[list[str]] = [[]]    # words, the group's separator word ends it
    for word in words:
        groups[-1].append(word)
        if word in _DASHES or word.endswith((",", ";")):
            groups.append([])
    out: list[str] = []
    for group in filter(None, groups):
        body = [w for w in group if w not in _DASHES]
        whole = metrics.horizontalAdvance(" ".join(body)) <= width
        joined = body[0]
        for i, word in enumerate(body[1:], start=1):
            last = i == len(body) - 1
            joined += (NO_BREAK if whole or last else " ") + word
        if len(body) < len(group):          # the group ends with a dash: keep it on this line
            joined += NO_BREAK + group[-1]
        out.append(joined)
    return " ".join(out)


def fit_font(widget: QLabel, px: float, weight: QFont.Weight = QFont.Weight.Normal) -> None:
    """Shrink a label's font (not under 28 px) until its text fits the label's size."""
    size = round(px)
    while True:
        widget.setFont(font(size, weight))
        if size <= MIN_TEXT_PX or text_fits(widget):
            return
        size -= 2


def text_fits(widget: QLabel) -> bool:
    """Does the label show all of its text? (The screenshot tests ask the same.)"""
    rect = widget.contentsRect()
    metrics = widget.fontMetrics()
    if not widget.text():
        return True
    if widget.wordWrap():
        # Qt's own measure of the wrapped height, and no single word wider than the label
        bound = metrics.boundingRect(QRect(0, 0, rect.width(), 100_000),
                                     int(Qt.TextFlag.TextWordWrap.value), widget.text())
        return widget.heightForWidth(widget.width()) <= widget.height() \
            and bound.width() <= rect.width()
    lines = widget.text().split("\n")
    widest = max(metrics.horizontalAdvance(line) for line in lines)
    return widest <= rect.width() and metrics.lineSpacing() * len(lines) <= rect.height() + 2

