"""Speech synthesis through pyttsx3, with a Vietnamese voice chosen explicitly.

pyttsx3 drives libespeak-ng on Linux (voices "vi", "vi-vn-x-central", "vi-vn-x-south")
and SAPI5 on Windows (the vi-VN voice "Microsoft An" when the language pack is
installed). Left to itself it would speak Vietnamese with an English voice, so the
voice is always picked by language, or by the name the office configured.

On Linux the sentence itself is spoken by the espeak-ng program (`espeak-ng -v VOICE
-s RATE -w FILE`), with the voice pyttsx3 listed and this module chose. Measured here
(pyttsx3 2.99, espeak-ng 1.51, headless): pyttsx3's espeak driver writes the same audio
most of the time, but about one call in 300 writes nothing (its stop() sees espeak
still "playing" from the call before and cancels the next one), and in a long test run
some files came out at its default 200 words/min instead of the rate set just before.
A hall cannot skip a call, so the driver is used there only to list voices. On Windows
pyttsx3's SAPI5 driver writes the file (`save_to_file`); its "Audio saved" chatter on
stdout is swallowed.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from layso.counter_display.voice.errors import VoiceError

# Words per minute: espeak-ng's 175 runs the digits together across a hall; 150 is
# slow enough to follow and still says a call in about four seconds.
DEFAULT_RATE = 150

# One engine per process (pyttsx3 caches it) and not thread-safe: one sentence at a time.
_ENGINE_LOCK = threading.Lock()


@dataclass(frozen=True)
class InstalledVoice:
    id: str
    name: str
    languages: tuple[str, ...]

    @classmethod
    def of(cls, voice: Any) -> InstalledVoice:
        languages = tuple(
            (lang.decode() if isinstance(lang, bytes) else str(lang)).lower().replace("_", "-")
            for lang in (voice.languages or ())
        )
        return cls(str(voice.id), str(voice.name or ""), languages)

    def names(self) -> set[str]:
        """Every way an office may write this voice in `tts:VOICE`."""
        return {n.lower()
                for n in (self.id, self.id.rsplit("/", 1)[-1], self.name, *self.languages)}

    def vietnamese_rank(self) -> int | None:
        """0 for the standard Vietnamese voice, 1 for a regional one, None if not Vietnamese."""
        if any(lang in ("vi", "vi-vn") for lang in self.languages):
            return 0
        if any(lang.startswith("vi-") for lang in self.languages) or "vietnam" in self.name.lower():
            return 1
        return None


def choose_voice(installed: list[InstalledVoice], wanted: str | None = None) -> InstalledVoice:
    """The voice named `wanted`, or else the best Vietnamese voice; VoiceError if none."""
    if wanted:
        for voice in installed:
            if wanted.lower() in voice.names():
                return voice
        raise VoiceError(
            f"no speech voice called {wanted!r} is installed; Vietnamese voices here: "
            f"{_describe([v for v in installed if v.vietnamese_rank() is not None])}"
        )
    ranked = sorted(
        (rank, index, voice) for index, voice in enumerate(installed)
        if (rank := voice.vietnamese_rank()) is not None
    )
    if not ranked:
        raise VoiceError(
            "no Vietnamese speech voice is installed (on Debian: apt install espeak-ng; "
            "on Windows: add the Vietnamese language pack with speech) — installed voices: "
            f"{_describe(installed)}"
        )
    return ranked[0][2]


def _describe(voices: list[InstalledVoice], most: int = 12) -> str:
    if not voices:
        return "none"
    shown = ", ".join(f"{v.name} ({v.id})" for v in voices[:most])
    return shown + (f" and {len(voices) - most} more" if len(voices) > most else "")


class TtsVoice:
    """A pyttsx3 voice; `wanted` is a voice id, name or language, None for Vietnamese."""

    def __init__(self, wanted: str | None = None, rate: int = DEFAULT_RATE) -> None:
        try:
            import pyttsx3

            # Named, not guessed, on Linux: synthesize() goes around this driver.
            self._driver = "espeak" if sys.platform.startswith("linux") else None
            self._engine = pyttsx3.init(self._driver)
            installed = [InstalledVoice.of(v) for v in self._engine.getProperty("voices")]
        except (ImportError, OSError, RuntimeError) as error:
            raise VoiceError(f"speech synthesis is not available: {error}") from error
        self.voice = choose_voice(installed, wanted)
        self.rate = rate

    def synthesize(self, sentence: str, out_wav: Path) -> Path:
        text = unicodedata.normalize("NFC", sentence)
        out_wav = Path(out_wav)
        out_wav.unlink(missing_ok=True)
        if self._driver == "espeak":
            return espeak_ng_to_wav(text, out_wav, self.voice, self.rate)
        with _ENGINE_LOCK, contextlib.redirect_stdout(io.StringIO()):
            # Set on every call: the engine is shared with any other TtsVoice in the process.
            self._engine.setProperty("voice", self.voice.id)
            self._engine.setProperty("rate", self.rate)
            self._engine.save_to_file(text, str(out_wav))
            self._engine.runAndWait()
        if not _has_audio(out_wav):
            raise VoiceError(f"the speech voice {self.voice.name} wrote no audio for {text!r}")
        return out_wav


def _has_audio(wav: Path) -> bool:
    return wav.is_file() and wav.stat().st_size > 44  # more than a WAV header


def espeak_ng_to_wav(text: str, out_wav: Path, voice: InstalledVoice, rate: int) -> Path:
    """The sentence through the espeak-ng program, with the voice pyttsx3 would use."""
    program = shutil.which("espeak-ng")
    if program is None:
        raise VoiceError("the espeak-ng program is not installed (apt install espeak-ng)")
    name = voice.languages[0] if voice.languages else voice.id.rsplit("/", 1)[-1]
    run = subprocess.run(
        [program, "-v", name, "-s", str(rate), "-w", str(out_wav), "--", text],
        capture_output=True, text=True, timeout=60, check=False,
    )
    if run.returncode != 0 or not _has_audio(out_wav):
        raise VoiceError(f"espeak-ng wrote no audio for {text!r}: {run.stderr.strip()}")
    return out_wav
