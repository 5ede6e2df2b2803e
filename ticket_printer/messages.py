"""Every word the printer package prints or shows, Vietnamese first, English beside.

The ticket itself is Vietnamese only; messages for the kiosk and technicians carry both.
"""

from __future__ import annotations

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
COUNTERS = "Mời đến: {counters}"
QR_CAPTION = "Quét mã để xem lượt chờ"

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
