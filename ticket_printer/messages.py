"""Every word the printer package prints or shows, Vietnamese first, English beside.

The ticket is Vietnamese, or English for a citizen who chose English at the kiosk (the
office's own words — its name, a field without an English name, priority categories, the
footer — stay as the office wrote them); messages for technicians carry both languages.
"""

from __future__ import annotations

from collections.abc import Sequence

# code -> (Vietnamese, English)
PRINTER_MESSAGES: dict[str, tuple[str, str]] = {
    "ok": ("Máy in sẵn sàng", "Printer ready"),
    "unknown": ("Kết nối này không đọc được trạng thái máy in",
                "This connection cannot read the printer's status"),
    "paper_near_end": ("Máy in sắp hết giấy", "Printer paper is running low"),
    "paper_out": ("Máy in hết giấy", "Printer out of paper"),
    "cover_open": ("Nắp máy in đang mở", "Printer cover open"),
    "offline": ("Máy in đang tạm ngừng (không sẵn sàng)", "Printer is offline"),
    "printer_error": ("Máy in báo lỗi (dao cắt hoặc lỗi cơ khí)",
                      "Printer reports an error (cutter or mechanism)"),
    "no_answer": ("Máy in không phản hồi", "Printer not responding"),
    "connection_failed": ("Không kết nối được với máy in", "Cannot connect to the printer"),
    "write_failed": ("Gửi dữ liệu đến máy in bị lỗi", "Sending data to the printer failed"),
    "bad_uri": ("Địa chỉ máy in không hợp lệ", "Invalid printer address"),
    "unsupported": ("Kiểu kết nối máy in này không dùng được trên máy này",
                    "This kind of printer connection is not available on this machine"),
}

# Ticket lines.
PRIORITY_MARK = "ƯU TIÊN"
ISSUED_AT = "Giờ lấy số: {time} – {date}"
WAITING_AHEAD = "Số người đang chờ trước bạn: {n}"
ESTIMATED_WAIT = "Thời gian chờ dự kiến: {wait}"
WAIT_MINUTES = "khoảng {m} phút"
WAIT_HOURS = "khoảng {h} giờ {m} phút"
WAIT_WHOLE_HOURS = "khoảng {h} giờ"
WAIT_UNDER_A_MINUTE = "dưới 1 phút"
# the same waits on the kiosk's English screen: one wording for the screen and the ticket
WAIT_EN = {WAIT_MINUTES: "about {m} min", WAIT_HOURS: "about {h} h {m} min",
           WAIT_WHOLE_HOURS: "about {h} h", WAIT_UNDER_A_MINUTE: "under 1 min"}
COUNTERS = "Mời đến: Quầy {counters}"
QR_CAPTION = "Quét mã để xem lượt chờ"
# The ticket's lines for a citizen who chose English (keys: the Vietnamese lines above).
TICKET_EN = {PRIORITY_MARK: "PRIORITY", ISSUED_AT: "Taken at: {time} – {date}",
             WAITING_AHEAD: "People ahead of you: {n}", ESTIMATED_WAIT: "Estimated wait: {wait}",
             COUNTERS: "Go to counter {counters}", QR_CAPTION: "Scan to follow your turn"}
OR = {"vi": "hoặc", "en": "or"}

# Test page.
TEST_TITLE = "TRANG IN THỬ – LaySo"
TEST_WIDTH = "Khổ in: {dots} điểm ({mm} mm)"
TEST_ALPHABET_TITLE = "Bảng chữ cái và dấu thanh:"
TEST_SAMPLE_TITLE = "Phiếu mẫu:"
TEST_STATUS = "Trạng thái: {status}"
TEST_QR_CAPTION = "Mã QR thử"


def wait_text(seconds: int, lang: str = "vi") -> str:
    minutes = -(-seconds // 60)  # round up: "about 1 minute" beats "0 minutes"
    if seconds <= 0:
        template = WAIT_UNDER_A_MINUTE
    else:
        template = (WAIT_MINUTES if minutes < 60 else
                    WAIT_WHOLE_HOURS if minutes % 60 == 0 else WAIT_HOURS)
    return (WAIT_EN[template] if lang == "en" else template).format(
        m=minutes if minutes < 60 else minutes % 60, h=minutes // 60)


def ticket_line(template: str, lang: str = "vi") -> str:
    """A ticket line's template in the citizen's language."""
    return TICKET_EN.get(template, template) if lang == "en" else template


def counters_line(numbers: Sequence[object], lang: str = "vi") -> str:
    """Where to go, the one wording of the ticket and the kiosk's screen:
    'Mời đến: Quầy 2 hoặc 6', 'Go to counter 2, 5 or 6'."""
    items = [str(n) for n in numbers]
    listed = (f"{', '.join(items[:-1])} {OR['en' if lang == 'en' else 'vi']} {items[-1]}"
              if len(items) > 1 else "".join(items))
    return ticket_line(COUNTERS, lang).format(counters=listed)

# Technician command line: "Vietnamese (English)".
CLI_PRINTED = "Đã in trang thử tới {uri} (test page sent)"
CLI_WROTE = "Đã ghi {path} (written)"
CLI_NONE_FOUND = "Không thấy máy in nào được cắm vào (no printers found)"
CLI_NETWORK_HINT = ("Máy in mạng không tự liệt kê được: in trang tự kiểm tra của máy để xem "
                    "địa chỉ IP, rồi dùng tcp://IP:9100 (network printers: use tcp://IP:9100)")
CLI_DETAIL = "Chi tiết (detail): {detail}"


def bilingual(code: str) -> str:
    vi, en = PRINTER_MESSAGES.get(code, (code, code))
    return f"{vi} ({en})"
