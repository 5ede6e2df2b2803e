"""Bytes per ticket, render+encode time, and what that means on a serial cable.

    .venv/bin/python bench/bench_printer.py

The ticket is the worst case of the default config: the longest field name, a priority
mark, waiting figures, counters, a QR and the footer. Goal: 80 mm mixed <= 12 KB, <= 50 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ticket_printer import TicketData
from ticket_printer.encode import encode
from ticket_printer.layout import ticket_parts
from ticket_printer.parts import number_image, qr_image
from ticket_printer.text import font

ROUNDS = 30
TICKET = TicketData(
    office_name="UBND phường Bến Nghé",
    office_unit="Trung tâm Phục vụ hành chính công",
    service_name="Lao động, người có công và xã hội",
    number="5012",
    issued_at=datetime(2026, 11, 22, 8, 15, 3, tzinfo=timezone(timedelta(hours=7))),
    waiting_ahead=7,
    estimated_wait_s=900,
    priority_name="Phụ nữ mang thai, người có con dưới 6 tuổi",
    qr_url="http://192.168.1.10:8080/t/1234",
    footer="Cảm ơn công dân đã đến làm thủ tục. Xin vui lòng chờ đến lượt.",
    counters=["Quầy 5"],
)


def seconds_on_the_wire(size: int, baud: int) -> float:
    return size * 10 / baud  # 8N1: ten bits a byte


def measure(width: int, mode: str) -> tuple[int, float]:
    timings = []
    for i in range(ROUNDS):
        # A new number each round, so no cache holds the drawn number or QR.
        ticket = TicketData(**{**TICKET.__dict__, "number": f"{5000 + i}",
                               "qr_url": f"{TICKET.qr_url}{i}"})
        started = time.perf_counter()
        data = encode(ticket_parts(ticket, width), width, mode, "partial")
        timings.append(time.perf_counter() - started)
    return len(data), statistics.median(timings) * 1000


def main() -> None:
    font("regular", 21)  # load the font files once, as a running kiosk has
    number_image.cache_clear()
    qr_image.cache_clear()
    print(f"{'paper':8} {'mode':7} {'bytes':>7} {'ms':>6} {'9600 Bd':>9} {'115200 Bd':>10}")
    for width, paper in ((384, "58 mm"), (576, "80 mm")):
        for mode in ("mixed", "raster"):
            size, ms = measure(width, mode)
            print(f"{paper:8} {mode:7} {size:7d} {ms:6.1f} "
                  f"{seconds_on_the_wire(size, 9600):8.1f}s "
                  f"{seconds_on_the_wire(size, 115200):9.2f}s")


if __name__ == "__main__":
    main()
