"""Every screen at the three sizes offices use, photographed and checked for what goes wrong
on a kiosk: text cut off, text under 28 px, buttons too small, overlapping or off screen."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from itertools import combinations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from layso.kiosk import messages as m
from layso.kiosk.app import make_app
from layso.kiosk.backend import to_qimage
from layso.kiosk.state import KioskState, Problem
from layso.kiosk.ui import theme
from layso.kiosk.ui.window import KioskWindow
from layso.ticket_printer import TicketData, render_ticket

SIZES = [(1920, 1080), (1080, 1920), (1280, 800)]
MIN_BUTTON_MM = 20

OFFICE = {"name": "UBND phường Sài Gòn", "unit": "Trung tâm Phục vụ hành chính công",
          "timezone": "Asia/Ho_Chi_Minh",
          "ticket": {"footer": "Cảm ơn công dân đã đến làm thủ tục."},
          "priority_categories": [
              {"code": "NCT", "name": "Người cao tuổi (từ 75 tuổi)"},
              {"code": "NKT", "name": "Người khuyết tật"},
              {"code": "PNMT", "name": "Phụ nữ mang thai, người có con dưới 6 tuổi"},
              {"code": "NCC", "name": "Người có công với cách mạng"}]}
NAMES = ["Tư pháp – Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng",
         "Lao động, người có công và xã hội", "Đăng ký kinh doanh hộ",
         "Nông nghiệp và Môi trường", "Văn hóa – Giáo dục – Y tế",
         "Tài chính – Kế hoạch – Đầu tư", "Nội vụ, thi đua – khen thưởng và tôn giáo"]
# ten services, the most a commune has: one capped, one past its cut-off
SERVICES = [{"id": i + 1, "code": f"S{i}", "name": name, "waiting": 12 * i,
             "estimated_wait_s": 480 * i + 240, "open": True, "available": i not in (3, 5),
             "unavailable_reason": {3: "cutoff", 5: "capped"}.get(i),
             "unavailable_message": {3: "Lĩnh vực Xây dựng đã hết giờ lấy số hôm nay",
                                     5: "Lĩnh vực Đăng ký kinh doanh hộ đã hết số hôm nay"
                                     }.get(i),
             "counters": [i % 6 + 1, (i + 3) % 6 + 1]} for i, name in enumerate(NAMES)]
TICKET = {"id": 42, "number": "5017", "service_id": 5, "service_name": NAMES[4],
          "priority": "NCT", "priority_name": "Người cao tuổi (từ 75 tuổi)",
          "waiting_ahead": 16, "estimated_wait_s": 2400, "status": "waiting",
          "issued_at": datetime(2026, 11, 23, 8, 15, tzinfo=timezone(timedelta(hours=7)))
          .isoformat()}


def build(qtbot, size: tuple[int, int]) -> tuple[KioskWindow, KioskState]:
    make_app()
    state = KioskState()
    state.set_office(OFFICE)
    state.set_services(SERVICES)
    state.set_online(True)
    window = KioskWindow(state)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.render()
    return window, state


def issue(state: KioskState) -> None:
    state.open_priority()
    state.pick_category("NCT")
    request = state.tap_service(5)
    state.ticket_issued(request, TICKET)
    image = render_ticket(TicketData.from_api(TICKET, OFFICE, ["Quầy 5", "Quầy 2"]), 576)
    state.set_preview(42, to_qimage(image))


def visible(window: QWidget, kind: type) -> list:
    page = window.stack.currentWidget()
    return [w for w in page.findChildren(kind) if w.isVisibleTo(window)]


def window_rect(window: QWidget, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def check_screen(window: KioskWindow, name: str) -> None:
    labels = [w for w in visible(window, QLabel) if w.text()]
    assert labels, f"{name}: nothing to read"
    for label in labels:
        assert theme.text_fits(label), f"{name}: {label.text()!r} is cut off in {label.size()}"
        assert label.font().pixelSize() >= theme.MIN_TEXT_PX, f"{name}: {label.text()!r} too small"
    screen = QRect(0, 0, window.width(), window.height())
    # the service buttons hold labels, the others their own text
    buttons = [b for b in visible(window, QPushButton)]
    min_px = MIN_BUTTON_MM / 25.4 * window.screen().physicalDotsPerInch()
    for button in buttons:
        rect = window_rect(window, button)
        assert screen.contains(rect), f"{name}: {button.text()!r} {rect} is off the screen"
        assert rect.height() >= min_px, f"{name}: {button.text()!r} is {rect.height()} px high"
        if button.text():
            width = button.fontMetrics().horizontalAdvance(button.text())
            assert width <= rect.width() - 24, f"{name}: {button.text()!r} does not fit"
            assert button.font().pixelSize() >= theme.MIN_TEXT_PX
    for a, b in combinations(buttons, 2):
        assert not window_rect(window, a).intersects(window_rect(window, b)), \
            f"{name}: {a.text()!r} overlaps {b.text()!r}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_lays_out_cleanly(qtbot, output_dir, size):
    window, state = build(qtbot, size)
    tag = f"{size[0]}x{size[1]}"

    def shoot(name: str) -> None:
        window.render()
        qtbot.wait(20)
        check_screen(window, f"{name} {tag}")
        assert window.grab().save(str(output_dir / f"kiosk-{name}-{tag}.png"))

    assert len(window.home.buttons) == 10
    assert window.home.buttons[3].isEnabled() is False
    assert window.home.buttons[5].info.text() == "Đã hết số hôm nay"
    shoot("home")
    state.toggle_language()
    shoot("home-en")
    state.toggle_language()
    state.open_priority()
    shoot("priority")
    state.cancel_priority()
    issue(state)
    shoot("confirmation")
    assert window.confirmation.number.text() == "5017"
    state.print_failed(42, Problem("paper_out", "Máy in hết giấy", "Printer out of paper"))
    shoot("print-failed")
    state.dismiss()
    shoot("notice-printer")
    state.set_printer_problem(None)
    state.set_online(False)
    shoot("notice-server")
    assert window.notice.title.text() == m.text("server_down")
