"""The reports' arithmetic as plain functions: percentiles as the contract defines them,
days adding up, and a day's tickets becoming its figures."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from datetime import date

import pytest

from layso.server.reports import (
    ETA_BINS,
    Figures,
    Names,
    build_report,
    day_figures,
    days_measured,
    percentile,
    period,
    yearly_projection,
)


@pytest.mark.parametrize("size", [2, 3, 4, 5, 10, 99, 100, 101, 1000])
def test_percentiles_are_the_contracts_statistics_quantiles_inclusive(size):
    rng = random.Random(size)
    values = sorted(rng.uniform(0, 5000) for _ in range(size))
    expected = statistics.quantiles(values, n=100, method="inclusive")
    for p in (1, 10, 50, 90, 99):
        assert percentile(values, p) == pytest.approx(expected[p - 1], abs=1e-9)


def test_a_single_value_is_its_own_percentile_and_none_has_none():
    assert percentile([42.0], 50) == percentile([42.0], 90) == 42.0
    assert percentile([], 50) is None


# field, counter, clerk, status, wait, service, estimate, issued hour, done hour
MONDAY = [
    (1, 10, 7, "done", 600.0, 300.0, 480.0, 100, 100),
    (1, 10, 7, "done", 60.0, 120.0, 0.0, 100, 101),
    (1, 10, 7, "no_show", 900.0, None, 1500.0, 101, None),
    (2, None, None, "cancelled", None, None, 240.0, 101, None),
]
TUESDAY = [(1, 11, 8, "done", 1200.0, 600.0, 3700.0, 124, 124)]


def test_a_days_tickets_become_groups_with_sorted_times_and_the_estimates_errors():
    figures = day_figures(MONDAY)
    groups = figures.groups
    assert groups[(1, 10, 7, "done")].count == 2
    assert groups[(1, 10, 7, "done")].waits == [60.0, 600.0]          # sorted
    assert groups[(2, None, None, "cancelled")].waits == []
    assert figures.issued_at == Counter({100: 2, 101: 2})
    assert figures.served_at == Counter({100: 1, 101: 1})
    assert sorted(figures.errors) == [60.0, 120.0, 600.0]             # no call, no error
    assert figures.eta_bins[0] == [1, 0.0, 60.0]                      # 0–5 min
    assert figures.eta_bins[1] == [1, 480.0, 600.0]                   # 5–10 min
    assert figures.eta_bins[5] == [1, 1500.0, 900.0]                  # 25–30 min


def test_days_add_up_to_the_same_report_as_measured_together():
    names = Names("x", "X", "Asia/Ho_Chi_Minh", {1: ("TP", "Tư pháp"), 2: ("DD", "Đất đai")},
                  {10: 1, 11: 2}, {7: ("a", ""), 8: ("b", "")}, (7, 8))
    added = Figures()
    added.add(day_figures(MONDAY))
    added.add(day_figures(TUESDAY))
    together = day_figures(MONDAY + TUESDAY)
    args = (date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 30), 1600, ["ok"])
    assert build_report(added, {}, names, *args).json == \
        build_report(together, {}, names, *args).json
    assert len(added.eta_bins) == ETA_BINS


def test_yearly_projection_counts_only_the_days_that_have_begun():
    assert days_measured(date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 10)) == 10
    assert days_measured(date(2026, 12, 1), date(2026, 12, 31), date(2026, 11, 10)) == 0
    assert yearly_projection(100, 10) == 3650
    assert yearly_projection(5, 0) is None


def test_a_week_starts_on_monday_and_a_month_ends_on_its_last_day():
    assert period("week", date(2026, 11, 26)) == (date(2026, 11, 23), date(2026, 11, 29))
    assert period("month", date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period("month", date(2026, 12, 31)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period("day", date(2026, 11, 26)) == (date(2026, 11, 26),) * 2
