"""Mono 16-bit PCM in memory: read any PCM WAV, convert, join, measure, write.

Clips in a voice pack come from different microphones and tools (48 kHz stereo from a
phone, 22 050 Hz mono from espeak-ng, 8-bit from an old recorder); the pack joins them
into one sentence, so everything is brought to one shape here. Pure Python (no numpy):
a sentence is a few hundred thousand samples.
"""

from __future__ import annotations

import array
import math
import sys
import wave
from dataclasses import dataclass, field
from pathlib import Path


class WavError(Exception):
    """A file that is not a PCM WAV this module can read."""


@dataclass
class Pcm:
    """Mono signed 16-bit samples at `rate` samples per second."""

    rate: int
    samples: array.array = field(default_factory=lambda: array.array("h"))

    @property
    def seconds(self) -> float:
        return len(self.samples) / self.rate

    def rms(self) -> float:
        """Root mean square level, 0.0 (silence) to 1.0 (full scale)."""
        if not self.samples:
            return 0.0
        return math.sqrt(sum(s * s for s in self.samples) / len(self.samples)) / 32768


def to_int16(frames: bytes, width: int) -> array.array:
    if width == 1:  # 8-bit WAV is unsigned
        return array.array("h", ((b - 128) << 8 for b in frames))
    if width == 3:  # keep the two high bytes of each little-endian 24-bit sample
        return array.array("h", (
            int.from_bytes(frames[i + 1:i + 3], "little", signed=True)
            for i in range(0, len(frames), 3)
        ))
    if width not in (2, 4):
        raise WavError(f"{width * 8}-bit samples are not supported")
    samples = array.array("h" if width == 2 else "i", frames)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples if width == 2 else array.array("h", (s >> 16 for s in samples))


def to_mono(samples: array.array, channels: int) -> array.array:
    if channels == 1:
        return samples
    return array.array("h", (
        sum(samples[i:i + channels]) // channels for i in range(0, len(samples), channels)
    ))


def read_wav(path: Path) -> Pcm:
    """Any PCM WAV (8/16/24/32-bit, any channels) as mono 16-bit."""
    try:
        with wave.open(str(path), "rb") as wav:
            rate, channels, width = wav.getframerate(), wav.getnchannels(), wav.getsampwidth()
            frames = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError) as error:
        raise WavError(f"{path}: not a PCM WAV file ({error})") from None
    try:
        return Pcm(rate, to_mono(to_int16(frames, width), channels))
    except WavError as error:
        raise WavError(f"{path}: {error}") from None


def write_wav(path: Path, pcm: Pcm) -> Path:
    samples = pcm.samples
    if sys.byteorder == "big":
        samples = array.array("h", samples)
        samples.byteswap()
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(pcm.rate)
        wav.writeframes(samples.tobytes())
    return path


def resample(pcm: Pcm, rate: int) -> Pcm:
    """The same sound at another sample rate (linear interpolation: fine for speech)."""
    if pcm.rate == rate or not pcm.samples:
        return Pcm(rate, array.array("h", pcm.samples))
    src = pcm.samples
    last = len(src) - 1
    step = pcm.rate / rate
    count = max(1, round(len(src) * rate / pcm.rate))
    out = array.array("h", bytes(2 * count))
    for i in range(count):
        position = i * step
        left = min(int(position), last)
        right = min(left + 1, last)
        fraction = position - left
        out[i] = round(src[left] + (src[right] - src[left]) * fraction)
    return Pcm(rate, out)


def silence(rate: int, seconds: float) -> array.array:
    return array.array("h", bytes(2 * round(rate * seconds)))


def join(parts: list[Pcm], gap_s: float) -> Pcm:
    """The parts one after another at the highest rate among them, `gap_s` of silence between."""
    if not parts:
        raise ValueError("nothing to join")
    rate = max(part.rate for part in parts)
    out = array.array("h")
    for index, part in enumerate(parts):
        if index:
            out.extend(silence(rate, gap_s))
        out.extend(resample(part, rate).samples)
    return Pcm(rate, out)


def trim_silence(pcm: Pcm, threshold: float = 0.02, keep_s: float = 0.05) -> Pcm:
    """Cut the quiet before and after the sound, keeping `keep_s` on each side.

    A recorded clip starts when the technician presses Enter, not when they speak; left
    in, that pause would be repeated between every word of the sentence.
    """
    level = threshold * 32768
    loud = [i for i, s in enumerate(pcm.samples) if abs(s) >= level]
    if not loud:
        return Pcm(pcm.rate, array.array("h"))
    keep = round(keep_s * pcm.rate)
    start = max(0, loud[0] - keep)
    end = min(len(pcm.samples), loud[-1] + 1 + keep)
    return Pcm(pcm.rate, pcm.samples[start:end])
