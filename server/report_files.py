"""A report as a spreadsheet (.xlsx, one sheet per table) or as .csv (the same tables
one after another). Counts are numbers, times are minutes (numbers, two decimals),
headers are Vietnamese."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from layso.server.public_settings import RatingLevel
from layso.server.report_texts import COLUMNS, SHEETS, SUMMARY
from layso.server.reports import DossierRow, Report

Cell = str | int | float | date | datetime | None

FIGURES = ("issued", "served", "no_show", "cancelled", "expired", "wait_avg", "wait_median",
           "wait_p90", "service_avg", "service_median")


@dataclass(frozen=True)
class Table:
    key: str
    headers: list[str]
    rows: list[list[Cell]]

    @property
    def title(self) -> str:
        return SHEETS[self.key]


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 2)


def _figures(f: dict) -> list[Cell]:
    return [f["issued"], f["served"], f["no_show"], f["cancelled"], f["expired"],
            minutes(f["wait_s"]["avg"]), minutes(f["wait_s"]["median"]),
            minutes(f["wait_s"]["p90"]), minutes(f["service_s"]["avg"]),
            minutes(f["service_s"]["median"])]


def report_tables(report: Report, dossiers: Sequence[DossierRow],
                  levels: Sequence[RatingLevel]) -> list[Table]:
    data = report.json
    totals = data["totals"]
    summary_rows: list[list[Cell]] = [
        [SUMMARY["office"], data["office"]["name"]],
        [SUMMARY["from"], date.fromisoformat(data["from"])],
        [SUMMARY["to"], date.fromisoformat(data["to"])],
    ]
    summary_rows += [[COLUMNS[key], value] for key, value in zip(FIGURES, _figures(totals))]
    summary_rows += [[SUMMARY["eta_tickets"], data["eta"]["tickets"]],
                     [SUMMARY["eta_error"], minutes(data["eta"]["median_abs_error_s"])]]
    figure_heads = [COLUMNS[key] for key in FIGURES]
    names = {level.code: level.name for level in levels}
    rated = sum(data["ratings"].values())
    eta_rows = [[f"{b['from_min']}–{b['to_min']}" if b["to_min"] is not None
                 else f"≥ {b['from_min']}", b["tickets"], minutes(b["estimated_s"]),
                 minutes(b["actual_s"])] for b in report.eta_bins]
    return [
        Table("summary", [COLUMNS["figure"], COLUMNS["value"]], summary_rows),
        Table("by_service", [COLUMNS["service_code"], COLUMNS["service_name"], *figure_heads],
              [[s["service_code"], s["service_name"], *_figures(s)] for s in data["by_service"]]),
        Table("by_counter", [COLUMNS["counter_number"], *figure_heads],
              [[c["counter_number"], *_figures(c)] for c in data["by_counter"]]),
        Table("by_clerk", [COLUMNS["username"], COLUMNS["full_name"], *figure_heads,
                           COLUMNS["yearly_projection"], COLUMNS["norm"],
                           COLUMNS["norm_ratio"]],
              [[c["username"], c["full_name"], *_figures(c), c["yearly_projection"], c["norm"],
                c["norm_ratio"]] for c in data["by_clerk"]]),
        Table("by_hour", [COLUMNS["hour"], COLUMNS["by_hour_issued"], COLUMNS["by_hour_served"]],
              [[h["hour"], h["issued"], h["served"]] for h in data["by_hour"]]),
        Table("ratings", [COLUMNS["level"], COLUMNS["level_code"], COLUMNS["count"],
                          COLUMNS["share"]],
              [[names.get(code, code), code, n, round(100 * n / rated, 1) if rated else None]
               for code, n in data["ratings"].items()]),
        Table("eta", [COLUMNS["eta_range"], COLUMNS["eta_tickets"], COLUMNS["eta_estimated"],
                      COLUMNS["eta_actual"]], eta_rows),
        # One row per dossier of the range (a month: thousands), so few cells per row.
        Table("dossiers", [COLUMNS["finished_at"], COLUMNS["number"], COLUMNS["service_code"],
                           COLUMNS["counter_number"], COLUMNS["username"],
                           COLUMNS["dossier_code"]],
              [[d.finished_at.replace(tzinfo=None, microsecond=0), d.number, d.service_code,
                d.counter_number, d.username, d.dossier_code] for d in dossiers]),
    ]


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(table.title)
        head = []
        for text in table.headers:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = bold
            head.append(cell)
        sheet.append(head)
        for row in table.rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_text(tables: Sequence[Table]) -> str:
    """The tables one after another: a title line, the header, the rows, a blank line.
    Starts with a BOM so spreadsheet programs read the Vietnamese as UTF-8."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    for table in tables:
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows([_csv_cell(v) for v in row] for row in table.rows)
        writer.writerow([])
    return out.getvalue()
