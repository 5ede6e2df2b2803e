"""Putting a display together: feed → state → screen, and ticket.called → announcer.

`DisplayController` is the one place where the feed's thread meets the GUI thread:
its signals are queued, so the state and the widgets are only touched on the GUI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from layso.common.qt_device import show_full_screen
from layso.counter_display.announcer import Announcer, Voice, announcement_for
from layso.counter_display.audio import Player, QtAudioPlayer
from layso.counter_display.counter_screen import CounterScreen
from layso.counter_display.events import DisplayFeed, ServerEvent, Snapshot
from layso.counter_display.hall import HallScreen
from layso.counter_display.settings import DisplaySettings, remember_timezone
from layso.counter_display.state import DisplayState
from layso.counter_display.texts import texts_for

log = logging.getLogger(__name__)

WINDOWED_HALL = (1280, 720)
WINDOWED_COUNTER = (640, 360)


class DisplayController(QObject):
    """Receives the feed's reports on any thread and applies them on the GUI thread."""

    _snapshot = Signal(object)
    _event = Signal(object, bool)
    _connection = Signal(bool)
    _refused = Signal()

    def __init__(self, state: DisplayState, announcer: Announcer | None = None,
                 only_counter: int | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.announcer = announcer
        self.only_counter = only_counter
        self.clock_offset_s = 0.0
        self.snapshots_applied = 0
        queued = Qt.ConnectionType.QueuedConnection
        self._snapshot.connect(self._apply_snapshot, queued)
        self._event.connect(self._apply_event, queued)
        self._connection.connect(self.state.set_connected, queued)
        self._refused.connect(self.state.set_token_refused, queued)

    # -- called by DisplayFeed on its thread -------------------------------------------

    def feed_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot.emit(snapshot)

    def feed_event(self, event: ServerEvent, replayed: bool) -> None:
        self._event.emit(event, replayed)

    def feed_connection(self, connected: bool) -> None:
        self._connection.emit(connected)

    def feed_refused(self) -> None:
        self._refused.emit()

    # -- on the GUI thread -------------------------------------------------------------

    def server_now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.clock_offset_s)

    @Slot(object)
    def _apply_snapshot(self, snapshot: Snapshot) -> None:
        self.clock_offset_s = snapshot.clock_offset_s
        self.state.apply_snapshot(snapshot.data)
        self.snapshots_applied += 1

    @Slot(object, bool)
    def _apply_event(self, event: ServerEvent, replayed: bool) -> None:
        self.state.apply_event(event.id, event.type, event.data)
        if event.type != "ticket.called" or self.announcer is None:
            return
        announcement = announcement_for(event.data, replayed=replayed,
                                        server_now=self.server_now(),
                                        repeat=self.state.announce_repeat,
                                        only_counter=self.only_counter)
        if announcement is not None:
            self.announcer.submit(announcement)


def make_display_voice(spec: str | None) -> Voice | None:
    """The voice for `--voice SPEC`; None (chime only, logged) when it cannot be made."""
    if spec is None:
        return None
    try:
        from layso.counter_display.voice import VoiceError, make_voice
    except ImportError as exc:
        log.error("no voice module (%s): calls get the chime only", exc)
        return None
    try:
        return make_voice(spec)
    except VoiceError as exc:
        log.error("voice %r unavailable (%s): calls get the chime only", spec, exc)
        return None


@dataclass
class Display:
    """One running display: its state, screen, feed and (if it speaks) announcer."""

    settings: DisplaySettings
    state: DisplayState
    controller: DisplayController
    feed: DisplayFeed
    screen: QWidget
    announcer: Announcer | None

    def start(self) -> None:
        if self.settings.windowed:
            self.screen.resize(*(WINDOWED_COUNTER if self.settings.counter else WINDOWED_HALL))
            self.screen.show()
        else:
            self.screen.setCursor(Qt.CursorShape.BlankCursor)
            show_full_screen(self.screen)  # fills the TV with or without a window manager
        self.feed.start()

    def stop(self) -> None:
        self.feed.stop()
        if self.announcer is not None:
            self.announcer.stop()
        self.screen.close()


def build_display(settings: DisplaySettings, *, voice: Voice | None = None,
                  player: Player | None = None, settings_file: Path | None = None) -> Display:
    """Everything for one display (a QApplication must exist). `voice`/`player` replace
    the ones the settings name: tests and the benchmark pass recording ones. The office's
    time zone, once the server gives it, is remembered in `settings_file`."""
    from layso.assets import CHIME_WAV

    texts = texts_for(settings.language)
    state = DisplayState(settings.highlight_seconds, settings.timezone)
    if settings_file is not None:
        state.timezone_learned.connect(lambda zone: remember_timezone(settings_file, zone))
    announcer = None
    if settings.voice_spec is not None or voice is not None or player is not None:
        announcer = Announcer(voice or make_display_voice(settings.voice_spec),
                              player or QtAudioPlayer(), CHIME_WAV)
    controller = DisplayController(state, announcer, only_counter=settings.counter)
    feed = DisplayFeed(settings.server, settings.token, controller.feed_snapshot,
                       controller.feed_event, controller.feed_connection,
                       on_refused=controller.feed_refused)
    screen: QWidget
    if settings.counter:
        screen = CounterScreen(state, texts, settings.counter)
    else:
        screen = HallScreen(state, texts)
    screen.setWindowTitle("LaySo")
    return Display(settings, state, controller, feed, screen, announcer)


def ensure_application() -> QApplication:
    """The QApplication with the bundled Vietnamese font as its font."""
    from layso.assets import load_qt_fonts

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setFont(QFont(load_qt_fonts()))
    return app


def run(settings: DisplaySettings, settings_file: Path | None = None) -> int:
    """`layso display`: show the display until the window is closed."""
    app = ensure_application()
    display = build_display(settings, settings_file=settings_file)
    app.aboutToQuit.connect(display.stop)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: app.quit())
    # Python runs signal handlers only between bytecodes: wake it while Qt's loop waits
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(250)
    display.start()
    return app.exec()
