"""Builders for the server's snapshot and events, as docs/API-EXTRAS.md describes them,
and a voice that writes real WAV files so the announcement queue can be heard in tests.
"""

from __future__ import annotations

import math
import struct
import threading
import wave
from pathlib import Path

import pytest
from PySide6.QtGui import QFont

from layso.assets import load_qt_fonts

SERVICES = [
    (1, "TP", "Tư pháp – Hộ tịch"), (2, "CT", "Chứng thực"), (3, "DD", "Đất đai"),
    (4, "XD", "Xây dựng"), (5, "LD", "Lao động, người có công và xã hội"),
    (6, "KD", "Đăng ký kinh doanh hộ"), (7, "NN", "Nông nghiệp và Môi trường"),
    (8, "VX", "Văn hóa – Giáo dục – Y tế"),
]
COUNTER_SERVICES = {1: [1], 2: [1, 2], 3: [3, 4], 4: [3, 7], 5: [5, 8], 6: [6, 2]}
SENTENCE = "Xin mời công dân có số thứ tự {number} đến quầy số {counter}"


def ticket(ticket_id: int, number: str, service_id: int = 1, status: str = "called",
           counter_id: int | None = None, called_at: str | None = None) -> dict:
    name = {sid: n for sid, _, n in SERVICES}[service_id]
    return {"id": ticket_id, "number": number, "service_id": service_id,
            "service_name": name, "status": status, "counter_id": counter_id,
            "called_at": called_at, "issued_at": called_at}


def counter(number: int, status: str = "open", current: dict | None = None) -> dict:
    return {"id": number, "number": number, "name": f"Quầy {number}",
            "service_ids": COUNTER_SERVICES[number], "status": status,
            "pause_reason": None, "current_ticket": current}


def snapshot(counters: list[dict] | None = None, recent: list[dict] | None = None,
             last_event_id: int = 10, notice: str = "", repeat: int = 2) -> dict:
    return {
        "office": {"name": "UBND phường Sài Gòn", "unit": "Trung tâm Phục vụ hành chính công"},
        "counters": counters if counters is not None else [counter(n) for n in range(1, 7)],
        "recent_calls": recent or [],
        "waiting": {str(sid): 0 for sid, _, _ in SERVICES},
        "services": [{"id": sid, "code": code, "name": name, "waiting": 0}
                     for sid, code, name in SERVICES],
        "announce_repeat": repeat,
        "notice": notice,
        "last_event_id": last_event_id,
    }


def called(ticket_id: int, number: str, counter_number: int, *, service_id: int = 1,
           recall: bool = False, called_at: str | None = None,
           waiting: dict | None = None) -> dict:
    """The data of a `ticket.called` event."""
    return {
        "ticket": ticket(ticket_id, number, service_id, counter_id=counter_number,
                         called_at=called_at),
        "counter": {"id": counter_number, "number": counter_number,
                    "name": f"Quầy {counter_number}"},
        "recall": recall,
        "announcement": SENTENCE.format(number=number, counter=counter_number),
        "waiting": waiting or {},
    }


class ToneVoice:
    """A voice that writes a short real tone per sentence and remembers which file is which."""

    def __init__(self, seconds: float = 0.02) -> None:
        self.seconds = seconds
        self.sentences: dict[Path, str] = {}
        self.calls: list[str] = []
        self._lock = threading.Lock()

    def synthesize(self, sentence: str, out_wav: Path) -> Path:
        rate = 16000
        frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                          for i in range(int(rate * self.seconds)))
        with wave.open(str(out_wav), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(rate)
            w.writeframes(frames)
        with self._lock:
            self.sentences[Path(out_wav)] = sentence
            self.calls.append(sentence)
        return Path(out_wav)

    def heard(self, played: list, chime: Path) -> list[str]:
        """What a listener heard: "CHIME" or the sentence, in order."""
        return ["CHIME" if p.wav == chime else self.sentences[p.wav] for p in played]


@pytest.fixture
def display_font(qapp) -> str:
    """The bundled Vietnamese font as the application font (Qt draws boxes without it)."""
    family = load_qt_fonts()
    qapp.setFont(QFont(family))
    return family
