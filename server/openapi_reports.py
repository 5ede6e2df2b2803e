"""What openapi.json says about the reports, the citizen's rating and the ticket's status
page (server/report_api.py, server/public.py); openapi.py adds these to its document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from layso.server.openapi_schemas import (
    BOOL,
    COUNT,
    DAY,
    ID,
    TEXT,
    TICKET_STATUS,
    TIME,
    Schema,
    nullable,
    obj,
    ref,
)

NUMBER: Schema = {"type": "number"}
SECONDS: Schema = nullable({**NUMBER, "description": "seconds; null when nothing to measure"})


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


FIGURES: dict[str, Schema] = {
    "issued": COUNT, "served": COUNT, "no_show": COUNT, "cancelled": COUNT, "expired": COUNT,
    "wait_s": obj({"avg": SECONDS, "median": SECONDS, "p90": SECONDS},
                  description="first call − issue"),
    "service_s": obj({"avg": SECONDS, "median": SECONDS},
                     description="done − last call"),
}
BILINGUAL = obj({"vi": TEXT, "en": TEXT})

SCHEMAS: dict[str, Schema] = {
    "Report": obj({
        "from": DAY,
        "to": DAY,
        "office": obj({"code": TEXT, "name": TEXT}),
        "totals": obj(FIGURES),
        "by_service": array(obj({**FIGURES, "service_code": TEXT, "service_name": TEXT},
                                description="by the field a ticket ended in")),
        "by_counter": array(obj({**FIGURES, "counter_number": {"type": "integer"}},
                                description="by the counter of a ticket's last call")),
        "by_clerk": array(obj({
            **FIGURES, "username": TEXT, "full_name": TEXT,
            "yearly_projection": nullable({**COUNT, "description": "served × 365 / days"}),
            "norm": {**COUNT, "description": "dossiers per staff member a year"},
            "norm_ratio": nullable(NUMBER)}, description="by the clerk of the last call")),
        "by_hour": array(obj({"hour": {"type": "integer", "minimum": 0, "maximum": 23},
                              "issued": COUNT, "served": COUNT})),
        "ratings": {"type": "object", "additionalProperties": COUNT,
                    "description": "ratings per level code"},
        "eta": obj({"tickets": COUNT, "median_abs_error_s": SECONDS},
                   description="|actual wait − the estimate given at issue|"),
    }),
    "TicketStatusPage": obj({
        "number": TEXT,
        "service_code": TEXT,
        "service_name": TEXT,
        "status": {"enum": TICKET_STATUS},
        "waiting_ahead": COUNT,
        "estimated_wait_s": nullable(COUNT),
        "counter": nullable(obj({"number": {"type": "integer"}, "name": TEXT},
                                description="where to go, once called")),
        "issued_at": TIME,
        "called_at": nullable(TIME),
        "finished_at": nullable(TIME),
        "business_day": DAY,
        "recall_count": COUNT,
        "office": obj({"name": TEXT, "unit": TEXT}),
        "rating": obj({
            "level": nullable(TEXT),
            "can_rate": BOOL,
            "levels": array(obj({"code": TEXT, "name": TEXT, "name_en": TEXT,
                                 "unhappy": BOOL})),
            "reasons": array(TEXT),
        }),
        "say": obj({"headline": BILINGUAL, "details": array(BILINGUAL)},
                   description="what the page shows, Vietnamese and English"),
    }),
    "Rating": obj({"ticket_id": ID, "level": TEXT, "reasons": array(TEXT),
                   "counter_id": nullable(ID), "source": {"enum": ["device", "status_page"]}}),
}

PARAMETERS: dict[str, Schema] = {
    "report_from": {"name": "from", "in": "query", "required": False,
                    "schema": {"type": "string", "format": "date"},
                    "description": "first business day (default: `to`, else today)"},
    "report_to": {"name": "to", "in": "query", "required": False,
                  "schema": {"type": "string", "format": "date"},
                  "description": "last business day, included (default: `from`, else today)"},
    "status_code": {"name": "code", "in": "path", "required": True,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 64}},
}

REPORTS = "admin, leader"


def _file(operation: dict, media_type: str, what: str) -> dict:
    operation["responses"]["200"] = {"description": what, "content": {
        media_type: {"schema": {"type": "string", "format": "binary"}}}}
    return operation


def paths(operation: Callable[..., dict]) -> dict[str, Any]:
    """The operations, built with openapi.py's `operation()`."""
    report_params = ("report_from", "report_to")
    status_page = operation(
        "A ticket's status, as its status page shows it (no login)", ref("TicketStatusPage"),
        (404,), public=True, params=("status_code",),
        description="The code is the one in the ticket's status_url; any other is a 404.")
    stream = operation("The same, pushed (SSE `event: status`) until the ticket is finished",
                       {"type": "string"}, (404,), public=True, params=("status_code",))
    stream["responses"]["200"] = {"description": "the stream", "content": {
        "text/event-stream": {"schema": {"type": "string"}}}}
    rating = operation(
        "The citizen rates a served ticket, once", ref("Rating"), (403, 404, 409, 422),
        body="RatingRequest", statuses=(201,), params=("ticket_id",),
        description="From the rating device of the counter that served it (bearer token), "
                    "or from the ticket's status page (`status_page_code`, no token). 409 "
                    "rating_not_served before it is done, rating_exists the second time.")
    rating["security"] = [{"bearer": []}, {}]
    return {
        "/reports": {"get": operation(
            "The office's figures for a range of business days", ref("Report"), (422,),
            roles=REPORTS, params=report_params)},
        "/reports.xlsx": {"get": _file(operation(
            "The same figures as a spreadsheet (one sheet per table, times in minutes)",
            {"type": "string"}, (422,), roles=REPORTS, params=report_params),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "the file")},
        "/reports.csv": {"get": _file(operation(
            "The same figures as CSV (the tables one after another, UTF-8 with BOM)",
            {"type": "string"}, (422,), roles=REPORTS, params=report_params),
            "text/csv", "the file")},
        "/public/t/{code}": {"get": status_page},
        "/public/t/{code}/events": {"get": stream},
        "/tickets/{ticket_id}/rating": {"post": rating},
    }
