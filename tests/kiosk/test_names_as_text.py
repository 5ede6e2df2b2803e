"""A field named like markup is shown as those very characters, never as HTML.

Qt guesses the format of a label's text: `"><img src=x onerror=…>` would show a broken
image and `<script>…` nothing at all. The tiles are rendered and measured.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QLabel

from layso.kiosk.app import make_app
from layso.kiosk.state import KioskState
from layso.kiosk.ui import theme
from layso.kiosk.ui.window import KioskWindow
from tests.display.pixels import ink_count, ocr, to_pil

IMG = '"><img src=x onerror=alert(1)>'
SCRIPT = "<script>alert(1)</script>"
BOLD_TAG = "<b>Hộ tịch</b>"
NAMES = [IMG, SCRIPT, BOLD_TAG, "Chứng thực"]


def expected_ink(label: QLabel, background: str, ink: str) -> int:
    """The ink of the label's text drawn literally, with its font, wrap and alignment."""
    image = QImage(label.size(), QImage.Format.Format_RGB32)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setFont(label.font())
    painter.setPen(QColor(ink))
    flags = label.alignment() | (Qt.TextFlag.TextWordWrap if label.wordWrap()
                                 else Qt.AlignmentFlag(0))
    painter.drawText(label.contentsRect(), int(flags.value), label.text())
    painter.end()
    return ink_count(to_pil(image), background)


def test_field_names_like_markup_are_drawn_as_their_characters(qtbot, output_dir):
    make_app()
    state = KioskState()
    state.set_office({"name": "<i>UBND</i> xã <u>An</u>", "unit": "<h1>Trung tâm</h1>",
                      "timezone": "Asia/Ho_Chi_Minh"})
    state.set_services([{"id": i + 1, "code": f"S{i}", "name": name, "waiting": 2,
                         "estimated_wait_s": 600, "available": True, "open": True}
                        for i, name in enumerate(NAMES)])
    state.set_online(True)
    window = KioskWindow(state)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.render()
    qtbot.wait(20)
    window.grab().save(str(output_dir / "kiosk-names-as-text-1280x800.png"))

    # every label of every page, the technician's too, takes its text literally
    labels = window.findChildren(QLabel)
    assert labels and [lb for lb in labels if lb.textFormat() != Qt.TextFormat.PlainText] == []
    assert window.home.header.office.text() == "<i>UBND</i> xã <u>An</u>"

    for button, name in zip(window.home.buttons, NAMES, strict=True):
        label = button.name
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert label.text().replace(theme.NO_BREAK, " ") == name
        tile = to_pil(button.grab())
        tile.save(output_dir / f"kiosk-tile-{button.service_id}.png")
        box = label.geometry()
        drawn = tile.crop((box.x(), box.y(), box.x() + box.width(), box.y() + box.height()))
        want = expected_ink(label, theme.SERVICE, "white")
        got = ink_count(drawn, theme.SERVICE)
        # markup would leave the tile blank (<script>) or a few marks and an icon (<img>)
        assert want > 500 and 0.8 * want <= got <= 1.25 * want, (name, got, want)
        read = ocr(drawn)
        if read is not None:
            squeezed = "".join(read.split()).lower()
            word = {IMG: "onerror", SCRIPT: "script", BOLD_TAG: "<b>"}.get(name)
            if word is not None:
                assert word in squeezed, (name, read)
