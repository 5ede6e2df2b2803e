"""The head of office's pages: `/reports` (a day, week, month or any range, with charts
drawn by the server) and `/live` (the hall's figures and every counter, live), for the
`admin` and `leader` roles. The figures are server/reports.py's; this only shows them.
"""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from flask import Blueprint, g, render_template, request

from layso.server import public_settings
from layso.server.api import layso
from layso.server.domain.errors import DomainError
from layso.server.report_api import make_report
from layso.server.report_texts import COLUMNS, KINDS, PAGE
from layso.server.reports import days_measured, period
from layso.server.web import session
from layso.server.web.console import page_errors
from layso.server.web.report_charts import eta_chart, hourly_chart

bp = Blueprint("reports", __name__, template_folder="templates")
page_errors(bp)

ROLES = ("admin", "leader")
PERIODS = ("day", "week", "month", "range")


def _date_arg(name: str) -> date | None:
    raw = request.args.get(name, "")
    try:
        return date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        return None


def _shift(kind: str, anchor: date, step: int) -> date:
    if kind == "week":
        return anchor + timedelta(days=7 * step)
    if kind == "month":
        month = anchor.month - 1 + step
        return anchor.replace(year=anchor.year + month // 12, month=month % 12 + 1, day=1)
    return anchor + timedelta(days=step)


def minutes(seconds: float | None) -> str:
    """Seconds as minutes, Vietnamese style ("12,5"); "—" when there is nothing."""
    if seconds is None:
        return "—"
    return f"{seconds / 60:.1f}".replace(".", ",")


def count(value: int | None) -> str:
    return "—" if value is None else f"{value:,}".replace(",", ".")


@bp.get("/reports")
@session.page(*ROLES)
def reports_page():
    actor = g.web_actor
    today = layso().queue.read(actor.office_id, lambda _s, office: office.today)
    kind = request.args.get("period", "day")
    kind = kind if kind in PERIODS else "day"
    anchor = _date_arg("date") or today
    if kind == "range":
        first = _date_arg("from") or anchor
        last = _date_arg("to") or first
    else:
        first, last = period(kind, anchor)
    error = None
    try:
        report, _ = make_report(actor.office_id, first, last)
    except DomainError as e:   # a backwards or too long range: say so, show today
        from layso.server.web.console import error_text

        error = error_text(e)
        first = last = today
        report, _ = make_report(actor.office_id, first, last)
    settings = public_settings.current()
    data = report.json
    query = urlencode({"from": data["from"], "to": data["to"]})
    nav = {k: "?" + urlencode({"period": k, "date": (anchor if k != "range" else first)
                               .isoformat()}) for k in PERIODS if k != "range"}
    if kind != "range":
        nav["previous"] = "?" + urlencode({"period": kind,
                                           "date": _shift(kind, anchor, -1).isoformat()})
        nav["next"] = "?" + urlencode({"period": kind, "date": _shift(kind, anchor, 1).isoformat()})
    charts = {
        "hours": hourly_chart(data["by_hour"], PAGE["by_hour"],
                              (PAGE["issued_legend"], PAGE["served_legend"]), COLUMNS["count"]),
        "eta": eta_chart(report.eta_bins, PAGE["eta"],
                         (PAGE["estimated_legend"], PAGE["actual_legend"]), "phút"),
    }
    rated = sum(data["ratings"].values())
    ratings = [{"code": code, "name": (settings.ratings.level(code).name
                                       if settings.ratings.level(code) else code),
                "count": n, "share": round(100 * n / rated) if rated else 0}
               for code, n in data["ratings"].items()]
    return render_template(
        "reports.html", R=data, P=PAGE, C=COLUMNS, kind=kind, anchor=anchor, first=first,
        last=last, nav=nav, query=query, charts=charts, ratings=ratings, rated=rated,
        busiest=report.busiest_hours, error=error, minutes=minutes, count=count,
        norm_note=PAGE["norm_note"].format(norm=count(settings.norm),
                                           kind=KINDS[settings.office.kind],
                                           days=days_measured(first, last, today)))


@bp.get("/live")
@session.page(*ROLES)
def live_page():
    page = {"texts": PAGE}
    return render_template("live.html", page=page, P=PAGE)
