"""A voice pack made from the TTS voice, shared by the voice tests (built once: ~1 s)."""

import shutil
import wave
from pathlib import Path

import pytest

from layso.common.speech import SpeechOptions, vocabulary
from layso.counter_display.voice import clip_filename
from layso.counter_display.voice.tts import TtsVoice


@pytest.fixture(scope="session")
def tts_pack_source(tmp_path_factory) -> Path:
    pack = tmp_path_factory.mktemp("tts-pack")
    voice = TtsVoice()
    for phrase in vocabulary(SpeechOptions(), letters="A"):
        voice.synthesize(phrase, pack / clip_filename(phrase))
    return pack


@pytest.fixture
def tts_pack(tts_pack_source, tmp_path) -> Path:
    """A fresh copy each test may delete clips from."""
    return Path(shutil.copytree(tts_pack_source, tmp_path / "pack"))


def wav_frames(path: Path) -> tuple[int, int, bytes]:
    """(rate, channels, frames) read with the standard library, not the code under test."""
    with wave.open(str(path), "rb") as w:
        return w.getframerate(), w.getnchannels(), w.readframes(w.getnframes())
