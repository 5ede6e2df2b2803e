"""Benchmark: from the clerk's call-next to the hall display showing and chiming.

Starts a real `layso server` on loopback (SQLite, the bundled commune config) and a hall
display in this process (offscreen Qt, the real TTS voice). For each call: a ticket is
issued, the clerk's POST /counters/{id}/call-next is sent, and we time
  - shown: until the hall's big number label holds the number and has been repainted;
  - chime: until the announcer's player starts the chime (the first audio sample);
then the process's resident memory (the display; the server is another process).

    .venv/bin/python bench/bench_display.py [--calls 200]

Targets (issue 5): shown p99 ≤ 100 ms, chime ≤ 500 ms, RSS ≤ 250 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import requests
from _figures import report  # bench/_figures.py: the lines bench/run gathers
from PySide6.QtCore import QTimer

from layso.assets import CHIME_WAV
from layso.counter_display.app import build_display, ensure_application, make_display_voice
from layso.counter_display.audio import RecordingPlayer
from layso.counter_display.settings import DisplaySettings
from tests.support.live_server import LiveServer, write_test_config

COUNTERS = {1: "TP", 2: "CT", 3: "DD", 4: "NN", 5: "LD", 6: "KD"}


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")  # nothing measured: the failures below say why
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def describe(name: str, ms: list[float], target: float) -> str:
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    verdict = "ok" if p99 <= target else "OVER"
    return (f"{name:<32} n={len(ms):<4} p50={p50:7.1f} ms  p99={p99:7.1f} ms  "
            f"max={max(ms, default=float('nan')):7.1f} ms  "
            f"mean={statistics.fmean(ms) if ms else float('nan'):6.1f} ms  "
            f"(target p99 ≤ {target:.0f} ms: {verdict})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="layso-bench-display-"))
    server = LiveServer(write_test_config(work / "layso.toml"), work / "data")
    server.start()
    try:
        server.add_user("canbo1", "clerk", "canbo-pass-123")
        return run(server, args.calls)
    finally:
        server.stop()


def run(server: LiveServer, calls: int) -> int:
    app = ensure_application()
    player = RecordingPlayer()
    settings = DisplaySettings(server=server.url, token=server.display_token, windowed=True)
    display = build_display(settings, voice=make_display_voice("tts"), player=player)
    display.screen.resize(1920, 1080)
    display.start()

    kiosk = server.headers(server.kiosk_token)
    clerk = server.headers(server.login("canbo1", "canbo-pass-123"))
    services = {s["code"]: s["id"] for s in
                requests.get(server.api + "/services", headers=kiosk, timeout=10).json()}
    counters = {c["number"]: c["id"] for c in
                requests.get(server.api + "/counters", headers=kiosk, timeout=10).json()}

    shown_at: dict[str, float] = {}
    shown = threading.Condition()

    def on_shown(call) -> None:
        display.screen.latest_number.repaint()   # drawn, not only set
        with shown:
            shown_at[call.number] = time.monotonic()
            shown.notify_all()

    display.screen.shown.connect(on_shown)
    results: dict[str, list[float]] = {"shown": [], "chime": []}
    failures: list[str] = []

    def clerk_work() -> None:
        http = requests.Session()
        try:
            while not display.state.connected:
                time.sleep(0.05)
            for i in range(calls):
                counter = 1 + i % 6
                r = http.post(server.api + "/tickets", headers=kiosk, timeout=10,
                              json={"service_id": services[COUNTERS[counter]], "priority": None})
                r.raise_for_status()
                time.sleep(0.05)          # the citizen walks to a chair
                chimes_before = sum(1 for p in player.played if p.wav == CHIME_WAV)
                sent = time.monotonic()
                r = http.post(f"{server.api}/counters/{counters[counter]}/call-next",
                              headers=clerk, timeout=10)
                r.raise_for_status()
                number = r.json()["ticket"]["number"]
                with shown:
                    if not shown.wait_for(lambda n=number: n in shown_at, timeout=5):
                        failures.append(f"{number} never shown")
                        continue
                results["shown"].append((shown_at[number] - sent) * 1000)
                played = player.wait_for(len(player.played) + 1, timeout=5)
                chimes = [p for p in played if p.wav == CHIME_WAV]
                if len(chimes) > chimes_before:
                    results["chime"].append((chimes[chimes_before].started - sent) * 1000)
                else:
                    failures.append(f"{number} never chimed")
                display.announcer.wait_idle(10)   # one call at a time: no queueing in the figure
        except (requests.RequestException, KeyError, ValueError) as exc:
            failures.append(repr(exc))

    worker = threading.Thread(target=clerk_work, daemon=True)
    worker.start()
    # the GUI thread ends its own loop: QApplication.quit() from the worker deadlocks PySide
    watcher = QTimer()
    watcher.timeout.connect(lambda: None if worker.is_alive() else app.quit())
    watcher.start(50)
    app.exec()
    worker.join(5)
    rss, peak = rss_mb(), rss_mb("VmHWM")
    display.stop()

    print(f"LaySo hall display benchmark: {calls} calls over loopback, offscreen 1920×1080, "
          f"real TTS voice, recording player")
    print(describe("call-next → number on screen", results["shown"], 100))
    print(describe("call-next → chime starts", results["chime"], 500))
    print(f"{'display resident memory':<32} now={rss:6.1f} MB  peak={peak:6.1f} MB  "
          f"(target ≤ 250 MB: {'ok' if peak <= 250 else 'OVER'})")
    report("call-next → number on the hall display, p99", percentile(results["shown"], 99),
           "ms", "<= 100")
    report("call-next → chime starts, p99", percentile(results["chime"], 99), "ms", "<= 500")
    report("hall display memory (peak)", peak, "MB", "<= 250")
    if failures:
        print("failures:", *failures[:10], sep="\n  ")
    ok = (not failures and percentile(results["shown"], 99) <= 100
          and percentile(results["chime"], 99) <= 500 and peak <= 250)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
