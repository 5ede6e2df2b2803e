"""Numbers, business days and whether a field can issue a ticket right now."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def format_number(prefix: str, seq: int, width: int) -> str:
    """1005 from ("1", 5, 3); A005 from ("A", 5, 3)."""
    return f"{prefix}{seq:0{width}d}"


def local_time(now_utc: datetime, timezone: str) -> datetime:
    return now_utc.astimezone(ZoneInfo(timezone))


def business_day(now_utc: datetime, timezone: str, opening: time) -> date:
    """The day a moment belongs to: a business day runs from one opening to the next."""
    local = local_time(now_utc, timezone)
    shifted = local - timedelta(hours=opening.hour, minutes=opening.minute)
    return shifted.date()


@dataclass(frozen=True)
class ServiceRules:
    prefix: str
    start: int
    width: int
    daily_cap: int | None
    cutoff: time | None
    open: bool

    @property
    def last_seq(self) -> int:
        """The highest sequence number this field may issue today."""
        top = 10 ** self.width - 1
        if self.daily_cap is not None:
            top = min(top, self.start + self.daily_cap - 1)
        return top


@dataclass(frozen=True)
class Hours:
    opening: time
    closing: time | None


def unavailable_reason(rules: ServiceRules, hours: Hours, now_local: datetime,
                       issued_today: int, counters_open: int) -> str | None:
    """Why a ticket cannot be issued for this field now, or None when it can.

    `issued_today` is how many numbers the field has already given out today.
    """
    if not rules.open:
        return "closed"
    clock = now_local.time()
    if hours.closing is not None and hours.opening < hours.closing \
            and not (hours.opening <= clock < hours.closing):
        return "outside_hours"
    if rules.cutoff is not None and clock >= rules.cutoff and clock >= hours.opening:
        return "cutoff"
    if rules.start + issued_today > rules.last_seq:
        return "capped"
    if counters_open == 0:
        return "no_counter"
    return None


def estimate_wait_s(ahead: int, counters_serving: int, service_s: float) -> int:
    """About how long a citizen with `ahead` people before them waits."""
    if ahead <= 0:
        return 0
    return int(math.ceil(ahead / max(1, counters_serving)) * service_s)


def shared_number(a: ServiceRules, b: ServiceRules) -> str | None:
    """A number both fields could print on the same day, else None.

    A field prints its prefix then `width` digits, from `start` to `last_seq`. Two
    fields meet when one prefix extends the other by digits only and the ranges
    overlap there ("10" width 2 and "1" width 3 both print 1001). Letters are compared
    without case: "a001" and "A001" are read out alike.
    """
    short, long_ = (a, b) if len(a.prefix) <= len(b.prefix) else (b, a)
    head, tail = short.prefix.upper(), long_.prefix.upper()
    if len(head) + short.width != len(tail) + long_.width or not tail.startswith(head):
        return None
    digits = tail[len(head):]
    if digits and not (digits.isascii() and digits.isdigit()):
        return None
    offset = int(digits or "0") * 10 ** long_.width
    low = max(short.start, offset + long_.start)
    high = min(short.last_seq, offset + long_.last_seq)
    if low > high:
        return None
    return format_number(short.prefix, low, short.width)
