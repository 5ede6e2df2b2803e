"""What the kiosk's and the hall display's Qt windows share: labels that never read their
text as HTML, and full screen that fills the screen even with no window manager.

Only the two device packages import this module (it needs PySide6); the rest of
`layso.common` stays free of Qt.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QLabel, QWidget


def plain_text(label: QLabel) -> QLabel:
    """Show the label's text as typed: a service or counter name such as
    `"><img src=x>` or `<script>` is text on a tile, never markup (Qt guesses otherwise)."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def show_full_screen(window: QWidget, screen: QScreen | None = None) -> QScreen:
    """Show `window` covering the whole of `screen` (its own, else the primary one).

    `showFullScreen()` alone asks the window manager; a bare X session (xinit, a kiosk
    autologin with no desktop) has none, and the window opens at its small default size
    in the top-left corner. So the window is also made frameless and given the screen's
    geometry itself, and follows the screen when its resolution changes.
    """
    screen = screen or window.screen() or QGuiApplication.primaryScreen()
    window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    window.setGeometry(screen.geometry())
    window.showFullScreen()
    window.setGeometry(screen.geometry())  # once mapped, for X servers that ignored the hint
    screen.geometryChanged.connect(window.setGeometry)
    return screen
