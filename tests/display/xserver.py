"""A bare X server (Xvfb) with no window manager, as in an `xinit` kiosk session, and
screenshots of its whole screen, so tests can start the real `layso display` / `layso
kiosk` on it and measure what fills the screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

_SHOT = """
import sys
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
assert app.primaryScreen().grabWindow(0).save(sys.argv[1])
"""


class BareX:
    def __init__(self, display: str, width: int, height: int) -> None:
        self.display, self.width, self.height = display, width, height

    def env(self) -> dict[str, str]:
        env = dict(os.environ, DISPLAY=self.display, QT_QPA_PLATFORM="xcb")
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def screenshot(self, path: Path) -> Image.Image:
        """The whole screen (the root window), as another X client sees it."""
        subprocess.run([sys.executable, "-c", _SHOT, str(path)], env=self.env(), check=True,
                       timeout=30, capture_output=True)
        return Image.open(path).convert("RGB")


@contextmanager
def bare_x(width: int = 1920, height: int = 1080) -> Iterator[BareX]:
    """Xvfb on a free display number, black root, no window manager."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (tools/setup.sh --test installs it)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(write_fd), "-screen", "0",
                             f"{width}x{height}x24", "-nolisten", "tcp", "-br", "-noreset"],
                            pass_fds=(write_fd,), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        assert number.isdigit(), "Xvfb did not start"
        yield BareX(f":{number}", width, height)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def root_pixels(image: Image.Image) -> int:
    """How many pixels still show the bare (black) root window."""
    return image.convert("L").point(lambda v: 255 if v == 0 else 0).histogram()[255]


def wait_for_window(x: BareX, shots: Path, proc: subprocess.Popen,
                    timeout: float = 30.0) -> Image.Image:
    """Screenshots until something was drawn and stayed the same twice in a row."""
    deadline = time.monotonic() + timeout
    previous = None
    while True:
        assert proc.poll() is None, f"the program ended with {proc.returncode}"
        image = x.screenshot(shots)
        covered = root_pixels(image) < image.width * image.height
        if covered and previous is not None and root_pixels(previous) == root_pixels(image):
            return image
        previous = image if covered else None
        assert time.monotonic() < deadline, "nothing appeared on the screen"
        time.sleep(0.5)


def stop(proc: subprocess.Popen) -> str:
    """Stop a program started for a test; its output, for the failure message."""
    proc.terminate()
    try:
        out, _ = proc.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    return out or ""
