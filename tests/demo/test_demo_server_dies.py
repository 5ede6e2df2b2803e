"""`layso demo` whose server is killed: one line on its terminal names the server and its
exit code; the kiosk and hall display processes stay up showing the outage; stopping the
demo (SIGTERM, as Ctrl+C) takes them with it. Server, kiosk, display for real, Qt offscreen.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.support.device_process import DeviceProcess
from tests.support.live_server import free_port


def children_of(pid: int) -> dict[int, str]:
    """The direct children of `pid` and their command lines (Linux /proc)."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            cmd = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            found[int(child)] = cmd
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_demo_says_its_server_died_and_keeps_its_windows_showing_the_outage(tmp_path):
    demo = DeviceProcess("demo", "--data-dir", str(tmp_path / "demo"),
                         "--port", str(free_port()))
    try:
        demo.wait_for("Ctrl+C", timeout=90)             # the banner: everything is up
        demo.wait_for("connected to")                   # the kiosk reached the server
        demo.wait_for("following")                      # so did the hall display
        processes = children_of(demo.proc.pid)
        server = next(pid for pid, cmd in processes.items() if " server " in cmd)
        devices = [pid for pid, cmd in processes.items() if re.search(r" (kiosk|display) ", cmd)]
        assert len(devices) == 2, processes
        assert not any("--token" in processes[pid] for pid in devices), \
            "the demo's tokens are not on the command line, where ps shows them"

        os.kill(server, signal.SIGKILL)
        line = demo.wait_for("layso demo: máy chủ đã dừng")
        assert "(mã thoát -9 SIGKILL)" in line and "vẫn mở" in line
        demo.wait_for("server unreachable")             # the kiosk shows its outage notice
        demo.wait_for("display feed:")                  # the hall shows "Mất kết nối"
        time.sleep(2)
        assert all(alive(pid) for pid in devices), "\n".join(demo.lines)
        assert demo.alive()
        assert sum("đã dừng" in out for out in demo.lines) == 1, "only the server stopped"
    finally:
        code = demo.stop()                              # SIGTERM: as Ctrl+C
    assert code == 1, "the demo's server failed: so did the demo"
    assert not any(alive(pid) for pid in devices), "the demo took its windows with it"
