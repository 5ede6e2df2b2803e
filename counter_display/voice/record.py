"""`layso voice record`: a technician records every clip of a voice pack, one at a time.

For each word or phrase: it is shown, Enter starts the microphone, Enter stops it, the
quiet before and after is cut, the clip is saved under its Telex name (pack.py) and
listed in the manifest; then play it back, redo it, or go on. The talking to the
technician (`RecordingSession`) is apart from the microphone, so it runs in tests with
a fake microphone that "hears" a WAV file.
"""

from __future__ import annotations

import array
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from layso.counter_display.voice import wavs
from layso.counter_display.voice.errors import VoiceError
from layso.counter_display.voice.pack import clip_path, write_manifest

NO_MICROPHONE = (
    "Không tìm thấy micrô — no microphone found. Plug one in (and check it is not muted "
    "or held by another program), then run `layso voice record` again. Clips recorded "
    "elsewhere also work: save them as 16-bit WAV under the names `layso voice check` lists."
)
RATE = 48000
MAX_CLIP_S = 20.0  # a forgotten Enter must not record all day


class Microphone(Protocol):
    def record_until(self, stop: threading.Event) -> wavs.Pcm:
        """Record from now until `stop` is set (or MAX_CLIP_S), as mono 16-bit."""


class QtMicrophone:
    """The default input through QtMultimedia's QAudioSource, read on this thread."""

    def __init__(self) -> None:
        from layso.counter_display.voice.playback import ensure_qt_app

        ensure_qt_app()
        from PySide6.QtMultimedia import QAudioFormat, QMediaDevices

        self._device = QMediaDevices.defaultAudioInput()
        if self._device.isNull():
            raise VoiceError(NO_MICROPHONE)
        wanted = QAudioFormat()
        wanted.setSampleRate(RATE)
        wanted.setChannelCount(1)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._format = wanted if self._device.isFormatSupported(wanted) else (
            self._device.preferredFormat()
        )

    def record_until(self, stop: threading.Event) -> wavs.Pcm:
        from PySide6.QtCore import QEventLoop
        from PySide6.QtMultimedia import QAudioSource

        # QEventLoop.processEvents, not QCoreApplication's: with PySide6 6.12 on Python
        # 3.11 every call of a method returning void drops a reference to None, and this
        # loop runs a hundred times a second (measured: sys.getrefcount(None) falls).
        events = QEventLoop()
        source = QAudioSource(self._device, self._format)
        stream = source.start()
        if stream is None:
            raise VoiceError(f"the microphone {self._device.description()} did not start")
        data = bytearray()
        deadline = time.monotonic() + MAX_CLIP_S
        while not stop.is_set() and time.monotonic() < deadline:
            events.processEvents()
            data += bytes(stream.readAll().data())
            time.sleep(0.01)
        data += bytes(stream.readAll().data())
        source.stop()
        return self._to_pcm(bytes(data))

    def _to_pcm(self, data: bytes) -> wavs.Pcm:
        from PySide6.QtMultimedia import QAudioFormat

        fmt = self._format.sampleFormat()
        channels = self._format.channelCount()
        if fmt == QAudioFormat.SampleFormat.Float:
            floats = array.array("f", data[: len(data) // 4 * 4])
            samples = array.array("h", (max(-32768, min(32767, int(f * 32767))) for f in floats))
            return wavs.Pcm(self._format.sampleRate(), wavs.to_mono(samples, channels))
        width = {QAudioFormat.SampleFormat.UInt8: 1, QAudioFormat.SampleFormat.Int16: 2,
                 QAudioFormat.SampleFormat.Int32: 4}[fmt]
        samples = wavs.to_int16(data[: len(data) // width * width], width)
        return wavs.Pcm(self._format.sampleRate(), wavs.to_mono(samples, channels))


class RecordingSession:
    """Walks the technician through the clips; `ask` and `tell` are input() and print()."""

    def __init__(
        self,
        pack_dir: Path,
        microphone: Microphone,
        play: Callable[[Path], None] | None,
        ask: Callable[[str], str] = input,
        tell: Callable[[str], None] = print,
    ) -> None:
        self.pack_dir = Path(pack_dir)
        self.microphone = microphone
        self.play = play  # None: no sound output, no play-back
        self.ask = ask
        self.tell = tell

    def run(self, phrases: list[str]) -> list[str]:
        """Record the phrases in order; returns those recorded. "q" stops early."""
        self.pack_dir.mkdir(parents=True, exist_ok=True)
        recorded = []
        for number, phrase in enumerate(phrases, 1):
            target = clip_path(self.pack_dir, phrase)
            note = "  (đã có — exists; Enter re-records)" if target.is_file() else ""
            self.tell(f"\n({number}/{len(phrases)})  «{phrase}»  → {target.name}{note}")
            answer = self._record_one(phrase, target)
            if answer == "q":
                break
            if answer == "saved":
                recorded.append(phrase)
        self.tell(f"\n{len(recorded)} clip(s) saved in {self.pack_dir}")
        return recorded

    def _record_one(self, phrase: str, target: Path) -> str:
        while True:
            answer = self.ask("  Enter: ghi âm (record) · s: bỏ qua (skip) · q: thoát (quit) > ")
            if answer.strip().lower() in ("s", "q"):
                return answer.strip().lower()
            clip = wavs.trim_silence(self._capture())
            if clip.seconds < 0.1:
                self.tell("  Không nghe thấy tiếng — nothing heard; "
                          "check the microphone, try again.")
                continue
            wavs.write_wav(target, clip)
            write_manifest(self.pack_dir, {phrase: target.name})
            self.tell(f"  Đã lưu — saved {target.name} ({clip.seconds:.2f} s)")
            if self._review(target) == "redo":
                continue
            return "saved"

    def _capture(self) -> wavs.Pcm:
        stop = threading.Event()

        def wait_for_enter() -> None:
            self.ask("  ● Đang ghi — recording… Enter: dừng (stop) ")
            stop.set()

        waiter = threading.Thread(target=wait_for_enter, daemon=True)
        waiter.start()
        pcm = self.microphone.record_until(stop)
        if not stop.is_set():
            self.tell(f"  Dừng sau {MAX_CLIP_S:.0f} s — "
                      f"stopped after {MAX_CLIP_S:.0f} s; press Enter.")
        waiter.join()  # its input() must not swallow the next answer
        return pcm

    def _review(self, target: Path) -> str:
        while True:
            answer = self.ask("  p: nghe lại (play) · r: ghi lại (redo) · Enter: tiếp (next) > ")
            choice = answer.strip().lower()
            if choice == "r":
                return "redo"
            if choice != "p":
                return "next"
            if self.play is None:
                self.tell("  Không có loa — no sound output here; cannot play back.")
            else:
                self.play(target)

