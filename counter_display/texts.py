"""Every word the hall and counter screens show, in Vietnamese and English.

Widgets take a `Texts` and never spell a UI string themselves, so a translation is
one more instance here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Texts:
    language: str          # "vi" or "en": which name of a field is shown
    invite: str            # above the latest call's number
    arrow: str             # between number and counter: "1005 → Quầy 3"
    now_serving: str
    counter: str
    counter_number: str    # "Quầy {number}" when the server sends no counter name
    recent_calls: str
    waiting: str
    waiting_count: str     # "{n}" people waiting in one field
    paused: str
    closed: str
    no_ticket: str
    disconnected: str
    token_refused: str     # the server does not know this display's token
    weekdays: tuple[str, ...]
    date_format: str       # filled with weekday, day, month, year

    def format_date(self, day: dt.date) -> str:
        return self.date_format.format(weekday=self.weekdays[day.weekday()],
                                       day=day.day, month=day.month, year=day.year)

    def counter_label(self, number: int | None, name: str | None) -> str:
        if name:
            return name
        return self.counter_number.format(number=number if number is not None else "?")


VI = Texts(
    language="vi",
    invite="Xin mời số",
    arrow="→",
    now_serving="Đang phục vụ",
    counter="Quầy",
    counter_number="Quầy {number}",
    recent_calls="Đã gọi",
    waiting="Đang chờ",
    waiting_count="{n}",
    paused="Tạm dừng",
    closed="Đóng",
    no_ticket="—",
    disconnected="Mất kết nối",
    token_refused="Mã thiết bị không hợp lệ — báo kỹ thuật viên",
    weekdays=("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"),
    date_format="{weekday}, {day:02d}/{month:02d}/{year}",
)

EN = Texts(
    language="en",
    invite="Now calling",
    arrow="→",
    now_serving="Now serving",
    counter="Counter",
    counter_number="Counter {number}",
    recent_calls="Called",
    waiting="Waiting",
    waiting_count="{n}",
    paused="Paused",
    closed="Closed",
    no_ticket="—",
    disconnected="Disconnected",
    token_refused="Invalid device token — call the technician",
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    date_format="{weekday}, {day:02d}/{month:02d}/{year}",
)

LANGUAGES: dict[str, Texts] = {"vi": VI, "en": EN}


def texts_for(language: str) -> Texts:
    """The texts for a language code; Vietnamese when the code is unknown."""
    return LANGUAGES.get(language, VI)
