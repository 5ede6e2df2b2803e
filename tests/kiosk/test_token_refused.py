"""A kiosk whose token the server does not know says so, instead of "Hệ thống đang tạm gián
đoạn": the technician standing there learns what to fix. Against a real `layso server`."""

from __future__ import annotations

import sqlite3

from layso.kiosk import messages as m
from layso.kiosk.state import Screen
from tests.display.pixels import ocr, to_pil
from tests.printer.pictures import similarity

WAIT_MS = 15_000
WRONG = "not-a-token-this-server-made-0123"
REFUSED_VI = "Mã thiết bị không hợp lệ — báo kỹ thuật viên"
REFUSED_EN = "Invalid device token — call the technician"


def test_a_kiosk_with_a_wrong_token_says_its_token_is_invalid(
        qtbot, live_server, make_kiosk, output_dir):
    kiosk = make_kiosk(live_server.url, WRONG)
    qtbot.waitUntil(lambda: kiosk.window.notice.title.text() == REFUSED_VI, timeout=WAIT_MS)
    assert kiosk.state.screen is Screen.NOTICE
    assert kiosk.window.stack.currentWidget() is kiosk.window.notice
    # it keeps asking (every 3 s while offline) and keeps saying the same, not "gián đoạn"
    qtbot.wait(3500)
    assert kiosk.window.notice.title.text() == REFUSED_VI
    assert m.text("server_down") not in kiosk.window.notice.title.text()
    picture = kiosk.window.grab()
    picture.save(str(output_dir / "kiosk-token-refused-1280x800.png"))
    read = ocr(to_pil(picture), lang="vie")  # the words are on the screen, not only in a label
    assert read is not None, "tesseract is not installed (tools/setup.sh --test)"
    assert similarity(REFUSED_VI, read) > 0.8, read
    assert similarity(m.text("server_down"), read) < 0.5, read
    kiosk.state.toggle_language()
    assert kiosk.window.notice.title.text() == REFUSED_EN


def test_a_kiosk_whose_token_is_revoked_says_so_after_the_server_restarts(
        qtbot, live_server, make_kiosk):
    kiosk = make_kiosk(live_server.url, live_server.kiosk_token)
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.HOME, timeout=WAIT_MS)
    live_server.stop()
    qtbot.waitUntil(lambda: kiosk.window.notice.title.text() == m.text("server_down"),
                    timeout=WAIT_MS)
    # the admin revokes the kiosk while the server is down (what the admin page stores)
    with sqlite3.connect(live_server.data_dir / "layso.db") as db:
        assert db.execute("UPDATE devices SET revoked = 1 WHERE name = 'kiosk-sanh'").rowcount == 1
    live_server.start()
    qtbot.waitUntil(lambda: kiosk.window.notice.title.text() == REFUSED_VI, timeout=20_000)
    assert kiosk.state.screen is Screen.NOTICE
