"""Field names wrap between their word groups, never inside one: at 1280×800 "Văn hóa –
Giáo dục – Y tế" must not leave "tế" (or "dục – Y tế") alone on the next line."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QLabel

from layso.kiosk.ui import theme
from tests.kiosk.test_layout import NAMES, build, issue


def wrapped_lines(label: QLabel) -> list[str]:
    """The lines Qt's line breaker makes of the label's text at its font and width."""
    layout = QTextLayout(label.text(), label.font())
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines = []
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(label.contentsRect().width())
        lines.append(label.text()[line.textStart():line.textStart() + line.textLength()])
    layout.endLayout()
    return [line.strip().replace(theme.NO_BREAK, " ") for line in lines]


def word_groups(name: str) -> list[str]:
    """'Văn hóa – Giáo dục – Y tế' → ['Văn hóa', 'Giáo dục', 'Y tế']."""
    return [g.strip() for g in re.split(r"\s[–-]\s|,\s", name) if g.strip()]


def check_breaks(label: QLabel, name: str) -> list[str]:
    lines = wrapped_lines(label)
    assert " ".join(lines) == " ".join(name.split()), (lines, name)
    width = label.fontMetrics()
    for group in word_groups(name):
        fits = width.horizontalAdvance(group) <= label.contentsRect().width()
        words = group.split(" ")
        for line in lines[1:]:
            # a line may start a group, never continue one that fits on a line of its own
            if fits and len(words) > 1:
                assert not any(line.startswith(" ".join(words[i:])) for i in
                               range(1, len(words))), (name, group, lines)
    assert len(lines) == 1 or len(lines[-1].split(" ")) > 1, \
        f"{name!r}: the last line is the single word {lines[-1]!r}"
    return lines


def test_at_1280x800_no_name_breaks_inside_a_word_group(qtbot):
    window, state = build(qtbot, (1280, 800))
    seen = {}
    for button, name in zip(window.home.buttons, NAMES, strict=True):
        seen[name] = check_breaks(button.name, name)
    assert len(seen["Văn hóa – Giáo dục – Y tế"]) == 2, "it does wrap at this size"
    assert seen["Văn hóa – Giáo dục – Y tế"][-1] != "tế"
    issue(state)   # the confirmation names the field too
    window.render()
    service = window.confirmation.service
    assert check_breaks(service, service.text().replace(theme.NO_BREAK, " "))[0] \
        .startswith("Lao động,")


def test_a_group_too_long_for_a_line_still_keeps_its_last_two_words(qapp):
    from PySide6.QtGui import QFont

    font = theme.font(40, QFont.Weight.Bold)
    text = theme.keep_word_groups("Nông nghiệp và Phát triển nông thôn", font, 300)
    assert text.endswith("nông" + theme.NO_BREAK + "thôn") and " " in text
    assert theme.keep_word_groups("Văn hóa – Y tế", font, 2000) == \
        "Văn\u00a0hóa\u00a0– Y\u00a0tế"
