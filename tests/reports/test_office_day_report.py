"""One office day with known timings (the clock is the test's), and every figure of the
report — JSON, .xlsx and .csv — against the value worked out by hand here.

Xã Thử: TP at counters 1 and 3, DD at counter 3, KD at counter 6. Clerk canbo works at
counter 1, clerk canbo2 at counter 3. Monday 2026-11-23, times local (UTC+7):

    09:00 1001 TP (A)   09:02 1002 TP (B)   09:04 1003 TP (C)   09:05 3001 DD (D)
    09:06 A001 KD (E)   10:05 1004 TP (F)
    09:10 counter 1 calls A          wait 600
    09:12 counter 3 calls B          wait 600 (its first call: B keeps it)
    09:15 counter 1: A done          service 300
    09:16 counter 3 moves B to DD (keeps its place)
    09:17 counter 3 calls B again    (the last call)
    09:20 E cancelled
    09:24 counter 3: B done, dossier H47.23-241123-0001     service 420
    09:25 counter 1 calls C          wait 1260;  09:26 recalled (not a new call)
    09:28 counter 1: C no-show
    09:30 counter 3 calls D          wait 1500
    10:10 counter 3: D done          service 2400
    next day 07:30: F expires; the report of the 23rd is asked then.
"""

from __future__ import annotations

import csv
import io
import os
import statistics
import uuid
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from layso.server.app import create_app
from layso.server.auth import new_token, token_hash
from layso.server.config import load_config
from layso.server.operations import Actor
from layso.server.storage.tables import AuthToken, Device, User
from tests.support.office_clock import SMALL_OFFICE, Clock, OfficeDay

DAY = "2026-11-23"
DOSSIER = "H47.23-241123-0001"
RATING_TOKEN = "rating-counter-1-token-0123456789"


def minutes(seconds: float) -> float:
    return round(seconds / 60, 2)


class Day:
    """The office of the docstring, driven through the real use cases."""

    def __init__(self, tmp_path, db_url: str | None):
        self.clock = Clock()
        config = tmp_path / "office.toml"
        config.write_text(SMALL_OFFICE.format(priority_run=2, max_wait=0), encoding="utf-8")
        self.office = OfficeDay(create_app(load_config(config), data_dir=tmp_path / "data",
                                           db_url=db_url, clock=self.clock), self.clock)
        ctx = self.office.ctx
        with ctx.db.write() as session:
            second = User(office_id=ctx.office_id, username="canbo2", full_name="Trần Thị Hai",
                          password_hash="x", role="clerk", active=True, failed_logins=0,
                          created_at=self.clock())
            leader = User(office_id=ctx.office_id, username="lanhdao", full_name="Lãnh đạo",
                          password_hash="x", role="leader", active=True, failed_logins=0,
                          created_at=self.clock())
            session.add_all([second, leader])
            session.flush()
            self.leader_token = new_token()
            session.add(AuthToken(user_id=leader.id, token_hash=token_hash(self.leader_token),
                                  created_at=self.clock(), expires_at=self.clock().replace(
                                      year=2027)))
            session.add(Device(office_id=ctx.office_id, name="danhgia-q1", role="rating",
                               token_hash=token_hash(RATING_TOKEN), created_at=self.clock(),
                               counter_id=self.office.counter(1)))
            self.x = self.office.clerk
            self.y = Actor("user", second.id, ctx.office_id, "clerk", "canbo2")
        self.client = self.office.app.test_client()

    def at(self, hh: int, mm: int, day: int = 23) -> None:
        base = self.clock.now.replace(day=day, hour=hh - 7, minute=mm, second=0)
        assert base >= self.clock.now
        self.clock.now = base

    def issue(self, code: str) -> dict:
        return self.office.issue(code)

    def call(self, actor: Actor, counter: int) -> dict:
        return self.office.queue.call_next(actor, self.office.counter(counter))

    def get(self, path: str):
        return self.client.get(path, headers={"Authorization": f"Bearer {self.leader_token}"})


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                                 marks=pytest.mark.postgres)])
def db_url(request):
    """The same day on SQLite and, when the test database is there, on PostgreSQL."""
    if request.param == "sqlite":
        yield None
        return
    base = os.environ.get("LAYSO_TEST_PG_URL")
    if not base:
        pytest.skip("no PostgreSQL here (set LAYSO_TEST_PG_URL)")
    import psycopg

    name = "layso_reports_" + uuid.uuid4().hex[:10]
    admin = base.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield base.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def day(tmp_path_factory, db_url) -> Day:
    d = Day(tmp_path_factory.mktemp("xa-thu"), db_url)
    q = d.office.queue
    d.at(9, 0)
    d.a = d.issue("TP")
    d.at(9, 2)
    d.b = d.issue("TP")
    d.at(9, 4)
    d.c = d.issue("TP")
    d.at(9, 5)
    d.d = d.issue("DD")
    d.at(9, 6)
    d.e = d.issue("KD")
    d.at(9, 10)
    assert d.call(d.x, 1)["number"] == "1001"
    d.at(9, 12)
    assert d.call(d.y, 3)["number"] == "1002"
    d.at(9, 15)
    q.finish(d.x, d.a["id"], "done")
    d.at(9, 16)
    q.transfer(d.y, d.b["id"], d.office.service("DD"))
    d.at(9, 17)
    assert d.call(d.y, 3)["number"] == "1002"
    d.at(9, 20)
    q.cancel(d.x, d.e["id"])
    d.at(9, 24)
    q.finish(d.y, d.b["id"], "done", dossier_code=DOSSIER)
    d.at(9, 25)
    assert d.call(d.x, 1)["number"] == "1003"
    d.at(9, 26)
    q.recall(d.x, d.office.counter(1))
    d.at(9, 28)
    q.finish(d.x, d.c["id"], "no_show")
    d.at(9, 30)
    assert d.call(d.y, 3)["number"] == "3001"
    d.at(10, 5)
    d.f = d.issue("TP")
    d.at(10, 10)
    q.finish(d.y, d.d["id"], "done")
    # Ratings: A from counter 1's tablet, B from its own status page.
    r = d.client.post(f"/api/v1/tickets/{d.a['id']}/rating", json={"level": "very_satisfied"},
                      headers={"Authorization": f"Bearer {RATING_TOKEN}"})
    assert r.status_code == 201, r.get_data(as_text=True)
    code = d.b["status_url"].rsplit("/t/", 1)[1]
    r = d.client.post(f"/api/v1/tickets/{d.b['id']}/rating",
                      json={"level": "satisfied", "status_page_code": code})
    assert r.status_code == 201, r.get_data(as_text=True)
    d.at(7, 30, day=24)
    assert q.roll_day(d.office.ctx.office_id)
    return d


# --- worked out by hand -------------------------------------------------------------------

WAITS = {"A": 600, "B": 600, "C": 1260, "D": 1500}
SERVICES = {"A": 300, "B": 420, "D": 2400}


def by_hand(waits: list[float], services: list[float], **counts: int) -> dict:
    """F for these waits and service times, computed the long way."""
    def pct(values, p):
        values = sorted(values)
        if not values:
            return None
        if len(values) == 1:
            return float(values[0])
        pos = (len(values) - 1) * p / 100
        low = int(pos)
        high = min(low + 1, len(values) - 1)
        return round(values[low] + (values[high] - values[low]) * (pos - low), 1)

    return {
        "issued": counts.get("issued", 0), "served": counts.get("served", 0),
        "no_show": counts.get("no_show", 0), "cancelled": counts.get("cancelled", 0),
        "expired": counts.get("expired", 0),
        "wait_s": {"avg": round(sum(waits) / len(waits), 1) if waits else None,
                   "median": pct(waits, 50), "p90": pct(waits, 90)},
        "service_s": {"avg": round(sum(services) / len(services), 1) if services else None,
                      "median": pct(services, 50)},
    }


TOTALS = by_hand([600, 600, 1260, 1500], [300, 420, 2400],
                 issued=6, served=3, no_show=1, cancelled=1, expired=1)
TP = by_hand([600, 1260], [300], issued=3, served=1, no_show=1, expired=1)      # A C F
DD = by_hand([600, 1500], [420, 2400], issued=2, served=2)                       # B D
KD = by_hand([], [], issued=1, cancelled=1)                                      # E
COUNTER_1 = by_hand([600, 1260], [300], issued=2, served=1, no_show=1)           # A C
COUNTER_3 = by_hand([600, 1500], [420, 2400], issued=2, served=2)                # B D
NOTHING = by_hand([], [])


def test_the_hand_figures_are_what_the_day_says():
    assert TOTALS["wait_s"] == {"avg": 990.0, "median": 930.0, "p90": 1428.0}
    assert TOTALS["service_s"] == {"avg": 1040.0, "median": 420.0}
    assert TP["wait_s"] == {"avg": 930.0, "median": 930.0, "p90": 1194.0}
    assert DD["service_s"] == {"avg": 1410.0, "median": 1410.0}
    # the same as the contract's definition
    assert statistics.quantiles([600, 600, 1260, 1500], n=100, method="inclusive")[89] == 1428.0


def expected_eta(day: Day) -> tuple[int, float]:
    errors = sorted(abs(WAITS[k] - getattr(day, k.lower())["estimated_wait_s"]) for k in WAITS)
    return 4, round((errors[1] + errors[2]) / 2, 1)


def test_the_json_report_holds_every_figure(day):
    r = day.get(f"/api/v1/reports?from={DAY}&to={DAY}")
    assert r.status_code == 200, r.get_data(as_text=True)
    report = r.get_json()
    assert (report["from"], report["to"]) == (DAY, DAY)
    assert report["office"] == {"code": "xa-thu", "name": "UBND xã Thử"}
    assert report["totals"] == TOTALS
    assert report["by_service"] == [
        {**TP, "service_code": "TP", "service_name": "Tư pháp – Hộ tịch"},
        {**DD, "service_code": "DD", "service_name": "Đất đai"},
        {**KD, "service_code": "KD", "service_name": "Đăng ký kinh doanh hộ"}]
    assert report["by_counter"] == [{**COUNTER_1, "counter_number": 1},
                                    {**COUNTER_3, "counter_number": 3},
                                    {**NOTHING, "counter_number": 6}]
    # one day measured: 1 served → 365 a year against the urban norm of 1,600
    assert report["by_clerk"] == [
        {**COUNTER_3, "username": "canbo2", "full_name": "Trần Thị Hai",
         "yearly_projection": 730, "norm": 1600, "norm_ratio": 0.46},
        {**COUNTER_1, "username": "canbo", "full_name": "",
         "yearly_projection": 365, "norm": 1600, "norm_ratio": 0.23}]
    assert report["by_hour"] == [{"hour": 9, "issued": 5, "served": 2},
                                 {"hour": 10, "issued": 1, "served": 1}]
    assert report["ratings"] == {"very_satisfied": 1, "satisfied": 1, "unsatisfied": 0}
    tickets, median = expected_eta(day)
    assert report["eta"] == {"tickets": tickets, "median_abs_error_s": median}


def test_the_estimates_in_the_report_are_those_given_at_issue(day):
    # A was first in line: promised no wait; C had two ahead of it.
    assert day.a["estimated_wait_s"] == 0
    assert day.c["estimated_wait_s"] > 0
    with day.office.ctx.db.read() as session:
        from layso.server.storage.tables import Event

        kept = dict(session.execute(select(Event.ticket_id, Event.estimate_s)
                                    .where(Event.type == "ticket.issued")).all())
    assert kept[day.c["id"]] == day.c["estimated_wait_s"]


def test_an_empty_range_is_all_zeros_and_nulls(day):
    report = day.get("/api/v1/reports?from=2026-11-01&to=2026-11-22").get_json()
    assert report["totals"] == NOTHING
    assert report["by_hour"] == []
    assert report["eta"] == {"tickets": 0, "median_abs_error_s": None}
    assert report["ratings"] == {"very_satisfied": 0, "satisfied": 0, "unsatisfied": 0}


def sheet_rows(book, title: str) -> list[tuple]:
    """The sheet's rows, each as wide as its header (an empty cell reads as None)."""
    rows = [tuple(row) for row in book[title].iter_rows(values_only=True)]
    width = len(rows[0])
    return [row + (None,) * (width - len(row)) for row in rows]


FIGURE_HEADERS = ("Số phiếu", "Đã phục vụ", "Vắng mặt", "Đã huỷ", "Hết hạn",
                  "Chờ trung bình (phút)", "Chờ trung vị (phút)", "Chờ 90% (phút)",
                  "Phục vụ trung bình (phút)", "Phục vụ trung vị (phút)")


def in_minutes(f: dict) -> tuple:
    m = lambda s: None if s is None else minutes(s)  # noqa: E731
    return (f["issued"], f["served"], f["no_show"], f["cancelled"], f["expired"],
            m(f["wait_s"]["avg"]), m(f["wait_s"]["median"]), m(f["wait_s"]["p90"]),
            m(f["service_s"]["avg"]), m(f["service_s"]["median"]))


def test_the_xlsx_holds_the_same_figures_in_minutes(day):
    r = day.get(f"/api/v1/reports.xlsx?from={DAY}&to={DAY}")
    assert r.status_code == 200
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert r.headers["Content-Disposition"] == \
        'attachment; filename="bao-cao-xa-thu-2026-11-23-2026-11-23.xlsx"'
    book = load_workbook(io.BytesIO(r.data), read_only=True)
    assert book.sheetnames == ["Tổng hợp", "Theo lĩnh vực", "Theo quầy", "Theo cán bộ",
                               "Theo giờ", "Đánh giá", "Dự báo thời gian chờ", "Hồ sơ"]
    summary = dict(sheet_rows(book, "Tổng hợp")[1:])
    assert summary["Đơn vị"] == "UBND xã Thử"
    assert summary["Số phiếu"] == 6 and summary["Đã phục vụ"] == 3
    assert summary["Chờ trung bình (phút)"] == 16.5          # 990 s
    assert summary["Chờ 90% (phút)"] == 23.8                 # 1428 s
    assert summary["Phục vụ trung vị (phút)"] == 7.0         # 420 s
    services = sheet_rows(book, "Theo lĩnh vực")
    assert services[0] == ("Mã lĩnh vực", "Lĩnh vực", *FIGURE_HEADERS)
    assert services[1] == ("TP", "Tư pháp – Hộ tịch", *in_minutes(TP))
    assert services[1][7:10] == (15.5, 15.5, 19.9)           # 930, 930, 1194 s
    assert services[2] == ("DD", "Đất đai", *in_minutes(DD))
    assert services[3] == ("KD", "Đăng ký kinh doanh hộ", *in_minutes(KD))
    assert sheet_rows(book, "Theo quầy")[1:] == [(1, *in_minutes(COUNTER_1)),
                                                 (3, *in_minutes(COUNTER_3)),
                                                 (6, *in_minutes(NOTHING))]
    clerks = sheet_rows(book, "Theo cán bộ")
    assert clerks[0][-3:] == ("Dự kiến cả năm (hồ sơ)", "Định mức năm (hồ sơ)", "So với định mức")
    assert clerks[1] == ("canbo2", "Trần Thị Hai", *in_minutes(COUNTER_3), 730, 1600, 0.46)
    assert clerks[2] == ("canbo", None, *in_minutes(COUNTER_1), 365, 1600, 0.23)
    assert sheet_rows(book, "Theo giờ") == [("Giờ", "Số lấy", "Số đã phục vụ"), (9, 5, 2),
                                           (10, 1, 1)]
    assert sheet_rows(book, "Đánh giá")[1:] == [("Rất hài lòng", "very_satisfied", 1, 50.0),
                                               ("Hài lòng", "satisfied", 1, 50.0),
                                               ("Không hài lòng", "unsatisfied", 0, 0.0)]
    dossiers = sheet_rows(book, "Hồ sơ")
    assert dossiers == [("Xong lúc", "Số thứ tự", "Mã lĩnh vực", "Quầy", "Tên đăng nhập",
                         "Mã hồ sơ"),
                        (datetime(2026, 11, 23, 9, 24), "1002", "DD", 3, "canbo2", DOSSIER)]
    for title, labels in (("Theo lĩnh vực", 2), ("Theo quầy", 0), ("Theo cán bộ", 2),
                          ("Theo giờ", 0), ("Dự báo thời gian chờ", 1)):
        for row in sheet_rows(book, title)[1:]:     # numbers are numbers, not text
            assert all(v is None or isinstance(v, (int, float)) for v in row[labels:]), row


def csv_tables(text: str) -> dict[str, list[list[str]]]:
    assert text.startswith("\ufeff")
    tables: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text[1:])):
        if not row:
            current = None
        elif current is None:
            current = tables.setdefault(row[0], [])
        else:
            current.append(row)
    return tables


def as_text(values: tuple) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def test_the_csv_holds_the_same_figures(day):
    r = day.get(f"/api/v1/reports.csv?from={DAY}&to={DAY}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    tables = csv_tables(r.get_data(as_text=True))
    assert list(tables) == ["Tổng hợp", "Theo lĩnh vực", "Theo quầy", "Theo cán bộ",
                            "Theo giờ", "Đánh giá", "Dự báo thời gian chờ", "Hồ sơ"]
    assert tables["Theo lĩnh vực"][0] == ["Mã lĩnh vực", "Lĩnh vực", *FIGURE_HEADERS]
    assert tables["Theo lĩnh vực"][1] == ["TP", "Tư pháp – Hộ tịch", *as_text(in_minutes(TP))]
    assert tables["Theo lĩnh vực"][2] == ["DD", "Đất đai", *as_text(in_minutes(DD))]
    assert tables["Theo quầy"][1] == ["1", *as_text(in_minutes(COUNTER_1))]
    assert tables["Theo cán bộ"][1] == ["canbo2", "Trần Thị Hai",
                                        *as_text(in_minutes(COUNTER_3)), "730", "1600", "0.46"]
    assert tables["Theo giờ"][1:] == [["9", "5", "2"], ["10", "1", "1"]]
    assert dict((row[0], row[1]) for row in tables["Tổng hợp"][1:])["Chờ trung vị (phút)"] == \
        "15.5"
    assert tables["Hồ sơ"][1:] == [["2026-11-23 09:24:00", "1002", "DD", "3", "canbo2", DOSSIER]]


def test_the_dossier_code_is_on_the_ticket_and_in_its_done_event(day):
    done = [e for e in day.office.events("ticket.done")
            if e["data"]["ticket"]["id"] == day.b["id"]]
    assert done[0]["data"]["ticket"]["dossier_code"] == DOSSIER
    r = day.client.get(f"/api/v1/tickets/{day.b['id']}",
                       headers={"Authorization": f"Bearer {day.leader_token}"})
    assert r.get_json()["dossier_code"] == DOSSIER


def test_each_rating_is_tied_to_its_ticket_counter_and_clerk(day):
    from layso.server.storage.tables import Rating

    with day.office.ctx.db.read() as session:
        rows = {r.ticket_id: (r.level, r.counter_id, r.user_id, r.source)
                for r in session.scalars(select(Rating))}
    assert rows == {
        day.a["id"]: ("very_satisfied", day.office.counter(1), day.x.id, "device"),
        day.b["id"]: ("satisfied", day.office.counter(3), day.y.id, "status_page"),
    }


def test_a_closed_day_is_measured_once_and_kept(day):
    from layso.server.storage.tables import ReportDay, Ticket

    first = day.get(f"/api/v1/reports?from={DAY}&to={DAY}").get_json()
    with day.office.ctx.db.read() as session:
        kept = session.scalars(select(ReportDay.business_day)).all()
    assert date(2026, 11, 23) in kept
    assert date(2026, 11, 24) not in kept          # today: still open, measured each time
    # The kept figures are what a later report reads: a row changed behind its back
    # (nothing in LaySo changes a closed day) does not move them.
    with day.office.ctx.db.write() as session:
        session.get(Ticket, day.a["id"]).status = "no_show"
    again = day.get(f"/api/v1/reports?from={DAY}&to={DAY}").get_json()
    with day.office.ctx.db.write() as session:
        session.get(Ticket, day.a["id"]).status = "done"
    assert again == first


def test_today_counts_as_it_happens(day):
    today = "2026-11-24"
    before = day.get(f"/api/v1/reports?from={today}&to={today}").get_json()["totals"]
    day.office.issue("DD")
    after = day.get(f"/api/v1/reports?from={today}&to={today}").get_json()["totals"]
    assert (before["issued"], after["issued"]) == (0, 1)
