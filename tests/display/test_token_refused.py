"""A hall display whose token the server does not know says so at the top of the screen
("Mã thiết bị không hợp lệ — báo kỹ thuật viên"), not "Mất kết nối". Real `layso server`."""

from __future__ import annotations

from layso.counter_display.app import build_display
from layso.counter_display.settings import DisplaySettings
from layso.counter_display.texts import EN, VI
from tests.display.pixels import ocr, to_pil
from tests.printer.pictures import similarity

WRONG = "not-a-token-this-server-made-0123"


def start(qtbot, server_url: str, token: str, language: str = "vi", counter: int | None = None):
    settings = DisplaySettings(server=server_url, token=token, windowed=True, voice="none",
                               language=language, counter=counter)
    display = build_display(settings)
    qtbot.addWidget(display.screen)
    display.screen.resize(1280, 720)
    display.start()
    return display


def test_a_hall_display_with_a_wrong_token_says_its_token_is_invalid(
        qtbot, display_font, live_server, output_dir):
    display = start(qtbot, live_server.url, WRONG)
    try:
        mark = display.screen.mark
        qtbot.waitUntil(lambda: display.state.token_refused and mark.isVisible(), timeout=15_000)
        assert mark.text() == f"● {VI.token_refused}"
        assert VI.disconnected not in mark.text()
        picture = display.screen.grab()
        picture.save(str(output_dir / "display-token-refused-1280x720.png"))
        box = mark.geometry()
        assert 0 <= box.left() and box.right() < display.screen.width(), "the mark is cut off"
        read = ocr(to_pil(picture.copy(box)), lang="vie")
        assert read is not None, "tesseract is not installed (tools/setup.sh --test)"
        assert similarity(VI.token_refused, read) > 0.8, read
    finally:
        display.stop()


def test_a_counter_screen_in_english_with_a_wrong_token_says_so_in_english(
        qtbot, display_font, live_server):
    display = start(qtbot, live_server.url, WRONG, language="en", counter=3)
    try:
        qtbot.waitUntil(lambda: display.state.token_refused, timeout=15_000)
        qtbot.waitUntil(lambda: display.screen.mark.isVisible(), timeout=2_000)
        assert display.screen.mark.text() == f"● {EN.token_refused}"
    finally:
        display.stop()


def test_the_right_token_clears_the_mark_and_a_lost_server_reads_disconnected(
        qtbot, display_font, live_server):
    display = start(qtbot, live_server.url, live_server.display_token)
    try:
        qtbot.waitUntil(lambda: display.state.connected, timeout=15_000)
        assert not display.state.token_refused and not display.screen.mark.isVisible()
        live_server.kill()
        qtbot.waitUntil(lambda: display.screen.mark.isVisible(), timeout=15_000)
        assert display.screen.mark.text() == f"● {VI.disconnected}"
    finally:
        display.stop()
