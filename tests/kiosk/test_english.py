"""A citizen who chooses English: the fields' English names from the office's config, and a
ticket in English — "Go to counter 2 or 6", the wording of the screen and the paper alike.

Against a real `layso server` on the bundled config (Chứng thực / Certification is served at
counters 2 and 6), printing on the virtual printer, whose PNG is read back by OCR.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt

from layso.kiosk import messages as m
from layso.kiosk.state import PrintState, Screen
from layso.ticket_printer import messages as ticket_words
from tests.printer.pictures import ocr_lines, read_in_order

WAIT_MS = 15_000


def shown(text: str) -> str:
    """A label's words as a reader sees them (no-break spaces and wraps are spaces)."""
    return " ".join(text.replace("\u00a0", " ").split())


def button_for(kiosk, code: str):
    service = next(s for s in kiosk.state.services if s.code == code)
    return next(b for b in kiosk.window.home.buttons if b.service_id == service.id)


@pytest.mark.parametrize(("numbers", "vi", "en"), [
    ([3], "Mời đến: Quầy 3", "Go to counter 3"),
    ([2, 6], "Mời đến: Quầy 2 hoặc 6", "Go to counter 2 or 6"),
    ([2, 5, 6], "Mời đến: Quầy 2, 5 hoặc 6", "Go to counter 2, 5 or 6"),
])
def test_the_counters_are_worded_once_for_screen_and_paper(numbers, vi, en):
    assert ticket_words.counters_line(numbers, "vi") == m.counters_text(numbers, m.VI) == vi
    assert ticket_words.counters_line(numbers, "en") == m.counters_text(numbers, m.EN) == en


def test_in_english_the_kiosk_shows_english_names_and_prints_an_english_ticket(
        qtbot, live_server, make_kiosk, tmp_path, output_dir):
    tickets = tmp_path / "tickets"
    kiosk = make_kiosk(live_server.url, live_server.kiosk_token, f"preview:{tickets}")
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.HOME and bool(kiosk.window.home.buttons),
                    timeout=WAIT_MS)
    assert shown(button_for(kiosk, "CT").name.text()) == "Chứng thực"
    qtbot.mouseClick(kiosk.window.home.language, Qt.MouseButton.LeftButton)
    assert shown(button_for(kiosk, "CT").name.text()) == "Certification"
    assert shown(button_for(kiosk, "VX").name.text()) == "Culture – Education – Health"

    qtbot.mouseClick(button_for(kiosk, "CT"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.state.ticket is not None
                    and kiosk.state.ticket.print_state is PrintState.PRINTED, timeout=WAIT_MS)
    screen = kiosk.window.confirmation
    assert shown(screen.service.text()) == "Certification"
    assert screen.counters.text() == "Go to counter 2 or 6"
    issued = datetime.fromisoformat(kiosk.state.ticket.ticket["issued_at"])

    files = sorted(tickets.glob("*.png"))
    assert len(files) == 1
    # named in the office's time, as the ticket shows it (this PC may well run on UTC)
    assert files[0].name == f"ticket-{issued:%Y%m%d-%H%M%S}-001.png"
    paper = Image.open(files[0])
    paper.save(output_dir / "kiosk-ticket-english.png")
    read_in_order(["Certification", f"Taken at: {issued:%H:%M} – {issued:%d/%m/%Y}",
                   "People ahead of you: 0", "Go to counter 2 or 6"], ocr_lines(paper))


def test_in_vietnamese_the_same_field_reads_quay_2_hoac_6(qtbot, live_server, make_kiosk,
                                                          tmp_path):
    kiosk = make_kiosk(live_server.url, live_server.kiosk_token, f"preview:{tmp_path}")
    qtbot.waitUntil(lambda: kiosk.state.screen is Screen.HOME and bool(kiosk.window.home.buttons),
                    timeout=WAIT_MS)
    qtbot.mouseClick(button_for(kiosk, "CT"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.state.ticket is not None
                    and kiosk.state.ticket.print_state is PrintState.PRINTED, timeout=WAIT_MS)
    assert kiosk.window.confirmation.counters.text() == "Mời đến: Quầy 2 hoặc 6"
    issued = datetime.fromisoformat(kiosk.state.ticket.ticket["issued_at"])
    paper = Image.open(next(Path(tmp_path).glob("*.png")))
    read_in_order(["Chứng thực", f"Giờ lấy số: {issued:%H:%M} – {issued:%d/%m/%Y}",
                   "Mời đến: Quầy 2 hoặc 6"], ocr_lines(paper))
