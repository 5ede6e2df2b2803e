"""Counter and field names that look like markup are drawn as their characters on the hall
and counter screens (Qt would otherwise guess HTML: a broken image, a blank row)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QLabel, QWidget

from layso.counter_display.counter_screen import CounterScreen
from layso.counter_display.hall import HallScreen
from layso.counter_display.state import DisplayState
from layso.counter_display.texts import VI
from layso.counter_display.widgets import BACKGROUND, PANEL
from tests.display.conftest import counter, snapshot
from tests.display.pixels import ink_count, ocr, to_pil

IMG = '"><img src=x onerror=alert(1)>'
SCRIPT = "<script>alert(1)</script>"


def hostile_snapshot() -> dict:
    snap = snapshot(counters=[counter(n) for n in range(1, 4)], last_event_id=1)
    snap["counters"][0]["name"] = SCRIPT
    snap["counters"][1]["name"] = IMG
    snap["services"][0]["name"] = IMG
    snap["services"][1]["name"] = SCRIPT
    snap["office"]["name"] = "<b>UBND</b> xã An"
    return snap


def crop(screen: QWidget, label: QLabel):
    picture = to_pil(screen.grab())
    top_left = label.mapTo(screen, QPoint(0, 0))
    return picture.crop((top_left.x(), top_left.y(), top_left.x() + label.width(),
                         top_left.y() + label.height()))


def expected_ink(label: QLabel, background: str) -> int:
    image = QImage(label.size(), QImage.Format.Format_RGB32)
    image.fill(QColor(background))
    painter = QPainter(image)
    painter.setFont(label.font())
    painter.setPen(QColor("white"))
    painter.drawText(label.contentsRect(), int(label.alignment().value), label.text())
    painter.end()
    return ink_count(to_pil(image), background)


def assert_drawn_literally(screen: QWidget, label: QLabel, background: str, word: str) -> None:
    assert label.textFormat() == Qt.TextFormat.PlainText
    drawn = crop(screen, label)
    want, got = expected_ink(label, background), ink_count(drawn, background)
    assert want > 300 and 0.8 * want <= got <= 1.25 * want, (label.text(), got, want)
    read = ocr(drawn)
    if read is not None:
        assert word in "".join(read.split()).lower(), (label.text(), read)


def test_hall_shows_markup_names_as_text(qtbot, display_font, output_dir):
    state = DisplayState()
    hall = HallScreen(state, VI)
    qtbot.addWidget(hall)
    hall.resize(1920, 1080)
    hall.show()
    qtbot.waitExposed(hall)
    state.apply_snapshot(hostile_snapshot())
    state.set_connected(True)
    qtbot.wait(50)
    hall.grab().save(str(output_dir / "display-hall-names-as-text.png"))
    labels = hall.findChildren(QLabel)
    assert [lb for lb in labels if lb.textFormat() != Qt.TextFormat.PlainText] == []
    assert hall.office_label.text() == "<b>UBND</b> xã An"
    script_row, img_row = hall.counter_rows[1][0], hall.counter_rows[2][0]
    assert (script_row.text(), img_row.text()) == (SCRIPT, IMG)
    assert_drawn_literally(hall, script_row, PANEL, "script")
    assert_drawn_literally(hall, img_row, PANEL, "onerror")
    assert_drawn_literally(hall, hall.waiting_labels[1][0], PANEL, "onerror")
    assert_drawn_literally(hall, hall.waiting_labels[2][0], PANEL, "script")


def test_counter_screen_shows_a_markup_name_as_text(qtbot, display_font, output_dir):
    state = DisplayState()
    screen = CounterScreen(state, VI, counter_number=1)
    qtbot.addWidget(screen)
    screen.resize(640, 360)
    screen.show()
    qtbot.waitExposed(screen)
    state.apply_snapshot(hostile_snapshot())
    state.set_connected(True)
    qtbot.wait(50)
    screen.grab().save(str(output_dir / "display-counter-names-as-text.png"))
    assert [lb for lb in screen.findChildren(QLabel)
            if lb.textFormat() != Qt.TextFormat.PlainText] == []
    assert screen.name_label.text() == SCRIPT
    assert_drawn_literally(screen, screen.name_label, BACKGROUND, "script")
