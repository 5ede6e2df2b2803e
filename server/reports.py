"""The head of office's figures for a range of business days: plain functions over rows.

Definitions (../shared/ARCHITECTURE.md, "Reports"): **wait** = first call − issue (a
transferred ticket keeps its first wait; only tickets that were called have one);
**service** = done − last call (a recall is not a new call); medians and the 90th
percentile interpolate linearly (`statistics.quantiles(..., method="inclusive")`).

Who a ticket counts for, once in each table: `by_service` — the field it ended in (after
any transfer); `by_counter` / `by_clerk` — the counter and clerk of its last call, who
served it or marked it absent (so there `issued` means "tickets called here").

A business day's tickets become `Figures` once (`day_figures`): its `TicketGroup`s (the
tickets that share field, counter, clerk and outcome, with their times as sorted lists),
tickets per hour, and how far each estimate was off. Days add up (`Figures.add`); a
report is made from their sum (`build_report`). server/report_queries.py reads the days
from the database and keeps closed ones, so a year need not be measured again.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

OUTCOMES = ("done", "no_show", "cancelled", "expired")
MAX_DAYS = 731                       # two years: a report costs at most this much
ETA_BIN_MINUTES = 5
ETA_BINS = 12                        # 0–5, 5–10, … , 55+ minutes


@dataclass
class TicketGroup:
    """The tickets of one (field, counter, clerk, outcome): how many, and their waits and
    service times in seconds, each list sorted (only tickets that have one)."""

    service_id: int
    counter_id: int | None
    user_id: int | None
    status: str
    count: int
    waits: list[float]
    services: list[float]


@dataclass
class Figures:
    """Everything a report is made of, for one business day or several added together."""

    groups: dict[tuple, TicketGroup] = field(default_factory=dict)   # by (field, counter,
    issued_at: Tally = field(default_factory=Tally)   # whole UTC hour    clerk, status)
    served_at: Tally = field(default_factory=Tally)   # (since 1970) → tickets
    errors: list[float] = field(default_factory=list)  # |wait − estimate given at issue|
    eta_bins: list[list[float]] = field(                # per band: tickets, Σ estimate, Σ wait
        default_factory=lambda: [[0, 0.0, 0.0] for _ in range(ETA_BINS)])

    def add(self, other: Figures) -> None:
        for key, group in other.groups.items():
            mine = self.groups.get(key)
            if mine is None:
                self.groups[key] = TicketGroup(*key, group.count, list(group.waits),
                                               list(group.services))
            else:   # each list stays a few sorted runs (one a day): cheap to sort later
                mine.count += group.count
                mine.waits += group.waits
                mine.services += group.services
        self.issued_at.update(other.issued_at)
        self.served_at.update(other.served_at)
        self.errors.extend(other.errors)
        for mine, theirs in zip(self.eta_bins, other.eta_bins):
            for i in range(3):
                mine[i] += theirs[i]


def day_figures(tickets: Iterable[tuple]) -> Figures:
    """A day's figures from its tickets, each (field, counter, clerk, status, wait,
    service, estimate, issued hour, done hour) — None where it does not apply."""
    figures = Figures()
    groups: dict[tuple, TicketGroup] = {}
    bin_s = ETA_BIN_MINUTES * 60
    for service_id, counter_id, user_id, status, wait, service, estimate, issued, done in \
            tickets:
        key = (service_id, counter_id, user_id, status)
        group = groups.get(key)
        if group is None:
            group = groups[key] = TicketGroup(*key, 0, [], [])
        group.count += 1
        if wait is not None:
            group.waits.append(wait)
            if estimate is not None:
                figures.errors.append(abs(wait - estimate))
                band = figures.eta_bins[min(ETA_BINS - 1, int(estimate // bin_s))]
                band[0] += 1
                band[1] += estimate
                band[2] += wait
        if service is not None:
            group.services.append(service)
        if issued is not None:
            figures.issued_at[issued] += 1
        if done is not None:
            figures.served_at[done] += 1
    for group in groups.values():
        group.waits.sort()
        group.services.sort()
    figures.groups = groups
    return figures


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def percentile(values: Sequence[float], p: int) -> float | None:
    """The p-th percentile of *sorted* `values`: exactly
    `statistics.quantiles(values, n=100, method="inclusive")[p - 1]` (linear between the
    two nearest), without sorting again; a single value is its own percentile."""
    if not values:
        return None
    if len(values) == 1:
        return float(values[0])
    j, delta = divmod(p * (len(values) - 1), 100)
    if delta == 0:
        return float(values[j])
    return (values[j] * (100 - delta) + values[j + 1] * delta) / 100


class _Merged:
    """One row of a table: the groups it holds, added up."""

    def __init__(self) -> None:
        self.outcomes: Tally = Tally()
        self.waits: list[float] = []
        self.services: list[float] = []

    def add(self, group: TicketGroup) -> None:
        self.outcomes[group.status] += group.count
        self.waits += group.waits
        self.services += group.services

    def json(self) -> dict:
        # Sorted runs, one per group: timsort merges them in little more than one pass.
        waits, services = sorted(self.waits), sorted(self.services)
        return {
            "issued": sum(self.outcomes.values()),
            "served": self.outcomes["done"],
            "no_show": self.outcomes["no_show"],
            "cancelled": self.outcomes["cancelled"],
            "expired": self.outcomes["expired"],
            "wait_s": {"avg": _round(sum(waits) / len(waits)) if waits else None,
                       "median": _round(percentile(waits, 50)),
                       "p90": _round(percentile(waits, 90))},
            "service_s": {"avg": _round(sum(services) / len(services)) if services else None,
                          "median": _round(percentile(services, 50))},
        }


def local_hours(utc_hours: Tally, timezone: str) -> dict[int, int]:
    """Counts per whole UTC hour → counts per local hour of day (0–23)."""
    tz = ZoneInfo(timezone)
    out: dict[int, int] = {}
    for hour, n in utc_hours.items():
        local = datetime.fromtimestamp(hour * 3600, UTC).astimezone(tz)
        out[local.hour] = out.get(local.hour, 0) + n
    return out


@dataclass(frozen=True)
class Names:
    """What the rows' ids are called, and the office they belong to."""

    office_code: str
    office_name: str
    timezone: str
    services: dict[int, tuple[str, str]]         # id → (code, name), in display order
    counters: dict[int, int]                     # id → number, in number order
    users: dict[int, tuple[str, str]]            # id → (username, full_name)
    clerks: tuple[int, ...] = ()                 # active clerks, shown even with nothing


@dataclass(frozen=True)
class Report:
    json: dict
    eta_bins: list[dict]          # for the estimated-vs-actual chart
    busiest_hours: list[int]
    names: Names


def days_measured(first: date, last: date, today: date) -> int:
    """Calendar days of the range that have begun (a month's report mid-month counts the
    days so far)."""
    return max(0, (min(last, today) - first).days + 1)


def yearly_projection(served: int, days: int) -> int | None:
    return round(served * 365 / days) if days else None


def build_report(figures: Figures, ratings: dict[str, int], names: Names, first: date,
                 last: date, today: date, norm: int, levels: Sequence[str]) -> Report:
    """The report of the range from its figures (plain data in, plain data out)."""
    total = _Merged()
    by_service = {sid: _Merged() for sid in names.services}
    by_counter = {cid: _Merged() for cid in names.counters}
    by_user = {uid: _Merged() for uid in names.clerks}
    for group in figures.groups.values():
        group.waits.sort()
        group.services.sort()
        total.add(group)
        for table, key in ((by_service, group.service_id), (by_counter, group.counter_id),
                           (by_user, group.user_id)):
            if key is not None:
                row = table.get(key)
                if row is None:
                    row = table[key] = _Merged()
                row.add(group)

    days = days_measured(first, last, today)
    clerks = []
    for uid, row in by_user.items():
        username, full_name = names.users.get(uid, (f"#{uid}", ""))
        projection = yearly_projection(row.outcomes["done"], days)
        clerks.append({**row.json(), "username": username, "full_name": full_name,
                       "yearly_projection": projection, "norm": norm,
                       "norm_ratio": round(projection / norm, 2) if projection is not None
                       else None})
    clerks.sort(key=lambda c: (-c["served"], c["username"]))

    issued_local = local_hours(figures.issued_at, names.timezone)
    served_local = local_hours(figures.served_at, names.timezone)
    hours = sorted(set(issued_local) | set(served_local))
    by_hour = [{"hour": h, "issued": issued_local.get(h, 0), "served": served_local.get(h, 0)}
               for h in (range(hours[0], hours[-1] + 1) if hours else ())]
    counts = {level: ratings.get(level, 0) for level in levels}
    counts.update({level: n for level, n in ratings.items() if level not in counts})
    errors = sorted(figures.errors)

    report = {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "office": {"code": names.office_code, "name": names.office_name},
        "totals": total.json(),
        "by_service": [{**row.json(),
                        "service_code": names.services.get(sid, ("?", "?"))[0],
                        "service_name": names.services.get(sid, ("?", "?"))[1]}
                       for sid, row in by_service.items()],
        "by_counter": [{**row.json(), "counter_number": names.counters.get(cid, 0)}
                       for cid, row in by_counter.items()],
        "by_clerk": clerks,
        "by_hour": by_hour,
        "ratings": counts,
        "eta": {"tickets": len(errors), "median_abs_error_s": _round(percentile(errors, 50))},
    }
    eta_bins = [{"from_min": i * ETA_BIN_MINUTES,
                 "to_min": None if i == ETA_BINS - 1 else (i + 1) * ETA_BIN_MINUTES,
                 "tickets": int(n), "estimated_s": _round(est / n) if n else None,
                 "actual_s": _round(actual / n) if n else None}
                for i, (n, est, actual) in enumerate(figures.eta_bins)]
    busiest = sorted(by_hour, key=lambda h: (-h["issued"], h["hour"]))[:3]
    return Report(report, eta_bins, [h["hour"] for h in busiest if h["issued"]], names)


def period(kind: str, anchor: date) -> tuple[date, date]:
    """The day, ISO week (Monday first) or month that holds `anchor`."""
    if kind == "week":
        start = anchor - timedelta(days=anchor.weekday())
        return start, start + timedelta(days=6)
    if kind == "month":
        start = anchor.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return start, following - timedelta(days=1)
    return anchor, anchor


@dataclass(frozen=True, slots=True)
class DossierRow:
    """A served ticket that carries a dossier code (mã hồ sơ), for the exports."""

    business_day: date
    number: str
    service_code: str
    counter_number: int | None
    username: str
    finished_at: datetime          # in the office's time zone
    dossier_code: str
