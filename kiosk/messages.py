"""Every word the kiosk shows, in Vietnamese (default) and English.

Words follow the office glossary (shared/GLOSSARY.md). Text is NFC; look it up with
`text(key, lang, **values)`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from layso.ticket_printer import messages as ticket_words

VI = "vi"
EN = "en"

_MESSAGES: dict[str, dict[str, str]] = {
    "choose_service": {VI: "Mời chọn lĩnh vực", EN: "Please choose a field"},
    "priority_button": {VI: "Ưu tiên", EN: "Priority"},
    "priority_hint": {VI: "Người cao tuổi, khuyết tật, mang thai…",
                      EN: "Older people, disabilities, pregnancy…"},
    "choose_priority": {VI: "Ưu tiên: mời chọn đối tượng", EN: "Priority: please choose"},
    "priority_banner": {VI: "Ưu tiên: {category}", EN: "Priority: {category}"},
    "back": {VI: "Quay lại", EN: "Back"},
    "switch_language": {VI: "English", EN: "Tiếng Việt"},
    "waiting": {VI: "Đang chờ: {n}", EN: "Waiting: {n}"},
    "your_number": {VI: "Số của bạn là", EN: "Your number is"},
    "people_ahead": {VI: "Số người đang chờ trước bạn: {n}", EN: "People ahead of you: {n}"},
    "estimated_wait": {VI: "Thời gian chờ dự kiến: {wait}", EN: "Estimated wait: {wait}"},
    "printing": {VI: "Đang in phiếu…", EN: "Printing your ticket…"},
    "take_ticket": {VI: "Xin mời nhận phiếu", EN: "Please take your ticket"},
    "no_printer": {VI: "Xin ghi nhớ số của bạn", EN: "Please remember your number"},
    "print_failed": {
        VI: "Không in được phiếu. Xin ghi nhớ số {number} và báo cán bộ tại quầy.",
        EN: "The ticket could not be printed. Please remember number {number} "
            "and tell the staff at the counter.",
    },
    "noted": {VI: "Tôi đã ghi nhớ số", EN: "I have noted my number"},
    "touch_to_close": {VI: "Chạm vào màn hình để quay lại", EN: "Touch the screen to go back"},
    "server_down": {VI: "Hệ thống đang tạm gián đoạn, xin vui lòng chờ trong giây lát",
                    EN: "The system is temporarily unavailable, please wait a moment"},
    "connecting": {VI: "Đang kết nối hệ thống…", EN: "Connecting…"},
    "token_refused": {VI: "Mã thiết bị không hợp lệ — báo kỹ thuật viên",
                      EN: "Invalid device token — call the technician"},
    "printer_wait": {VI: "Xin vui lòng chờ cán bộ hỗ trợ trong giây lát",
                     EN: "Please wait a moment, staff will help you"},
    "issue_failed": {VI: "Chưa lấy được số, xin vui lòng thử lại",
                     EN: "Could not take a number, please try again"},
    "not_configured": {VI: "Máy lấy số chưa được cài đặt. Xin báo cán bộ kỹ thuật.",
                       EN: "This kiosk is not set up yet. Please call a technician."},
    # printer problems (PrinterError.code) when the printer package gives no text
    "printer.paper_out": {VI: "Máy in hết giấy", EN: "Printer out of paper"},
    "printer.cover_open": {VI: "Nắp máy in đang mở", EN: "Printer cover open"},
    "printer.offline": {VI: "Máy in không phản hồi", EN: "Printer not responding"},
    "printer.no_answer": {VI: "Máy in không phản hồi", EN: "Printer not responding"},
    "printer.connection_failed": {VI: "Không kết nối được máy in",
                                  EN: "Cannot connect to the printer"},
    "printer.other": {VI: "Máy in gặp sự cố", EN: "Printer problem"},
    # why a service cannot be chosen (GET /services unavailable_reason)
    "reason.closed": {VI: "Tạm ngừng tiếp nhận", EN: "Not taking numbers now"},
    "reason.capped": {VI: "Đã hết số hôm nay", EN: "No more numbers today"},
    "reason.cutoff": {VI: "Đã hết giờ lấy số", EN: "Past today's last number time"},
    "reason.no_counter": {VI: "Chưa có quầy tiếp nhận", EN: "No counter open"},
    "reason.outside_hours": {VI: "Ngoài giờ tiếp nhận", EN: "Outside reception hours"},
    "reason.other": {VI: "Tạm thời không lấy số được", EN: "Not available now"},
    # technician screens
    "pin_title": {VI: "Kỹ thuật viên: nhập mã PIN", EN: "Technician: enter PIN"},
    "pin_new": {VI: "Đặt mã PIN kỹ thuật viên (4–8 chữ số)",
                EN: "Set the technician PIN (4–8 digits)"},
    "pin_repeat": {VI: "Nhập lại mã PIN", EN: "Repeat the PIN"},
    "pin_wrong": {VI: "Mã PIN không đúng", EN: "Wrong PIN"},
    "pin_mismatch": {VI: "Hai lần nhập không khớp", EN: "The two PINs differ"},
    "pin_locked": {VI: "Nhập sai quá nhiều lần. Thử lại sau {s} giây.",
                   EN: "Too many wrong PINs. Try again in {s} s."},
    "ok": {VI: "Đồng ý", EN: "OK"},
    "cancel": {VI: "Hủy", EN: "Cancel"},
    "clear": {VI: "Xóa", EN: "Clear"},
    "settings_title": {VI: "Cài đặt máy lấy số", EN: "Kiosk settings"},
    "server_url": {VI: "Địa chỉ máy chủ", EN: "Server URL"},
    "device_token": {VI: "Mã thiết bị (token)", EN: "Device token"},
    "printer_uri": {VI: "Máy in (URI)", EN: "Printer URI"},
    "paper_width": {VI: "Khổ giấy", EN: "Paper width"},
    "printer_status": {VI: "Trạng thái máy in", EN: "Printer status"},
    "check_printer": {VI: "Kiểm tra máy in", EN: "Check printer"},
    "test_print": {VI: "In thử", EN: "Test print"},
    "reprint": {VI: "In lại phiếu số {number}", EN: "Reprint ticket {number}"},
    "reprint_none": {VI: "Chưa có phiếu để in lại", EN: "No ticket to reprint"},
    "save": {VI: "Lưu", EN: "Save"},
    "exit_kiosk": {VI: "Thoát chế độ kiosk", EN: "Exit kiosk mode"},
    "printer_ready": {VI: "Máy in sẵn sàng", EN: "Printer ready"},
    "printer_none": {VI: "Chưa cấu hình máy in", EN: "No printer configured"},
    "checking": {VI: "Đang kiểm tra…", EN: "Checking…"},
    "saved": {VI: "Đã lưu", EN: "Saved"},
    # the settings file (kiosk.json), the technician's page and `layso kiosk` flags
    "settings.type": {VI: "khóa '{name}' phải là {want_vi}, không phải {value}",
                      EN: "key '{name}' must be {want_en}, not {value}"},
    "settings.url": {VI: "khóa 'server_url' phải là địa chỉ http:// hoặc https://, "
                         "không phải {value}",
                     EN: "key 'server_url' must be an http:// or https:// address, "
                         "not {value}"},
    "settings.paper_width": {VI: "khóa 'paper_width' phải là 384 hoặc 576, không phải {value}",
                             EN: "key 'paper_width' must be 384 or 576, not {value}"},
    "settings.pin": {VI: "khóa 'technician_pin': mã PIN phải gồm 4 đến 8 chữ số",
                     EN: "key 'technician_pin': the PIN must be 4 to 8 digits"},
    "settings.unknown": {VI: "khóa lạ '{name}' (các khóa dùng được: {known})",
                         EN: "unknown key '{name}' (known: {known})"},
    "settings.unreadable": {VI: "không đọc được tệp JSON ({detail})",
                            EN: "not a readable JSON file ({detail})"},
    "settings.not_object": {VI: "tệp phải chứa một đối tượng JSON {{…}}",
                            EN: "expected a JSON object {{…}}"},
    "type.str": {VI: "chuỗi văn bản", EN: "text (a JSON string)"},
    "type.int": {VI: "số nguyên", EN: "a whole number"},
}

WEEKDAYS = {
    VI: ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"],
    EN: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


def text(key: str, lang: str = VI, **values: object) -> str:
    """The message `key` in `lang` (Vietnamese when the language is unknown)."""
    entry = _MESSAGES[key]
    template = entry.get(lang) or entry[VI]
    return unicodedata.normalize("NFC", template.format(**values))


def both(message: str, **values: object) -> str:
    """The message in Vietnamese, then English in brackets (for technicians' errors)."""
    return f"{text(message, VI, **values)} ({text(message, EN, **values)})"


def has(key: str) -> bool:
    return key in _MESSAGES


def wait_text(seconds: float | None, lang: str = VI) -> str:
    """An estimated wait in the words the ticket prints ('dưới 1 phút', 'khoảng 15 phút'):
    the printer's catalogue decides them, for the screen and the paper alike. '' when
    the server gave no estimate (nothing is shown, as on the ticket)."""
    if seconds is None:
        return ""
    words = ticket_words.wait_text(int(seconds), EN if lang == EN else VI)
    return unicodedata.normalize("NFC", words)


def counters_text(numbers: Sequence[object], lang: str = VI) -> str:
    """Where to go ('Mời đến: Quầy 2 hoặc 6', 'Go to counter 2 or 6'): the ticket's own line."""
    return unicodedata.normalize("NFC", ticket_words.counters_line(numbers, EN if lang == EN
                                                                   else VI))


def reason_text(reason: str | None, lang: str = VI) -> str:
    """Why a service cannot be chosen, short enough for its button."""
    key = f"reason.{reason}"
    return text(key if has(key) else "reason.other", lang)


def printer_text(code: str, lang: str = VI) -> str:
    key = f"printer.{code}"
    return text(key if has(key) else "printer.other", lang)
