"""`layso display` on an X server with no window manager (a bare `xinit` kiosk session)
fills the whole 1920×1080 screen, not a small window in the top-left corner."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtGui import QColor

from layso.counter_display.widgets import BACKGROUND
from tests.display.xserver import bare_x, root_pixels, stop, wait_for_window


def test_layso_display_fills_a_bare_x_screen(tmp_path, output_dir):
    log = tmp_path / "display.log"
    with bare_x(1920, 1080) as x, log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "layso.cli", "display", "--server", "http://127.0.0.1:9",
             "--token", "display-token", "--voice", "none",
             "--settings", str(tmp_path / "display.json")],
            env=x.env(), stdout=out, stderr=subprocess.STDOUT)
        try:
            image = wait_for_window(x, output_dir / "display-bare-x-1920x1080.png", proc)
        finally:
            stop(proc)
    assert image.size == (1920, 1080)
    assert root_pixels(image) == 0, \
        f"{root_pixels(image)} pixels of the bare screen show: {log.read_text()[-2000:]}"
    hall = QColor(BACKGROUND)
    for corner in ((0, 0), (1919, 0), (0, 1079), (1919, 1079)):
        assert image.getpixel(corner) == (hall.red(), hall.green(), hall.blue()), corner
