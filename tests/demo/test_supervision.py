"""When the demo's server dies, the demo says so in one line naming it and its exit code;
the kiosk and hall display windows stay up showing the outage instead of vanishing.

The watcher on its own, over real processes that only sleep (the whole demo:
test_demo_server_dies.py).
"""

from __future__ import annotations

import io
import signal
import subprocess
import sys

import pytest

from layso.demo_run import Child, Supervisor, exit_code_text


def sleeper(seconds: float = 60, code: int = 0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c",
                             f"import sys, time; time.sleep({seconds}); sys.exit({code})"])


@pytest.fixture
def started():
    procs: list[subprocess.Popen] = []

    def start(*args, **kwargs) -> subprocess.Popen:
        procs.append(sleeper(*args, **kwargs))
        return procs[-1]
    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_killed_server_is_named_with_its_exit_code_and_the_windows_stay(started):
    out = io.StringIO()
    server = Child("máy chủ", "server", started())
    kiosk = Child("máy lấy số", "kiosk", started())
    display = Child("màn hình sảnh", "hall display", started())
    watcher = Supervisor(server, [kiosk, display], out)
    watcher.check()
    assert out.getvalue() == ""
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait()
    watcher.check()
    assert out.getvalue() == (
        "layso demo: máy chủ đã dừng (mã thoát -9 SIGKILL) (the server stopped, exit code "
        "-9 SIGKILL); máy lấy số và màn hình sảnh vẫn mở, báo mất kết nối; Ctrl+C để thoát "
        "(the kiosk and the hall display stay open showing the outage; Ctrl+C to quit)\n")
    assert kiosk.proc.poll() is None and display.proc.poll() is None, "nothing else stopped"
    watcher.check()
    assert out.getvalue().count("\n") == 1, "said once"
    # the citizen's windows are closed one after the other: a line each, then the demo ends
    kiosk.proc.terminate()
    display.proc.terminate()
    assert watcher.watch(poll_s=0.05) == 1, "a server a signal ended: the demo failed"
    lines = out.getvalue().splitlines()
    assert lines[1:] == [
        "layso demo: máy lấy số đã dừng (mã thoát -15 SIGTERM) (the kiosk stopped, exit "
        "code -15 SIGTERM)",
        "layso demo: màn hình sảnh đã dừng (mã thoát -15 SIGTERM) (the hall display stopped, "
        "exit code -15 SIGTERM)"]


def test_a_server_alone_that_fails_ends_the_demo_with_its_code(started):
    out = io.StringIO()
    watcher = Supervisor(Child("máy chủ", "server", started(0.2, 3)), [], out)
    assert watcher.watch(poll_s=0.05) == 3
    assert out.getvalue() == ("layso demo: máy chủ đã dừng (mã thoát 3) "
                              "(the server stopped, exit code 3)\n")


def test_ctrl_c_stops_everything_without_a_line_per_process(started):
    out = io.StringIO()
    server, kiosk = Child("máy chủ", "server", started()), Child("máy lấy số", "kiosk", started())
    watcher = Supervisor(server, [kiosk], out)
    watcher.stop_all(timeout=5)
    assert server.proc.poll() is not None and kiosk.proc.poll() is not None
    assert out.getvalue() == ""


def test_exit_codes_read_as_people_look_them_up():
    assert exit_code_text(0) == "0" and exit_code_text(1) == "1"
    assert exit_code_text(-9) == "-9 SIGKILL" and exit_code_text(-200) == "-200"
