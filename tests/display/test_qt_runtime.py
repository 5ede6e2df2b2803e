"""The hall display runs all day: the Qt binding must not wear Python down.

PySide6 6.12.0 on Python 3.11 drops one reference to None on every call of a method
returning void; after a few thousand label updates Python aborts ("deallocating None").
pyproject.toml keeps PySide6 below 6.12 for that; this test fails if it comes back.
"""

from __future__ import annotations

import sys

from layso.counter_display.widgets import FitLabel


def test_a_day_of_label_updates_keeps_none_alive(qtbot):
    label = FitLabel()
    qtbot.addWidget(label)
    label.resize(400, 100)
    before = sys.getrefcount(None)
    for i in range(20000):   # about ten minutes of a busy hall (clock, ticker, calls)
        label.setText(str(i))
        label.update()
    assert sys.getrefcount(None) >= before - 100
