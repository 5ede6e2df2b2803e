"""What the citizen reads on the status page (phone) and the rating tablet: Vietnamese,
with English beside (NFC). The wait wording is the printed ticket's
(ticket_printer/messages.py `wait_text`), so the phone says what the paper says."""

from __future__ import annotations

# (Vietnamese, English)
STATUS_PAGE: dict[str, tuple[str, str]] = {
    "title": ("Số thứ tự của bạn", "Your queue number"),
    "waiting": ("Đang chờ đến lượt", "Waiting for your turn"),
    "ahead": ("Số người đang chờ trước bạn: {n}", "People ahead of you: {n}"),
    "estimate": ("Thời gian chờ dự kiến: {wait}", "Estimated wait: {wait_en}"),
    "called": ("Đã đến lượt bạn — mời đến {counter}",
               "It is your turn — please go to counter {number}"),
    "recalled": ("Đã gọi lại lần {n}", "Called again ({n})"),
    "done": ("Đã phục vụ xong. Cảm ơn bạn!", "You have been served. Thank you!"),
    "no_show": ("Bạn vắng mặt khi được gọi. Nếu bạn vẫn ở đây, xin báo cán bộ tại quầy.",
                "You were not there when called. If you are still here, please tell the "
                "counter."),
    "cancelled": ("Số này đã huỷ.", "This number was cancelled."),
    "expired": ("Số này đã hết hạn (hết ngày làm việc).",
                "This number has expired (the working day ended)."),
    "issued_at": ("Lấy số lúc {time}", "Taken at {time}"),
    "live": ("Cập nhật trực tiếp", "Live"),
    "offline": ("Mất kết nối — đang thử lại…", "Disconnected — retrying…"),
    "sound_on": ("Bật âm báo khi đến lượt", "Sound an alert at my turn"),
    "sound_ready": ("Sẽ báo âm thanh khi đến lượt", "An alert will sound at your turn"),
    "rate_title": ("Đánh giá mức độ hài lòng", "Satisfaction rating"),
    "rate_prompt": ("Bạn có hài lòng với việc giải quyết thủ tục hôm nay?",
                    "Were you satisfied with the service today?"),
    "reasons_prompt": ("Vì sao? (có thể chọn nhiều)", "Why? (choose any)"),
    "send": ("Gửi đánh giá", "Send"),
    "thanks": ("Cảm ơn bạn đã đánh giá!", "Thank you for your rating!"),
    "rated": ("Bạn đã đánh giá: {level}", "You rated: {level}"),
    "rate_failed": ("Chưa gửi được đánh giá, xin thử lại.", "The rating was not sent; please "
                    "try again."),
    "not_found": ("Không tìm thấy số thứ tự này.", "No such queue number."),
    "not_found_hint": ("Xin kiểm tra lại mã QR trên phiếu.", "Please check the QR code on your "
                       "ticket."),
}

WAIT_MINUTES = ("khoảng {m} phút", "about {m} minutes")
WAIT_HOURS = ("khoảng {h} giờ {m} phút", "about {h} h {m} min")
WAIT_UNDER_A_MINUTE = ("dưới 1 phút", "under a minute")

RATING_PAGE: dict[str, str] = {
    "title": "Đánh giá mức độ hài lòng",
    "idle": "Xin mời công dân đánh giá sau khi được phục vụ",
    "prompt": "Công dân có số {number} vui lòng đánh giá",
    "prompt_en": "Number {number}: please rate our service",
    "reasons": "Vì sao công dân chưa hài lòng? (có thể chọn nhiều)",
    "send": "Gửi",
    "skip": "Bỏ qua",
    "thanks": "Cảm ơn công dân đã đánh giá!",
    "thanks_en": "Thank you!",
    "already": "Số này đã được đánh giá.",
    "failed": "Chưa gửi được, xin thử lại.",
    "offline": "Mất kết nối với máy chủ — đang kết nối lại…",
    "setup_title": "Thiết bị đánh giá chưa được cài đặt",
    "setup_text": "Kỹ thuật viên: tạo mã thiết bị loại “Máy đánh giá” (trang Quản trị → "
                  "Thiết bị, hoặc lệnh layso device add TEN --role rating), rồi mở một lần "
                  "địa chỉ {url}?token=MÃ_THIẾT_BỊ trên máy này.",
    "wrong_counter": "Thiết bị này đang được cài cho {counter}. Mở {url}?token=MÃ_THIẾT_BỊ "
                     "để chuyển sang quầy này.",
    "no_counter": "Không có quầy số {number}.",
}


def wait_words(seconds: int) -> tuple[str, str]:
    """About how long, rounded up to whole minutes (as the printed ticket says it)."""
    minutes = -(-seconds // 60)
    if seconds <= 0:
        return WAIT_UNDER_A_MINUTE
    if minutes < 60:
        return WAIT_MINUTES[0].format(m=minutes), WAIT_MINUTES[1].format(m=minutes)
    h, m = minutes // 60, minutes % 60
    return WAIT_HOURS[0].format(h=h, m=m), WAIT_HOURS[1].format(h=h, m=m)


def say(key: str, **values: object) -> dict[str, str]:
    vi, en = STATUS_PAGE[key]
    return {"vi": vi.format(**values), "en": en.format(**values)}


def status_words(status: dict) -> dict:
    """The headline and detail lines of a status (as `ratings.ticket_status` builds it)."""
    state = status["status"]
    details = []
    if state == "waiting":
        headline = say("waiting")
        details.append(say("ahead", n=status["waiting_ahead"]))
        if status["estimated_wait_s"] is not None:
            vi, en = wait_words(int(status["estimated_wait_s"]))
            details.append(say("estimate", wait=vi, wait_en=en))
    elif state == "called":
        counter = status["counter"] or {"name": "?", "number": "?"}
        headline = say("called", counter=counter["name"], number=counter["number"])
        if status["recall_count"]:
            details.append(say("recalled", n=status["recall_count"]))
    else:
        headline = say(state)
    return {"headline": headline, "details": details}
