"""Bad requests get the right 4xx with {"error": {"code", "message"}}, never a 500, and
never cost the office a stored ticket or a number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from layso.server.storage.tables import Ticket
from tests.server import test_openapi
from tests.server.test_openapi import AppOffice

app_office = test_openapi.app_office       # the same in-process app fixture, for this module

API = "/api/v1"
NO_BODY = object()
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
TOO_BIG = b'{"service_id": 1, "note": "' + b"x" * 70_000 + b'"}'


@dataclass(frozen=True)
class Bad:
    """One bad request and what it must get. "{waiting}" and "{called}" in the path or as a
    body value stand for a waiting ticket (field CT) and a ticket called at counter 4 (DD)."""

    method: str
    path: str
    token: str | None              # a role of AppOffice, a literal Authorization header, or None
    status: int
    code: str | None = None
    json: object = NO_BODY
    data: bytes | None = None
    headers: dict = field(default_factory=dict)


def issue(**body) -> Bad:
    return Bad("POST", "/tickets", "kiosk", 422, "invalid_field", json=body)


ROWS: dict[str, Bad] = {
    # Wrong types and values for a ticket: 422 naming the field.
    "service_id text": issue(service_id="x"),
    "service_id numeric text": issue(service_id="1"),
    "service_id true": issue(service_id=True),
    "service_id false": issue(service_id=False),
    "service_id negative": issue(service_id=-1),
    "service_id zero": issue(service_id=0),
    "service_id fraction": issue(service_id=1.5),
    "service_id 2**80": issue(service_id=2 ** 80),
    "service_id 2**53": issue(service_id=2 ** 53),
    "service_id list": issue(service_id=[1]),
    "service_id object": issue(service_id={"id": 1}),
    "service_id null": issue(service_id=None),
    "service_id missing": issue(priority="NCT"),
    "empty body": Bad("POST", "/tickets", "kiosk", 422, "invalid_field", data=b""),
    "priority number": issue(service_id=1, priority=5),
    "priority empty": issue(service_id=1, priority=""),
    "priority too long": issue(service_id=1, priority="N" * 17),
    "unknown priority": Bad("POST", "/tickets", "kiosk", 422, "unknown_category",
                            json={"service_id": 1, "priority": "VIP"}),
    "unknown service": Bad("POST", "/tickets", "kiosk", 422, "unknown_service",
                           json={"service_id": 9999}),
    "transfer service_id text": Bad("POST", "/tickets/{waiting}/transfer", "clerk", 422,
                                    "invalid_field", json={"service_id": "x"}),
    "transfer keep_time text": Bad("POST", "/tickets/{waiting}/transfer", "clerk", 422,
                                   "invalid_field", json={"service_id": 3, "keep_time": "yes"}),
    "transfer unknown service": Bad("POST", "/tickets/{waiting}/transfer", "clerk", 422,
                                    "unknown_service", json={"service_id": 9999}),
    "call ticket_id true": Bad("POST", "/counters/3/call", "clerk", 422, "invalid_field",
                               json={"ticket_id": True}),
    "pause reason number": Bad("POST", "/counters/1/pause", "clerk", 422, "invalid_field",
                               json={"reason": 5}),
    "login username number": Bad("POST", "/auth/login", None, 422, "invalid_field",
                                 json={"username": 5, "password": "x"}),
    "login no password": Bad("POST", "/auth/login", None, 422, "invalid_field",
                             json={"username": "admin"}),
    "device status missing": Bad("POST", "/devices/me/status", "kiosk", 422, "invalid_field",
                                 json={"message": "?"}),
    "device message too long": Bad("POST", "/devices/me/status", "kiosk", 422,
                                   "invalid_field", json={"status": "ok", "message": "x" * 501}),
    "device message a number": Bad("POST", "/devices/me/status", "kiosk", 422,
                                   "invalid_field", json={"status": "ok", "message": 0}),
    "device status not one of the list": Bad("POST", "/devices/me/status", "kiosk", 422,
                                             "invalid_field", json={"status": "x" * 16}),
    "device status unknown property": Bad("POST", "/devices/me/status", "kiosk", 422,
                                          "invalid_field", json={"status": "ok", "level": 3}),
    "issue unknown property": issue(service_id=1, note="xin nhanh"),
    "issue service_id misspelt": issue(serviceId=1, service_id=1),
    "transfer unknown property": Bad("POST", "/tickets/{waiting}/transfer", "clerk", 422,
                                     "invalid_field", json={"service_id": 3, "counter": 1}),
    "login unknown property": Bad("POST", "/auth/login", None, 422, "invalid_field",
                                  json={"username": "admin", "password": "x", "role": "admin"}),
    "pause unknown property": Bad("POST", "/counters/1/pause", "clerk", 422, "invalid_field",
                                  json={"reason": "Họp", "until": "10:00"}),
    "pause reason too long": Bad("POST", "/counters/1/pause", "clerk", 422, "invalid_field",
                                 json={"reason": "x" * 201}),
    # PostgreSQL cannot store NUL in text: refused before it reaches the database.
    "priority with NUL": issue(service_id=1, priority="NCT\x00"),
    "pause reason with NUL": Bad("POST", "/counters/1/pause", "clerk", 422, "invalid_field",
                                 json={"reason": "Họp\x00"}),
    "login username with NUL": Bad("POST", "/auth/login", None, 422, "invalid_field",
                                   json={"username": "admin\x00", "password": "x"}),
    "list unknown status": Bad("GET", "/tickets?status=lost", "clerk", 422, "invalid_field"),
    "list service_id 2**80": Bad("GET", f"/tickets?service_id={2 ** 80}", "clerk", 422),

    # Unknown ids: 404; ids no database could hold are no route at all.
    "unknown ticket": Bad("GET", "/tickets/9999", "display", 404, "not_found"),
    "unknown ticket done": Bad("POST", "/tickets/9999/done", "clerk", 404, "not_found"),
    "unknown counter call-next": Bad("POST", "/counters/9999/call-next", "clerk", 404,
                                     "not_found"),
    "unknown counter recall": Bad("POST", "/counters/9999/recall", "clerk", 404, "not_found"),
    "call unknown ticket": Bad("POST", "/counters/3/call", "clerk", 404, "not_found",
                               json={"ticket_id": 9999}),
    "largest id": Bad("GET", f"/tickets/{2 ** 53 - 1}", "display", 404, "not_found"),
    "huge ticket id": Bad("GET", "/tickets/99999999999999999999", "display", 404, "no_route"),
    "huge counter id": Bad("POST", f"/counters/{2 ** 53}/call-next", "clerk", 404, "no_route"),
    "ticket id zero": Bad("GET", "/tickets/0", "display", 404, "no_route"),
    "ticket id negative": Bad("GET", "/tickets/-1", "display", 404, "no_route"),
    "ticket id text": Bad("GET", "/tickets/abc", "display", 404, "no_route"),

    # A role that may not.
    "kiosk calls next": Bad("POST", "/counters/1/call-next", "kiosk", 403, "forbidden"),
    "display calls next": Bad("POST", "/counters/1/call-next", "display", 403, "forbidden"),
    "clerk issues": Bad("POST", "/tickets", "clerk", 403, "forbidden", json={"service_id": 1}),
    "display issues": Bad("POST", "/tickets", "display", 403, "forbidden",
                          json={"service_id": 1}),
    "display finishes": Bad("POST", "/tickets/{called}/done", "display", 403, "forbidden"),
    "kiosk transfers": Bad("POST", "/tickets/{waiting}/transfer", "kiosk", 403, "forbidden",
                           json={"service_id": 3}),
    "clerk reports device status": Bad("POST", "/devices/me/status", "clerk", 403, "forbidden",
                                       json={"status": "ok"}),

    # No token, or a bad one.
    "no token": Bad("GET", "/services", None, 401, "unauthorized"),
    "no token issuing": Bad("POST", "/tickets", None, 401, "unauthorized",
                            json={"service_id": 1}),
    "unknown token": Bad("GET", "/services", "Bearer not-a-real-token", 401, "unauthorized"),
    "empty bearer": Bad("GET", "/counters", "Bearer ", 401, "unauthorized"),
    "basic auth": Bad("GET", "/office", "Basic YWRtaW46YWRtaW4=", 401, "unauthorized"),
    "token not latin": Bad("GET", "/display", "Bearer \xff\xfe", 401, "unauthorized"),
    "events without token": Bad("GET", "/events", None, 401, "unauthorized"),
    "events with bad query token": Bad("GET", "/events?token=nope", None, 401, "unauthorized"),
    "wrong password": Bad("POST", "/auth/login", None, 401, "login_failed",
                          json={"username": "khach", "password": "doan-bua-123"}),

    # Bodies too big, not JSON, not an object.
    "body over 64 KB": Bad("POST", "/tickets", "kiosk", 413, "too_large", data=TOO_BIG),
    "login body over 64 KB": Bad("POST", "/auth/login", None, 413, "too_large", data=TOO_BIG),
    "not JSON": Bad("POST", "/tickets", "kiosk", 400, "bad_json", data=b"service_id=1"),
    "not UTF-8": Bad("POST", "/tickets", "kiosk", 400, "bad_json", data=b'{"\xff": 1}'),
    "truncated JSON": Bad("POST", "/tickets", "kiosk", 400, "bad_json",
                          data=b'{"service_id": 1'),
    "JSON list": Bad("POST", "/tickets", "kiosk", 400, "bad_json", data=b"[1]"),
    "JSON string": Bad("POST", "/tickets", "kiosk", 400, "bad_json", data=b'"1"'),
    "JSON number": Bad("POST", "/tickets", "kiosk", 400, "bad_json", data=b"1"),
    "JSON null": Bad("POST", "/tickets", "kiosk", 400, "bad_json", data=b"null"),
    "JSON nested 30000 deep": Bad("POST", "/tickets", "kiosk", 400, "bad_json",
                                  data=b"[" * 30_000 + b"]" * 30_000),
    "lone surrogate in priority": Bad("POST", "/tickets", "kiosk", 400, "bad_json",
                                      data=b'{"service_id": 1, "priority": "\\ud800"}'),
    "lone surrogate in password": Bad("POST", "/auth/login", None, 400, "bad_json",
                                      data=b'{"username": "admin", "password": "\\udfff"}'),
    "transfer body a list": Bad("POST", "/tickets/{waiting}/transfer", "clerk", 400,
                                "bad_json", data=b"[3]"),

    # Idempotency-Key must be 1–100 characters.
    "empty idempotency key": Bad("POST", "/tickets", "kiosk", 400, "bad_idempotency_key",
                                 json={"service_id": 1}, headers={"Idempotency-Key": ""}),
    "blank idempotency key": Bad("POST", "/tickets", "kiosk", 400, "bad_idempotency_key",
                                 json={"service_id": 1}, headers={"Idempotency-Key": "   "}),
    "long idempotency key": Bad("POST", "/tickets", "kiosk", 400, "bad_idempotency_key",
                                json={"service_id": 1}, headers={"Idempotency-Key": "k" * 101}),

    # No such address, no such method.
    "unknown route": Bad("GET", "/queue", "display", 404, "no_route"),
    "unknown route no token": Bad("POST", "/tickets/1/undo", None, 404, "no_route"),
    "GET call-next": Bad("GET", "/counters/1/call-next", "clerk", 405, "method_not_allowed"),
    "DELETE ticket": Bad("DELETE", "/tickets/{waiting}", "admin", 405, "method_not_allowed"),
    "PUT services": Bad("PUT", "/services", "admin", 405, "method_not_allowed", json={}),

    # State conflicts: 409.
    "transfer to the same field": Bad("POST", "/tickets/{waiting}/transfer", "clerk", 409,
                                      "same_service", json={"service_id": 2}),
    "done while waiting": Bad("POST", "/tickets/{waiting}/done", "clerk", 409, "ticket_state"),
    "no-show while waiting": Bad("POST", "/tickets/{waiting}/no-show", "clerk", 409,
                                 "ticket_state"),
    "reactivate while waiting": Bad("POST", "/tickets/{waiting}/reactivate", "clerk", 409,
                                    "ticket_state"),
    "cancel once called": Bad("POST", "/tickets/{called}/cancel", "clerk", 409,
                              "ticket_state"),
    "call a ticket called elsewhere": Bad("POST", "/counters/3/call", "clerk", 409,
                                          "ticket_called_elsewhere",
                                          json={"ticket_id": "{called}"}),
    "resume an open counter": Bad("POST", "/counters/1/resume", "clerk", 409,
                                  "counter_not_paused"),
    "recall with nobody called": Bad("POST", "/counters/5/recall", "clerk", 409,
                                     "no_current_ticket"),

    # The event stream's Last-Event-ID is a whole number.
    "Last-Event-ID text": Bad("GET", "/events", "display", 400,
                              headers={"Last-Event-ID": "yesterday"}),
    "Last-Event-ID negative": Bad("GET", "/events", "display", 400,
                                  headers={"Last-Event-ID": "-1"}),
    "Last-Event-ID fraction": Bad("GET", "/events", "display", 400,
                                  headers={"Last-Event-ID": "1.5"}),
    "Last-Event-ID superscript": Bad("GET", "/events", "display", 400,
                                     headers={"Last-Event-ID": "\xb2"}),
    "Last-Event-ID 2**80": Bad("GET", "/events", "display", 400,
                               headers={"Last-Event-ID": str(2 ** 80)}),
    "last_event_id query text": Bad("GET", "/events?last_event_id=x", "display", 400),
    "last_event_id query empty": Bad("GET", "/events?last_event_id=", "display", 400),
    "Last-Event-ID empty": Bad("GET", "/events", "display", 400, headers={"Last-Event-ID": ""}),
    "last_event_id query bad beside a good header": Bad(
        "GET", "/events?last_event_id=-1", "display", 400, headers={"Last-Event-ID": "0"}),
}


@pytest.fixture(scope="module")
def tickets(app_office: AppOffice) -> dict[str, int]:
    """A waiting ticket for Chứng thực and one called at counter 4 (Đất đai)."""
    waiting = app_office.issue(service_id=2)["id"]
    dd = app_office.issue(service_id=3)["id"]
    r = app_office.client.post(API + "/counters/4/call-next", headers=app_office.auth("clerk"))
    assert r.get_json()["ticket"]["id"] == dd
    return {"waiting": waiting, "called": dd}


def stored_tickets(office: AppOffice) -> list[tuple]:
    with office.app.extensions["layso"].db.read() as session:
        return [tuple(row) for row in session.execute(
            select(Ticket.id, Ticket.number, Ticket.service_id, Ticket.status,
                   Ticket.counter_id, Ticket.queued_at).order_by(Ticket.id))]


def send(office: AppOffice, bad: Bad, tickets: dict[str, int], lang: str = "vi"):
    headers = {"Accept-Language": lang, **bad.headers}
    if bad.token in office.tokens:
        headers.update(office.auth(bad.token))
    elif bad.token:
        headers["Authorization"] = bad.token
    kwargs: dict = {}
    if isinstance(bad.json, dict):
        kwargs["json"] = {k: tickets.get(str(v).strip("{}"), v) if isinstance(v, str) else v
                          for k, v in bad.json.items()}
    elif bad.json is not NO_BODY:
        kwargs["json"] = bad.json
    if bad.data is not None:
        kwargs = {"data": bad.data, "content_type": "application/json"}
    path = API + bad.path.format(**tickets)
    # Unbuffered, so a stream wrongly opened fails the test instead of hanging it.
    response = office.client.open(path, method=bad.method, headers=headers, buffered=False,
                                  **kwargs)
    if response.mimetype == "text/event-stream":
        response.close()
        pytest.fail(f"{bad.method} {path} opened an event stream")
    return response


# Found while writing this table; strict, so the fix turns them into failures to remove.
KNOWN_BUGS: dict[str, str] = {}


def rows() -> list:
    return [pytest.param(row, id=name, marks=[pytest.mark.xfail(strict=True,
                                                                reason=KNOWN_BUGS[name])]
                         if name in KNOWN_BUGS else []) for name, row in ROWS.items()]


@pytest.mark.parametrize("bad", rows())
def test_a_bad_request_gets_its_4xx_and_the_json_error_body(app_office, tickets, bad):
    before = stored_tickets(app_office)
    response = send(app_office, bad, tickets)
    body = response.get_json(silent=True)
    assert (response.status_code, response.mimetype) == (bad.status, "application/json"), body
    assert body.keys() == {"error"} and body["error"].keys() == {"code", "message"}
    assert SNAKE.match(body["error"]["code"])
    if bad.code:
        assert body["error"]["code"] == bad.code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"].strip()
    assert stored_tickets(app_office) == before, "a refused request changed stored tickets"


def request_schema(bad: Bad) -> dict | None:
    """The documented JSON Schema of the row's request body; None when it has none."""
    path = bad.path.split("?")[0]
    for template, item in test_openapi.DOC["paths"].items():
        if re.fullmatch(re.sub(r"{\w+}", "[^/]+", template), path) and bad.method.lower() in item:
            body = item[bad.method.lower()].get("requestBody")
            return body["content"]["application/json"]["schema"] if body else None
    return None


@pytest.mark.parametrize("name", [name for name, row in ROWS.items()
                                  if row.code == "invalid_field" and isinstance(row.json, dict)])
def test_a_body_the_server_calls_invalid_is_one_the_document_forbids(name):
    """The server and openapi.py agree: a body refused as invalid is invalid by its schema."""
    schema = request_schema(ROWS[name])
    assert schema is not None, "the operation documents no request body"
    assert not test_openapi.validator(schema).is_valid(ROWS[name].json)


# What the Allow header of each 405 row must list (RFC 9110: a 405 says what would work).
ALLOWED = {"GET call-next": {"POST"}, "DELETE ticket": {"GET"}, "PUT services": {"GET"}}


@pytest.mark.parametrize("name", [name for name, row in ROWS.items() if row.status == 405])
def test_a_405_names_the_methods_the_address_allows(app_office, tickets, name):
    response = send(app_office, ROWS[name], tickets)
    assert response.status_code == 405
    allowed = {m.strip() for m in response.headers.get("Allow", "").split(",") if m.strip()}
    assert ALLOWED[name] <= allowed, response.headers
    assert ROWS[name].method not in allowed
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_every_row_asks_for_a_4xx():
    statuses = {row.status for row in ROWS.values()}
    assert statuses == {400, 401, 403, 404, 405, 409, 413, 422}


def test_errors_speak_english_when_asked(app_office, tickets):
    vi = send(app_office, ROWS["unknown service"], tickets).get_json()["error"]["message"]
    en = send(app_office, ROWS["unknown service"], tickets, lang="en").get_json()
    assert en["error"]["code"] == "unknown_service"
    assert en["error"]["message"] != vi and "9999" in en["error"]["message"]


def test_refused_tickets_use_up_no_number(app_office, tickets):
    """Between two good tickets, every kind of bad issue request: numbers stay consecutive."""
    first = app_office.issue(service_id=1)
    for bad in ROWS.values():
        if bad.method == "POST" and bad.path == "/tickets":
            assert send(app_office, bad, tickets).status_code >= 400
    second = app_office.issue(service_id=1)
    assert int(second["number"]) == int(first["number"]) + 1


def test_an_idempotency_key_reused_for_another_request_is_refused(app_office, tickets):
    """A retry (same key, same body) gets the first ticket back, even after a transfer;
    the same key with another field or priority, or an unknown field, is a 422 naming it."""
    key = {"Idempotency-Key": "kiosk-sanh-reuse-1"}
    kiosk = {**app_office.auth("kiosk"), **key}
    first = app_office.client.post(API + "/tickets", json={"service_id": 1}, headers=kiosk)
    assert first.status_code == 201
    ticket = first.get_json()
    before = stored_tickets(app_office)
    for body in ({"service_id": 9999}, {"service_id": 2}, {"service_id": 1, "priority": "NCT"}):
        for lang in ("vi", "en"):
            r = app_office.client.post(API + "/tickets", json=body,
                                       headers={**kiosk, "Accept-Language": lang})
            error = r.get_json()["error"]
            assert (r.status_code, error["code"]) == (422, "idempotency_key_reused"), body
            assert ticket["number"] in error["message"]
            assert ("Idempotency-Key" in error["message"]
                    and (("yêu cầu khác" in error["message"]) == (lang == "vi")))
    assert stored_tickets(app_office) == before, "a refused reuse changed stored tickets"

    retry = app_office.client.post(API + "/tickets", json={"service_id": 1}, headers=kiosk)
    assert (retry.status_code, retry.get_json()["id"]) == (200, ticket["id"])
    moved = app_office.client.post(API + f"/tickets/{ticket['id']}/transfer",
                                   json={"service_id": 3}, headers=app_office.auth("clerk"))
    assert moved.status_code == 200
    late_retry = app_office.client.post(API + "/tickets", json={"service_id": 1}, headers=kiosk)
    assert (late_retry.status_code, late_retry.get_json()["id"]) == (200, ticket["id"])
