"""bench/run's table and comparison, from figures as the benchmarks print them
(bench/_figures.py), without running a benchmark."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys

from tests.support.live_server import REPO

sys.path.insert(0, str(REPO / "bench"))
from _figures import Figure, parse, report  # noqa: E402


def printed(*figures: tuple) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        print("some human-readable line")
        for figure in figures:
            report(*figure)
    return out.getvalue()


def saved(path, text: str, bench: str) -> None:
    path.write_text(json.dumps({"figures": [f.to_json() for f in parse(text, bench)]}),
                    encoding="utf-8")


def bench_run(*args: str) -> str:
    done = subprocess.run([sys.executable, str(REPO / "bench" / "run"), *args],
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def test_a_printed_figure_reads_back_with_its_goal():
    text = printed(("ticket issue p99, 4 clients, SQLite", 21.44, "ms", "<= 20"),
                   ("tickets issued per second, SQLite", 306.2, "/s", ">= 300"),
                   ("kiosk memory (peak)", 137.0, "MB"))
    issue, rate, memory = parse(text, "bench_server.py")
    assert issue == Figure("ticket issue p99, 4 clients, SQLite", 21.44, "ms", "<= 20",
                           "bench_server.py")
    assert (issue.met(), rate.met(), memory.met()) == (False, True, None)
    assert (issue.lower_is_better(), rate.lower_is_better()) == (True, False)


def test_the_table_and_the_ratio_per_figure(tmp_path):
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    saved(old, printed(("issue p99", 20.0, "ms", "<= 20"), ("issue rate", 300.0, "/s", ">= 300"),
                       ("memory", 100.0, "MB"), ("gone", 1.0, "s")), "bench_a.py")
    saved(new, printed(("issue p99", 30.0, "ms", "<= 20"), ("issue rate", 330.0, "/s", ">= 300"),
                       ("memory", 101.0, "MB"), ("fresh", 2.0, "s")), "bench_a.py")

    table = bench_run("--show", str(new))
    assert "| figure | goal | measured | bench |" in table
    assert "| issue p99 | ≤ 20 ms | 30.0 ms ✗ (goal missed) | bench_a.py |" in table
    assert "| issue rate | ≥ 300/s | 330/s ✓ | bench_a.py |" in table

    ratios = bench_run("--show", str(new), "--compare", str(old))
    assert "| issue p99 | ≤ 20 ms | 20.0 ms | 30.0 ms | 1.50× worse |" in ratios
    assert "| issue rate | ≥ 300/s | 300/s | 330/s | 1.10× better |" in ratios
    assert "| memory |  | 100 MB | 101 MB | 1.01× |" in ratios
    assert "| fresh |" in ratios and "new figure" in ratios
    assert "Not measured this time: gone" in ratios
