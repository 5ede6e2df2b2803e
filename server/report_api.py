"""`GET /api/v1/reports` (JSON), `/reports.xlsx` and `/reports.csv`: admin and leader.

`?from=YYYY-MM-DD&to=YYYY-MM-DD` (business days, both included; either alone means
that one day; neither means today). The figures are `server/reports.py`'s.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, g, jsonify, request

from layso.server import public_settings
from layso.server.api import layso, requires
from layso.server.domain.errors import Invalid
from layso.server.report_files import csv_text, report_tables, xlsx_bytes
from layso.server.report_queries import dossier_rows, office_names, range_figures, rating_counts
from layso.server.reports import MAX_DAYS, DossierRow, Report, build_report

bp = Blueprint("reports_api", __name__, url_prefix="/api/v1")

REPORT_ROLES = ("admin", "leader")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _day(name: str) -> date | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise Invalid("invalid_field", field=name,
                      problem=("phải là ngày dạng 2026-11-23", "must be a date like 2026-11-23")
                      ) from None


def report_range(today: date, args_from: date | None, args_to: date | None) -> tuple[date, date]:
    """The range asked for; 422 when it runs backwards or is longer than MAX_DAYS."""
    first = args_from or args_to or today
    last = args_to or args_from or today
    if last < first:
        raise Invalid("bad_report_range", problem=("ngày kết thúc (to) trước ngày bắt đầu (from)",
                                                   "to is before from"))
    if (last - first).days + 1 > MAX_DAYS:
        raise Invalid("bad_report_range", problem=(f"dài hơn {MAX_DAYS} ngày",
                                                   f"longer than {MAX_DAYS} days"))
    return first, last


def make_report(office_id: int, first: date | None, last: date | None,
                with_dossiers: bool = False) -> tuple[Report, list[DossierRow]]:
    """The report of the asked range (and its dossier rows for the files)."""
    ctx = layso()
    settings = public_settings.current()
    with ctx.db.read() as session:
        office = ctx.queue.office(session, office_id)
        start, end = report_range(office.today, first, last)
        names = office_names(session, office.row)
        ratings = rating_counts(session, office.id, start, end)
        dossiers = dossier_rows(session, office.id, start, end, names) if with_dossiers else []
        closed_before = min(office.row.business_day or office.today, office.today)
        today = office.today
    figures = range_figures(ctx.db, office_id, start, end, closed_before, ctx.clock())
    report = build_report(figures, ratings, names, start, end, today, settings.norm,
                          [level.code for level in settings.ratings.levels])
    return report, dossiers


def _file_name(report: Report, ext: str) -> str:
    data = report.json
    return f"bao-cao-{data['office']['code']}-{data['from']}-{data['to']}.{ext}"


@bp.get("/reports")
@requires(*REPORT_ROLES)
def reports():
    report, _ = make_report(g.actor.office_id, _day("from"), _day("to"))
    return jsonify(report.json)


@bp.get("/reports.xlsx")
@requires(*REPORT_ROLES)
def reports_xlsx():
    report, dossiers = make_report(g.actor.office_id, _day("from"), _day("to"), True)
    body = xlsx_bytes(report_tables(report, dossiers, public_settings.current().ratings.levels))
    return Response(body, mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{_file_name(report, "xlsx")}"'})


@bp.get("/reports.csv")
@requires(*REPORT_ROLES)
def reports_csv():
    report, dossiers = make_report(g.actor.office_id, _day("from"), _day("to"), True)
    body = csv_text(report_tables(report, dossiers, public_settings.current().ratings.levels))
    return Response(body, mimetype="text/csv", content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="{_file_name(report, "csv")}"'})
