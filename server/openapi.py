"""The OpenAPI 3.1 document of `/api/v1`, served at GET /api/v1/openapi.json.

Written by hand next to the views it describes: the operations here, the schemas of the
answers in openapi_schemas.py, the request bodies in bodies.py. tests/server/test_openapi.py
keeps it true (every route documented, real responses valid against these schemas), and
tests/server/test_schemathesis.py checks the server against it case by case.
"""

from __future__ import annotations

import copy
from typing import Any

from layso.server import bodies
from layso.server.openapi_schemas import (
    EVENT_DATA,
    EVENT_ID,
    ID,
    SCHEMAS,
    TEXT,
    TICKET_STATUS,
    Schema,
    ref,
)

ERRORS = {
    400: ("BadRequest", "malformed: not JSON, not an object, a bad header"),
    401: ("Unauthorized", "no token, or a token that is unknown, revoked or expired"),
    403: ("Forbidden", "this role (or this clerk at this counter) may not"),
    404: ("NotFound", "no such ticket or counter in the token's office"),
    409: ("Conflict", "the ticket, counter or service is not in a state that allows it"),
    413: ("TooLarge", "the body is over 64 KB"),
    422: ("Invalid", "valid JSON with a value the office cannot use"),
    429: ("TooManyLogins", "too many failed logins from this address or for this name: "
                           "ask again after Retry-After seconds"),
    503: ("Unavailable", "the database does not answer, or the server is busy: ask again "
                         "after Retry-After seconds (when given)"),
}
# Answers that carry Retry-After (seconds).
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer", "minimum": 1},
                               "description": "seconds to wait before asking again"}}


def error_response(status: int) -> dict:
    name, text = ERRORS[status]
    response: dict = {"description": text, "content": json_content(ref("Error"))}
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


def json_content(schema: Schema) -> dict:
    return {"application/json": {"schema": schema}}


SUCCESS = {200: "OK", 201: "Created"}


def operation(summary: str, ok: Schema, errors: tuple[int, ...] = (),
              body: str | None = None, roles: str | None = None,
              statuses: tuple[int, ...] = (200,), public: bool = False,
              params: tuple[str, ...] = (), **extra: Any) -> dict:
    """One operation; any-token unless `public`, error responses by status code."""
    responses: dict[str, Any] = {str(status): {"description": SUCCESS[status],
                                               "content": json_content(ok)}
                                 for status in statuses}
    # 503: any request may find the database or every worker thread busy.
    codes = set(errors) | ({400, 413} if body else set()) | (set() if public else {401}) | {503}
    if roles:
        codes.add(403)
    for code in sorted(codes):
        responses[str(code)] = {"$ref": f"#/components/responses/{ERRORS[code][0]}"}
    op: dict[str, Any] = {"summary": summary, "responses": responses, **extra}
    if roles:
        op["description"] = f"Roles: {roles}. " + op.get("description", "")
    if public:
        op["security"] = []
    if body:
        op["requestBody"] = {"required": bodies.BODIES[body].required,
                             "content": json_content(ref(body))}
    if params:
        op["parameters"] = [{"$ref": f"#/components/parameters/{p}"} for p in params]
    return op


CLERK = "clerk (at a counter they are assigned to, or any if none), admin"


def clerk_ticket_action(summary: str, body: str | None = None) -> dict:
    errors = (404, 409, 422) if body else (404, 409)
    return {"post": operation(summary, ref("Ticket"), errors, body=body, roles=CLERK,
                              params=("ticket_id",))}


def clerk_counter_action(summary: str, ok: Schema, errors: tuple[int, ...] = (404, 409),
                         body: str | None = None, **extra: Any) -> dict:
    return {"post": operation(summary, ok, errors, body=body, roles=CLERK,
                              params=("counter_id",), **extra)}


SSE_DESCRIPTION = """Server-Sent Events. Each event has `id:` (an integer that only grows, \
per office), `event:` (the type) and `data:` (a JSON object; `x-event-types` gives the \
schema of each type's data). With `Last-Event-ID` (header, or \
`?last_event_id=` for browsers) every stored event after it is sent first, in order, \
then live ones; without it, live ones only (take GET /display first for \
`last_event_id`). A comment line `: keepalive` comes at least every 15 s. The token may \
also be given as `?token=`."""

PATHS: dict[str, Any] = {
    "/health": {"get": operation("The database answers", ref("Health"), public=True)},
    "/openapi.json": {"get": operation("This document", {"type": "object"}, public=True)},
    "/auth/login": {"post": operation(
        "Log in a clerk or admin; gives a bearer token (16 h)", ref("Login"), (401, 422, 429),
        body="LoginRequest", public=True,
        description="401 login_failed on a wrong name or password (the same answer for "
                    "both); 429 too_many_logins while failed logins are throttled.")},
    "/office": {"get": operation("The token's office and its settings", ref("Office"))},
    "/services": {"get": operation(
        "The office's procedure fields, with waiting counts and availability",
        {"type": "array", "items": ref("Service")})},
    "/counters": {"get": operation("The counters and the ticket each has called",
                                   {"type": "array", "items": ref("Counter")})},
    "/tickets": {
        "get": operation("Today's tickets in one state (at most 500)",
                         {"type": "array", "items": ref("Ticket")}, (422,),
                         params=("status", "service_id"),
                         description="Waiting ones in the office's line order: by "
                                     "waiting_ahead, then oldest first (queued_at, then id). "
                                     "Others newest first."),
        "post": operation(
            "Issue a ticket (a new number) for a field", ref("Ticket"), (409, 422),
            body="IssueRequest", roles="kiosk, admin", statuses=(201, 200),
            params=("idempotency_key",),
            description="A retried request with the same Idempotency-Key answers 200 with "
                        "the ticket first issued; the same key with another service_id or "
                        "priority is a 422 idempotency_key_reused. 409 when the field is "
                        "closed, capped, past its cut-off, outside hours or has no counter."),
    },
    "/tickets/{ticket_id}": {"get": operation("One ticket", ref("Ticket"), (404,),
                                              params=("ticket_id",))},
    "/counters/{counter_id}/line": {"get": operation(
        "The counter's waiting tickets in the order it will call them", ref("Line"),
        (404, 422), roles="clerk, admin, display", params=("counter_id", "limit"),
        description="Exactly the order of repeated call-next at this counter if nobody new "
                    "arrived (priority run, max wait, transfers and reactivated no-shows at "
                    "their time); the first `limit` when given.")},
    "/display": {"get": operation("Everything the hall display shows", ref("Display"))},
    "/devices/me/status": {"post": operation(
        "A kiosk or display reports its state (e.g. paper_out); emits device.status",
        ref("DeviceStatus"), (422,), body="DeviceStatusRequest", roles="kiosk, display")},
    "/counters/{counter_id}/call-next": clerk_counter_action(
        "Call the next ticket by the call policy; finishes the current one first",
        ref("CallResult"), description="{\"ticket\": null} when nobody waits"),
    "/counters/{counter_id}/call": clerk_counter_action(
        "Call one waiting ticket out of order (recorded as such)", ref("CallResult"),
        (404, 409, 422), body="CallTicketRequest"),
    "/counters/{counter_id}/recall": clerk_counter_action(
        "Announce the counter's current ticket again (counted)", ref("CallResult")),
    "/counters/{counter_id}/pause": clerk_counter_action(
        "Pause the counter, with a reason", ref("Counter"), (404, 422), body="PauseRequest"),
    "/counters/{counter_id}/resume": clerk_counter_action("Resume a paused counter",
                                                          ref("Counter")),
    "/tickets/{ticket_id}/done": clerk_ticket_action(
        "The called ticket is served; the dossier code it led to may be given",
        body="DoneRequest"),
    "/tickets/{ticket_id}/no-show": clerk_ticket_action("The called citizen did not come"),
    "/tickets/{ticket_id}/transfer": clerk_ticket_action(
        "Back to waiting in another field, same number (409 same_service)",
        body="TransferRequest"),
    "/tickets/{ticket_id}/cancel": clerk_ticket_action("Cancel a waiting ticket"),
    "/tickets/{ticket_id}/reactivate": clerk_ticket_action(
        "A no-show comes back: same number, back in line at its original time"),
    "/events": {"get": {
        "summary": "The live event stream (SSE)",
        "description": SSE_DESCRIPTION,
        "parameters": [{"$ref": "#/components/parameters/last_event_id"},
                       {"name": "last_event_id", "in": "query", "required": False,
                        "schema": EVENT_ID,
                        "description": "as Last-Event-ID, for browsers; the header wins"},
                       {"name": "token", "in": "query", "required": False, "schema": TEXT}],
        "responses": {
            "200": {"description": "the stream",
                    "content": {"text/event-stream": {"schema": ref("StreamEvent")}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
            "503": {"$ref": "#/components/responses/Unavailable"},
        },
        "x-event-types": {kind: ref(name) for kind, name in EVENT_DATA.items()},
    }},
}

from layso.server import openapi_reports  # noqa: E402  (the reports, rating, status page)

PATHS.update(openapi_reports.paths(operation))
SCHEMAS.update(openapi_reports.SCHEMAS)

PARAMETERS = {
    "ticket_id": {"name": "ticket_id", "in": "path", "required": True, "schema": ID},
    "counter_id": {"name": "counter_id", "in": "path", "required": True, "schema": ID},
    "status": {"name": "status", "in": "query", "required": False,
               "schema": {"enum": TICKET_STATUS, "default": "waiting"}},
    "service_id": {"name": "service_id", "in": "query", "required": False, "schema": ID},
    "limit": {"name": "limit", "in": "query", "required": False,
              "schema": {"type": "integer", "minimum": 1, "maximum": 500}},
    "idempotency_key": {"name": "Idempotency-Key", "in": "header", "required": False,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 100}},
    "last_event_id": {"name": "Last-Event-ID", "in": "header", "required": False,
                      "schema": EVENT_ID,
                      "description": "the id of the last event the client received"},
    **openapi_reports.PARAMETERS,
}


def document() -> dict:
    return copy.deepcopy({
        "openapi": "3.1.0",
        "info": {
            "title": "LaySo queue server",
            "version": "1",
            "description": "Queue numbers for Vietnam's one-stop offices. Every error has "
                           "the body {\"error\": {\"code\", \"message\"}}. A request "
                           "body holds only its documented fields; an optional one may be "
                           "left out or null (its default); 422 invalid_field names the "
                           "field that is unknown or wrong. A 405 lists in Allow the "
                           "methods the address takes.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "parameters": PARAMETERS,
            "responses": {name: error_response(status) for status, (name, _) in ERRORS.items()},
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "a device token from the config file, or a user token "
                               "from POST /auth/login"}},
        },
    })
