"""A hall display set to English lists the fields by the English names of the office's
config, and by the Vietnamese name where the office gave none. Real `layso server`."""

from __future__ import annotations

from layso.counter_display.app import build_display
from layso.counter_display.settings import DisplaySettings
from layso.counter_display.state import ServiceView


def field_names(display) -> list[str]:
    return [name.text() for name, _count in display.screen.waiting_labels.values()]


def show(qtbot, server, language: str):
    display = build_display(DisplaySettings(server=server.url, token=server.display_token,
                                            windowed=True, voice="none", language=language))
    qtbot.addWidget(display.screen)
    display.screen.resize(1920, 1080)
    display.start()
    qtbot.waitUntil(lambda: display.state.connected and len(field_names(display)) == 8,
                    timeout=15_000)
    return display


def test_the_english_hall_shows_the_english_field_names(qtbot, display_font, live_server):
    display = show(qtbot, live_server, "en")
    try:
        names = field_names(display)
        assert "Certification" in names and "Justice – Civil status" in names
        assert "Chứng thực" not in names
    finally:
        display.stop()
    display = show(qtbot, live_server, "vi")
    try:
        assert "Chứng thực" in field_names(display) and "Certification" not in field_names(display)
    finally:
        display.stop()


def test_a_field_without_an_english_name_keeps_its_vietnamese_one():
    assert ServiceView(1, "Chứng thực", "CT", "").label("en") == "Chứng thực"
    assert ServiceView(1, "Chứng thực", "CT", "Certification").label("en") == "Certification"
    assert ServiceView(1, "Chứng thực", "CT", "Certification").label("vi") == "Chứng thực"

