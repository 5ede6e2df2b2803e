"""The technician's way in: a PIN set at first start, then the corner, then the settings."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from layso.cli import build_parser
from layso.kiosk import messages as m
from layso.kiosk.app import build_kiosk, make_app
from layso.kiosk.pin import (
    PIN_LOCK_S,
    PIN_TRIES,
    TECHNICIAN_IDLE_S,
    PinMode,
    PinOutcome,
    PinPrompt,
    PinResult,
    TechnicianPin,
)
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


# ---- the PIN's rules, with a hand-turned clock -----------------------------------------

class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


def gate_with_pin(clock: Clock, pin: str = "2580") -> TechnicianPin:
    settings = KioskSettings()
    settings.set_pin(pin)
    return TechnicianPin(settings, clock)


def test_five_wrong_pins_lock_the_pad_for_a_minute_even_against_the_right_pin():
    clock = Clock()
    gate = gate_with_pin(clock)
    assert gate.begin() == PinPrompt(PinMode.CHECK)
    for _ in range(PIN_TRIES - 1):
        outcome = gate.enter("0000")
        assert outcome == PinOutcome(PinResult.ASK, PinPrompt(PinMode.CHECK, "pin_wrong"))
    outcome = gate.enter("0000")
    assert outcome.prompt == PinPrompt(PinMode.CHECK, "pin_locked", round(PIN_LOCK_S))
    assert gate.locked
    clock.now += PIN_LOCK_S - 1
    outcome = gate.enter("2580")
    assert outcome.result is PinResult.ASK, "the right PIN is not even tried while locked"
    assert outcome.prompt == PinPrompt(PinMode.CHECK, "pin_locked", 1)
    # closing and reopening the pad does not open the lock either
    assert gate.begin().message_key == "pin_locked"
    clock.now += 1
    assert not gate.locked
    assert gate.enter("2580") == PinOutcome(PinResult.GRANTED)


def test_after_the_lock_the_count_starts_again_and_a_right_pin_resets_it():
    clock = Clock()
    gate = gate_with_pin(clock)
    for _ in range(PIN_TRIES):
        gate.enter("1111")
    clock.now += PIN_LOCK_S
    for _ in range(PIN_TRIES - 1):
        assert gate.enter("1111").prompt.message_key == "pin_wrong"
    assert gate.enter("2580").result is PinResult.GRANTED
    for _ in range(PIN_TRIES - 1):
        assert gate.enter("1111").prompt.message_key == "pin_wrong", "the count began anew"
    assert gate.enter("1111").prompt.message_key == "pin_locked"


def test_a_first_pin_is_typed_twice_and_must_be_4_to_8_digits():
    clock = Clock()
    settings = KioskSettings()
    gate = TechnicianPin(settings, clock)
    assert gate.begin() == PinPrompt(PinMode.NEW)
    assert gate.enter("12").prompt == PinPrompt(PinMode.NEW, "pin_new")
    assert gate.enter("4711").prompt == PinPrompt(PinMode.REPEAT)
    assert gate.enter("4712").prompt == PinPrompt(PinMode.NEW, "pin_mismatch")
    assert not settings.has_pin
    gate.enter("4711")
    assert gate.enter("4711") == PinOutcome(PinResult.PIN_SET)
    assert settings.check_pin("4711") and gate.mode is PinMode.CHECK


def test_technician_pages_close_when_left_alone():
    clock = Clock()
    gate = gate_with_pin(clock)
    gate.begin()
    clock.now += TECHNICIAN_IDLE_S
    assert not gate.idle_expired()
    clock.now += 1
    assert gate.idle_expired()
    gate.enter("2580")
    assert not gate.idle_expired(), "getting in starts the count again"


def test_the_kiosk_itself_locks_its_pin_pad_after_five_wrong_pins(qtbot, tmp_path):
    """The same lockout through the screen: the controller wires the gate, nothing else."""
    make_app()
    clock = Clock()
    settings = KioskSettings(server_url="http://127.0.0.1:9", token="t" * 24,
                             path=tmp_path / "kiosk.json")
    settings.set_pin("2580")
    kiosk = build_kiosk(settings, windowed=False, clock=clock)
    qtbot.addWidget(kiosk.window)
    window = kiosk.window
    try:
        kiosk.open_technician()
        for _ in range(PIN_TRIES):
            press(qtbot, kiosk, "9999")
        assert window.pin_pad.message.text() == m.text("pin_locked", s=60)
        press(qtbot, kiosk, "2580")
        assert window.stack.currentWidget() is window.pin_pad, "locked: the right PIN waits"
        clock.now += PIN_LOCK_S
        press(qtbot, kiosk, "2580")
        assert window.stack.currentWidget() is window.settings_panel
    finally:
        kiosk.stop()
