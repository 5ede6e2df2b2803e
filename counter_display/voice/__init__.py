"""The hall's voices: turn an announcement sentence into a WAV file.

Two kinds, one small interface (`Voice.synthesize`):
- speech synthesis through pyttsx3 (espeak-ng's Vietnamese voices on Linux, SAPI5's
  vi-VN voice on Windows), see `tts.py`;
- a recorded voice pack, a folder of WAV clips joined word by word, see `pack.py`.

The display gets the sentence from the server's `ticket.called` event and never builds it;
`layso say` builds it with `layso.common.speech.announcement`, the same words.
Importing this package is cheap: pyttsx3 and Qt load only when a voice is made.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from layso.counter_display.voice.errors import VoiceError
from layso.counter_display.voice.pack import VoicePack, clip_filename, missing_clips

__all__ = ["Voice", "VoiceError", "VoicePack", "clip_filename", "make_voice", "missing_clips"]

TTS_PREFIX = "tts"


class Voice(Protocol):
    def synthesize(self, sentence: str, out_wav: Path) -> Path:
        """Write a WAV of the sentence (no chime) to out_wav and return out_wav."""


def make_voice(spec: str = TTS_PREFIX) -> Voice:
    """A voice from its spec: "tts", "tts:VOICE" (an installed voice) or a voice-pack folder.

    Raises VoiceError with what is wrong (no Vietnamese voice installed, no such folder).
    """
    if spec == TTS_PREFIX or spec.startswith(TTS_PREFIX + ":"):
        from layso.counter_display.voice.tts import TtsVoice

        return TtsVoice(spec.partition(":")[2] or None)
    return VoicePack(Path(spec))
