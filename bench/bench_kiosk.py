"""Kiosk speed, with a live `layso server` and a printer on a loopback TCP socket.

    .venv/bin/python bench/bench_kiosk.py [--taps 30]

Prints:
- tap → last printer byte: from the click on a service button to the last byte of that
  ticket arriving at the printer (p50, p95, max); target p95 ≤ 300 ms;
- cold start → first interactive frame: a new process (`python` start, imports, Qt, font,
  first GET /office, /services, /counters) until the home screen with its service buttons
  has been painted; target ≤ 3 s;
- resident memory (VmHWM, the peak) of the kiosk after the taps and of a fresh one; ≤ 250 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _figures import report  # bench/_figures.py: the lines bench/run gathers


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def spin(app, until, timeout: float = 10.0) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        app.processEvents()
        if until():
            return True
        time.sleep(0.001)
    return False


def child(args: argparse.Namespace) -> None:
    """One cold start; prints seconds since the parent launched us, and memory."""
    from layso.kiosk.app import build_kiosk, make_app
    from layso.kiosk.settings import KioskSettings
    from layso.kiosk.state import Screen

    app = make_app()
    settings = KioskSettings(server_url=args.server, token=args.token,
                             printer_uri=args.printer,
                             path=Path(tempfile.mkdtemp()) / "kiosk.json")
    settings.pin_hash = "pbkdf2_sha256$1$00$00"  # a PIN is set; its value does not matter here
    kiosk = build_kiosk(settings, windowed=True, size=(1920, 1080))
    ok = spin(app, lambda: kiosk.state.screen is Screen.HOME
              and bool(kiosk.window.home.buttons), timeout=20)
    kiosk.window.grab()  # the frame is drawn
    print(json.dumps({"ok": ok, "first_frame_s": time.time() - args.t0,
                      "rss_mb": peak_rss_mb()}))
    kiosk.stop()


def bench(taps: int, starts: int) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from layso.kiosk.app import build_kiosk, make_app
    from layso.kiosk.settings import KioskSettings
    from layso.kiosk.state import PrintState, Screen
    from tests.kiosk.fake_printer import FakePrinter
    from tests.support.live_server import LiveServer, write_test_config

    tmp = Path(tempfile.mkdtemp())
    server = LiveServer(write_test_config(tmp / "layso.toml"), tmp / "data").start()
    printer = FakePrinter()
    try:
        cold = []
        for _ in range(starts):
            t0 = time.time()
            out = subprocess.run([sys.executable, __file__, "--child", "--server", server.url,
                                  "--token", server.kiosk_token, "--printer", printer.uri,
                                  "--t0", repr(t0)], check=True, capture_output=True,
                                 text=True, timeout=60, cwd=REPO)
            result = json.loads(out.stdout.strip().splitlines()[-1])
            assert result["ok"], out.stderr
            cold.append(result)

        app = make_app()
        settings = KioskSettings(server_url=server.url, token=server.kiosk_token,
                                 printer_uri=printer.uri, path=tmp / "kiosk.json")
        settings.pin_hash = "pbkdf2_sha256$1$00$00"
        kiosk = build_kiosk(settings, windowed=True, size=(1920, 1080))
        assert spin(app, lambda: kiosk.state.screen is Screen.HOME
                    and bool(kiosk.window.home.buttons))
        latencies = []
        for i in range(taps):
            button = kiosk.window.home.buttons[i % len(kiosk.window.home.buttons)]
            printer.clear()
            t0 = time.perf_counter()
            QTest.mouseClick(button, Qt.MouseButton.LeftButton)
            assert spin(app, lambda: kiosk.state.ticket is not None
                        and kiosk.state.ticket.print_state is PrintState.PRINTED)
            number = kiosk.state.ticket.number.encode()
            assert spin(app, lambda n=number: n in printer.data())
            # the ticket is complete once nothing more arrives (the cut is its last command)
            spin(app, lambda: time.perf_counter() - printer.last_byte_at > 0.1, timeout=2)
            latencies.append((printer.last_byte_at - t0) * 1000)
            kiosk.state.dismiss()
            time.sleep(1.05)  # the kiosk's debounce: the next citizen's tap
            spin(app, lambda: kiosk.state.screen is Screen.HOME)
        rss = peak_rss_mb()
        kiosk.stop()
    finally:
        printer.close()
        server.stop()

    latencies.sort()
    p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
    first = [c["first_frame_s"] for c in cold]
    print(f"tap → last printer byte ({taps} taps): p50 {statistics.median(latencies):.0f} ms, "
          f"p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms   (target p95 ≤ 300 ms)")
    print(f"cold start → first interactive frame ({starts} starts): "
          f"median {statistics.median(first):.2f} s, max {max(first):.2f} s   (target ≤ 3 s)")
    print(f"resident memory (peak): after {taps} tickets {rss:.0f} MB, fresh kiosk "
          f"{max(c['rss_mb'] for c in cold):.0f} MB   (target ≤ 250 MB)")
    report("kiosk tap → last printer byte, p95", p95, "ms", "<= 300")
    report("kiosk cold start → first frame, median", statistics.median(first), "s", "<= 3")
    report(f"kiosk memory after {taps} tickets (peak)", rss, "MB", "<= 250")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--taps", type=int, default=30)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--server", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--printer", default="", help=argparse.SUPPRESS)
    parser.add_argument("--t0", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
    else:
        bench(args.taps, args.starts)


if __name__ == "__main__":
    main()
