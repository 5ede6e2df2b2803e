"""The technician's way in: a PIN set at first start, then the corner, then the settings."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from layso.cli import build_parser
from layso.kiosk.app import build_kiosk, make_app
from layso.kiosk.settings import KioskSettings, load_settings


def press(qtbot, kiosk, pin: str) -> None:
    pad = kiosk.window.pin_pad
    for digit in pin:
        qtbot.mouseClick(pad.findChild(type(pad.ok), f"digit{digit}"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(pad.ok, Qt.MouseButton.LeftButton)


def test_a_full_screen_kiosk_without_a_pin_asks_for_one_before_anything_else(qtbot, tmp_path):
    make_app()
    path = tmp_path / "kiosk.json"
    kiosk = build_kiosk(KioskSettings(path=path), windowed=False)
    qtbot.addWidget(kiosk.window)
    try:
        assert kiosk.window.stack.currentWidget() is kiosk.window.pin_pad
        assert not kiosk.window.pin_pad.cancel.isVisible(), "no way round the first PIN"
        assert kiosk.backend is None
        press(qtbot, kiosk, "4711")
        press(qtbot, kiosk, "4711")
        # no server or token yet: the settings page comes next, and saving applies them
        panel = kiosk.window.settings_panel
        assert kiosk.window.stack.currentWidget() is panel
        assert load_settings(path).check_pin("4711")
        panel.server.setText("http://127.0.0.1:9")
        panel.token.setText("a-device-token-0123456789")
        panel.printer.setText("")
        qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
        saved = json.loads(path.read_text())
        assert saved["server_url"] == "http://127.0.0.1:9"
        assert saved["token"] == "a-device-token-0123456789"
        assert kiosk.backend is not None and kiosk.state.configured
    finally:
        kiosk.stop()


def test_the_pin_must_be_typed_the_same_twice(qtbot, tmp_path):
    make_app()
    kiosk = build_kiosk(KioskSettings(path=tmp_path / "kiosk.json"), windowed=False)
    qtbot.addWidget(kiosk.window)
    try:
        press(qtbot, kiosk, "1234")
        press(qtbot, kiosk, "1235")
        assert kiosk.window.pin_pad.message.text() == "Hai lần nhập không khớp"
        assert not kiosk.settings.has_pin
    finally:
        kiosk.stop()


def test_layso_kiosk_takes_the_documented_flags():
    args = build_parser().parse_args(
        ["kiosk", "--server", "http://10.0.0.5:8080", "--token", "tok", "--printer",
         "tcp://10.0.0.9:9100", "--width", "384", "--windowed", "--settings", "k.json"])
    assert (args.server, args.token, args.printer, args.width, args.windowed, args.settings) \
        == ("http://10.0.0.5:8080", "tok", "tcp://10.0.0.9:9100", 384, True, "k.json")
