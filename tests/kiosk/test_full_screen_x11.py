"""`layso kiosk` on an X server with no window manager (a bare `xinit` kiosk session)
fills the whole screen, not a small window in the top-left corner."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtGui import QColor

from layso.kiosk.ui.screens import NOTICE_COLORS
from tests.display.xserver import bare_x, root_pixels, stop, wait_for_window


def test_layso_kiosk_fills_a_bare_x_screen(tmp_path, output_dir):
    settings = tmp_path / "kiosk.json"
    settings.write_text(json.dumps({"server_url": "http://127.0.0.1:9", "token": "t" * 24,
                                    "technician_pin": "2580"}))
    log = tmp_path / "kiosk.log"
    with bare_x(1920, 1080) as x, log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "layso.cli", "kiosk", "--settings", str(settings)],
            env=x.env(), stdout=out, stderr=subprocess.STDOUT)
        try:
            image = wait_for_window(x, output_dir / "kiosk-bare-x-1920x1080.png", proc)
        finally:
            stop(proc)
    assert image.size == (1920, 1080)
    assert root_pixels(image) == 0, \
        f"{root_pixels(image)} pixels of the bare screen show: {log.read_text()[-2000:]}"
    # the server is not there: the notice covers the screen edge to edge
    notice = QColor(NOTICE_COLORS["server"])
    for corner in ((0, 0), (1919, 0), (0, 1079), (1919, 1079)):
        assert image.getpixel(corner) == (notice.red(), notice.green(), notice.blue()), corner
