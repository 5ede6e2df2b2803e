"""Start the kiosk: the Qt application, the bundled font, full screen."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCursor, QFont
from PySide6.QtWidgets import QApplication

from layso.assets import load_qt_fonts
from layso.common.qt_device import show_full_screen
from layso.kiosk.controller import Kiosk
from layso.kiosk.settings import KioskSettings
from layso.kiosk.ui import theme

WINDOWED_SIZE = (1280, 800)


def make_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the bundled Vietnamese font as everyone's font."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    family = load_qt_fonts()
    theme.set_family(family)
    app.setFont(QFont(family, 14))
    return app  # type: ignore[return-value]


def build_kiosk(settings: KioskSettings, windowed: bool = False,
                size: tuple[int, int] = WINDOWED_SIZE,
                clock: Callable[[], float] = time.monotonic) -> Kiosk:
    """The kiosk, shown and started (full screen unless windowed)."""
    kiosk = Kiosk(settings, require_pin=not windowed, clock=clock)
    if windowed:
        kiosk.window.resize(*size)
        kiosk.window.show()
    else:
        kiosk.window.setCursor(QCursor(Qt.CursorShape.BlankCursor))  # a finger needs none
        show_full_screen(kiosk.window)  # fills the screen with or without a window manager
    kiosk.start()
    return kiosk


def run(settings: KioskSettings, windowed: bool = False) -> int:
    # force: python-escpos, imported with the printer package, calls basicConfig() itself
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s",
                        force=True)
    app = make_app()
    kiosk = build_kiosk(settings, windowed)
    code = app.exec()
    kiosk.stop()
    return code
