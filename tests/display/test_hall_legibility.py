"""What the hall TV really draws, measured in its picture: the scrolling notice fully
inside its band, and the per-field waiting list large enough to read from 10 m."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

from layso.counter_display.hall import HallScreen
from layso.counter_display.state import DisplayState
from layso.counter_display.texts import VI
from layso.counter_display.widgets import PANEL, TEXT
from tests.display.pixels import ink_rows, to_pil
from tests.display.test_screens import busy_state

SIZES = [(1920, 1080), (1280, 720)]
WAITING_PX_AT_1080 = 40   # ~18 mm capitals on a 55" TV: readable from 10 m


def shown_hall(qtbot, size: tuple[int, int]) -> HallScreen:
    state = DisplayState()
    hall = HallScreen(state, VI)
    qtbot.addWidget(hall)
    hall.resize(*size)
    hall.show()
    qtbot.waitExposed(hall)
    busy_state(state)
    state.set_connected(True)
    qtbot.wait(50)
    return hall


def band_rows(picture, band: QRect) -> int:
    """How many rows of the picture show the band's colour within the band's columns."""
    panel = QColor(PANEL)
    colour = (panel.red(), panel.green(), panel.blue())
    strip = picture.crop((band.x(), max(0, band.y() - 2), band.x() + band.width(),
                          min(picture.height, band.y() + band.height() + 2)))
    data = strip.load()
    return sum(1 for y in range(strip.height)
               if any(data[x, y] == colour for x in range(0, strip.width, 3)))


def unclipped_text_rows(ticker) -> int:
    """The height of the ink the visible notice has when nothing clips it."""
    tall = ticker.height() * 3
    image = QImage(ticker.width(), tall, QImage.Format.Format_RGB32)
    image.fill(QColor(PANEL))
    painter = QPainter(image)
    painter.setFont(ticker.font())
    painter.setPen(QColor(TEXT))
    painter.drawText(QRectF(ticker.offset, 0, 100000, tall),
                     int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), ticker.text)
    painter.end()
    rows = ink_rows(to_pil(image), PANEL)
    return rows[-1] - rows[0] + 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_scrolling_notice_is_whole_inside_its_band(qtbot, display_font, output_dir, size):
    hall = shown_hall(qtbot, size)
    ticker = hall.ticker
    band = QRect(ticker.mapTo(hall, QPoint(0, 0)), ticker.size())
    picture = to_pil(hall.grab())
    picture.save(output_dir / f"display-hall-notice-{size[0]}x{size[1]}.png")
    unit = min(size) / 1080
    assert band.height() >= int(72 * unit) - 1
    # the band's colour is on screen over the band's whole height, not a sliver of it
    assert band_rows(picture, band) >= band.height() - 1, (band, band_rows(picture, band))
    inside = picture.crop((band.x(), band.y(), band.x() + band.width(),
                           min(picture.height, band.y() + band.height())))
    rows = ink_rows(inside, PANEL)
    assert rows, "no notice text on screen"
    drawn = rows[-1] - rows[0] + 1
    expected = unclipped_text_rows(ticker)
    assert expected >= 0.4 * band.height(), "the notice's letters are big for its band"
    assert drawn >= expected - 1, f"{drawn} of {expected} rows of letters are visible"
    assert rows[0] > 0 and rows[-1] < band.height() - 1, "letters touch the band's edge"


def test_the_waiting_list_is_readable_from_ten_metres(qtbot, display_font, output_dir):
    hall = shown_hall(qtbot, (1920, 1080))
    picture = to_pil(hall.grab())
    picture.save(output_dir / "display-hall-waiting-1920x1080.png")
    names = [name for name, _ in hall.waiting_labels.values()]
    assert len(names) == 8
    for label in names + [count for _, count in hall.waiting_labels.values()]:
        assert label.font().pixelSize() >= WAITING_PX_AT_1080, (label.text(), label.font())
        # measured: the letters drawn are as tall as the same text in 40 px type
        reference = QFont(label.font())
        reference.setPixelSize(WAITING_PX_AT_1080)
        want = QFontMetrics(reference).tightBoundingRect(label.text()).height()
        top_left = label.mapTo(hall, QPoint(0, 0))
        cell = picture.crop((top_left.x(), top_left.y(), top_left.x() + label.width(),
                             top_left.y() + label.height()))
        rows = ink_rows(cell, PANEL)
        assert rows and rows[-1] - rows[0] + 1 >= want - 1, (label.text(), rows[:1], want)
