"""Playing a WAV file to the sound card, and a player that records what it plays.

A player's `play(wav)` blocks until the sound has finished (or could not start) and
never raises for a missing or broken sound device: the hall keeps showing calls, and
the announcement queue keeps moving, with a warning in the log.
"""

from __future__ import annotations

import logging
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

# Beyond its own length, how long a sound may take to drain before we stop waiting.
DRAIN_MARGIN_MS = 2000


class Player(Protocol):
    def play(self, wav: Path) -> None:
        """Play the file to the end (blocking); log, do not raise, when there is no sound."""


class QtAudioPlayer:
    """QtMultimedia's QAudioSink on the default output (PulseAudio, WASAPI, CoreAudio).

    Called from the announcer's worker thread: the sink lives and runs its own short
    event loop there, so the GUI thread never waits for sound.
    """

    def __init__(self) -> None:
        self._warned: set[str] = set()

    def _warn_once(self, key: str, message: str, *args: object) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message, *args)

    def play(self, wav: Path) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QEventLoop, QIODevice, QTimer
        from PySide6.QtMultimedia import QAudio, QAudioFormat, QAudioSink, QMediaDevices

        device = QMediaDevices.defaultAudioOutput()
        if device.isNull():
            self._warn_once("no-device", "no sound device: announcements are shown, not heard")
            return
        try:
            with wave.open(str(wav), "rb") as w:
                rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
                frames = w.readframes(w.getnframes())
        except (OSError, wave.Error, EOFError) as exc:
            log.warning("cannot read %s: %s", wav, exc)
            return
        sample_format = {1: QAudioFormat.SampleFormat.UInt8, 2: QAudioFormat.SampleFormat.Int16,
                         4: QAudioFormat.SampleFormat.Int32}.get(width)
        if sample_format is None:
            log.warning("%s: %d-byte samples are not supported", wav, width)
            return
        fmt = QAudioFormat()
        fmt.setSampleRate(rate)
        fmt.setChannelCount(channels)
        fmt.setSampleFormat(sample_format)
        if not device.isFormatSupported(fmt):
            self._warn_once(f"fmt-{rate}-{channels}-{width}",
                            "sound device %s refuses %d Hz × %d channels; trying anyway",
                            device.description(), rate, channels)
        duration_ms = int(1000 * len(frames) / max(1, rate * channels * width))
        data = QByteArray(frames)
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        sink = QAudioSink(device, fmt)
        loop = QEventLoop()

        def on_state(state: QAudio.State) -> None:
            if state in (QAudio.State.IdleState, QAudio.State.StoppedState):
                loop.quit()

        sink.stateChanged.connect(on_state)
        QTimer.singleShot(duration_ms + DRAIN_MARGIN_MS, loop.quit)
        sink.start(buffer)
        if sink.error() != QAudio.Error.NoError:
            self._warn_once(f"err-{sink.error()}", "sound device error: %s", sink.error())
        else:
            loop.exec()
        sink.stop()
        buffer.close()


@dataclass(frozen=True)
class PlayedSound:
    wav: Path
    started: float   # time.monotonic() when playback began
    ended: float


class RecordingPlayer:
    """Records every sound it is asked to play, with start and end times.

    Passes the sound on to `inner` when given (a real card), else takes no time. Used by
    tests and the benchmark to see the announcement order; also handy with `--voice` on a
    machine without speakers, to read back what would have been said.
    """

    def __init__(self, inner: Player | None = None) -> None:
        self.inner = inner
        self.played: list[PlayedSound] = []
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)

    def play(self, wav: Path) -> None:
        started = time.monotonic()
        if self.inner is not None:
            self.inner.play(wav)
        with self._lock:
            self.played.append(PlayedSound(Path(wav), started, time.monotonic()))
            self._changed.notify_all()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[PlayedSound]:
        """Block until at least `count` sounds were played (or the timeout); return them."""
        with self._lock:
            self._changed.wait_for(lambda: len(self.played) >= count, timeout)
            return list(self.played)
