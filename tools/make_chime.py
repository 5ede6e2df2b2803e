"""Writes assets/sounds/chime.wav: the two-note "ding-dong" played before each call.

Synthesised here (decaying sine partials) so the project owns the sound outright.
Run: python tools/make_chime.py
"""

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def note(freq: float, seconds: float, volume: float) -> list[float]:
    out = []
    for i in range(int(RATE * seconds)):
        t = i / RATE
        env = math.exp(-3.2 * t) * min(1.0, t / 0.005)
        s = math.sin(2 * math.pi * freq * t) + 0.35 * math.sin(2 * math.pi * 2 * freq * t)
        out.append(volume * env * s / 1.35)
    return out


def main() -> None:
    samples = note(880.0, 0.55, 0.8) + note(698.46, 0.9, 0.8)
    path = Path(__file__).resolve().parent.parent / "assets" / "sounds" / "chime.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(b"".join(struct.pack("<h", int(s * 32767)) for s in samples))
    print(path)


if __name__ == "__main__":
    main()
