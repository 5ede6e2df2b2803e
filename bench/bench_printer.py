"""Bytes per ticket, render+encode time, and what that means on a serial cable.

    .venv/bin/python bench/bench_printer.py

The ticket is `layso printer preview`'s sample, the worst case of the bundled config: the
longest field name, a priority mark, waiting figures, counters, a QR and the footer. Goal: 80 mm mixed <= 12 KB, <= 50 ms.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _figures import report  # bench/_figures.py: the lines bench/run gathers

from layso.ticket_printer import TicketData
from layso.ticket_printer.encode import encode
from layso.ticket_printer.layout import ticket_parts
from layso.ticket_printer.parts import number_image, qr_image
from layso.ticket_printer.testpage import sample_ticket
from layso.ticket_printer.text import font

ROUNDS = 30
TICKET = sample_ticket()  # the worst case of the bundled config (see the docstring)


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
    measured = []
    print(f"{'paper':8} {'mode':7} {'bytes':>7} {'ms':>6} {'9600 Bd':>9} {'115200 Bd':>10}")
    for width, paper in ((384, "58 mm"), (576, "80 mm")):
        for mode in ("mixed", "raster"):
            size, ms = measure(width, mode)
            print(f"{paper:8} {mode:7} {size:7d} {ms:6.1f} "
                  f"{seconds_on_the_wire(size, 9600):8.1f}s "
                  f"{seconds_on_the_wire(size, 115200):9.2f}s")
            measured.append((paper, mode, size, ms))
    for paper, mode, size, ms in measured:
        goals = paper == "80 mm" and mode == "mixed"  # the ticket the goals are set for
        report(f"{paper} ticket ({mode}), size", size / 1000, "KB", "<= 12" if goals else "")
        report(f"{paper} ticket ({mode}), render + encode", ms, "ms", "<= 50" if goals else "")


if __name__ == "__main__":
    main()
