"""The machine's sound devices as `layso say` and `layso voice record` need them.

Playing goes through the hall display's own player (counter_display.audio), so a
technician hears a clip exactly as the hall will. Qt loads only when called.
"""

from __future__ import annotations

from pathlib import Path


def ensure_qt_app() -> None:
    """QtMultimedia needs an application object; a command line has none yet."""
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None:
        ensure_qt_app.app = QCoreApplication([])  # kept alive for the process


def sound_output_name() -> str | None:
    """The default sound output's description, or None when the machine has none."""
    ensure_qt_app()
    from PySide6.QtMultimedia import QMediaDevices

    device = QMediaDevices.defaultAudioOutput()
    return None if device.isNull() else device.description()


def play(wav: Path) -> None:
    """Play to the end on the default output (check `sound_output_name()` first)."""
    ensure_qt_app()
    from layso.counter_display.audio import QtAudioPlayer

    QtAudioPlayer().play(Path(wav))
