"""GET /api/v1/openapi.json tells the truth: every route is in it, and what the server
really answers during an office's day matches the documented schemas field by field."""

from __future__ import annotations

import argparse
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError
from sqlalchemy import func, select

from layso.common.types import DEVICE_STATUSES
from layso.server.app import create_app
from layso.server.commands import cmd_user_add
from layso.server.config import load_config
from layso.server.openapi import document
from layso.server.storage.tables import Ticket
from tests.support.live_server import DISPLAY_TOKEN, KIOSK_TOKEN, write_test_config

PREFIX = "/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")
DOC = document()

ADMIN = ("admin", "admin-pass-123")
CLERK = ("canbo1", "canbo-pass-123")


@dataclass
class AppOffice:
    """The in-process app and a bearer token per role (kiosk, display, clerk, admin)."""

    app: Flask
    client: FlaskClient
    tokens: dict[str, str]          # role → bearer token

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def ticket_count(self) -> int:
        with self.app.extensions["layso"].db.read() as session:
            return session.scalar(select(func.count()).select_from(Ticket))

    def issue(self, service_id: int = 1) -> dict:
        r = self.client.post("/api/v1/tickets", json={"service_id": service_id},
                             headers=self.auth("kiosk"))
        assert r.status_code == 201, r.get_data(as_text=True)
        return r.get_json()


def add_user(config_path, data_dir, role: str, username: str, password: str) -> None:
    """`layso user add` as the technician runs it, password on standard input."""
    args = argparse.Namespace(name=username, role=role, counters="", full_name="",
                              config=str(config_path), data_dir=str(data_dir))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(password + "\n"))
        assert cmd_user_add(args) == 0


@pytest.fixture(scope="module")
def app_office(tmp_path_factory) -> Iterator[AppOffice]:
    """An in-process app per test module: the bundled commune, a fresh data directory,
    the two test devices, one admin and one clerk."""
    root = tmp_path_factory.mktemp("office")
    config_path = write_test_config(root / "layso.toml")
    data_dir = root / "data"
    app = create_app(load_config(config_path), data_dir=data_dir, keepalive_s=0.2)
    add_user(config_path, data_dir, "admin", *ADMIN)
    add_user(config_path, data_dir, "clerk", *CLERK)
    client = app.test_client()
    tokens = {"kiosk": KIOSK_TOKEN, "display": DISPLAY_TOKEN}
    for role, (username, password) in (("admin", ADMIN), ("clerk", CLERK)):
        r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.get_data(as_text=True)
        tokens[role] = r.get_json()["token"]
    yield AppOffice(app, client, tokens)
    app.extensions["layso"].db.dispose()


@dataclass
class Exchange:
    """One request of the day and the answer it got."""

    method: str
    path: str                 # as documented, e.g. /tickets/{ticket_id}
    status: int
    content_type: str
    body: object


def validator(schema: dict) -> Draft202012Validator:
    """Validates against a schema of the document; its $refs point into the document."""
    return Draft202012Validator({"allOf": [schema], "components": DOC["components"]})


def resolve(item: dict) -> dict:
    while "$ref" in item:
        _, _, pointer = item["$ref"].partition("#/")
        item = DOC
        for key in pointer.split("/"):
            item = item[key.replace("~1", "/").replace("~0", "~")]
    return item


def schema_errors(exchange: Exchange) -> list[str]:
    """What is wrong with this answer by the document; empty when it is as documented."""
    where = f"{exchange.method.upper()} {exchange.path} → {exchange.status}"
    operation = DOC["paths"].get(exchange.path, {}).get(exchange.method)
    if operation is None:
        return [f"{where}: operation not documented"]
    documented = operation["responses"].get(str(exchange.status))
    if documented is None:
        return [f"{where}: status not documented"]
    content = resolve(documented).get("content", {})
    if exchange.content_type not in content:
        return [f"{where}: content type {exchange.content_type} not documented"]
    if exchange.content_type != "application/json":
        return []
    schema = content["application/json"]["schema"]
    return [f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator(schema).iter_errors(exchange.body)]


class Day:
    """Drives the in-process app as the kiosk, display and clerks would, recording all."""

    def __init__(self, office):
        self.office = office
        self.exchanges: list[Exchange] = []

    def __call__(self, method: str, path: str, role: str | None = None, json=None,
                 headers: dict | None = None, data: bytes | None = None,
                 query: dict | None = None, **path_args) -> object:
        headers = dict(headers or {})
        if role:
            headers.update(self.office.auth(role))
        r = self.office.client.open(PREFIX + path.format(**path_args), method=method.upper(),
                                    json=json, data=data, headers=headers, query_string=query)
        body = r.get_json() if r.mimetype == "application/json" else \
            r.get_data(as_text=r.mimetype.startswith("text/"))   # .xlsx is bytes
        self.exchanges.append(Exchange(method, path, r.status_code, r.mimetype, body))
        return body

    @property
    def last_status(self) -> int:
        return self.exchanges[-1].status


def read_events(office, last_event_id: int) -> list[tuple[int, str, dict]]:
    """Every stored event after `last_event_id`, read from GET /events until the newest."""
    newest = office.client.get(PREFIX + "/display", headers=office.auth("display")) \
        .get_json()["last_event_id"]
    headers = {**office.auth("display"), "Last-Event-ID": str(last_event_id)}
    response = office.client.get(PREFIX + "/events", headers=headers, buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    events, text = [], ""
    try:
        for chunk in response.response:
            text += chunk.decode() if isinstance(chunk, bytes) else chunk
            events = [(int(m[1]), m[2], json.loads(m[3])) for m in re.finditer(
                r"^id: (\d+)\nevent: (\S+)\ndata: (.*)$", text, re.MULTILINE)]
            if events and events[-1][0] >= newest:
                break
    finally:
        response.close()
    return events


@pytest.fixture(scope="module")
def day(app_office) -> Day:
    """A whole office day through the API: issue, call, recall, finish, transfer, errors."""
    act = Day(app_office)
    act("get", "/health")
    act("get", "/openapi.json")
    act("post", "/auth/login", json={"username": "admin", "password": "admin-pass-123"})
    act("post", "/auth/login", json={"username": "admin", "password": "wrong-password"})
    act("post", "/auth/login", json={"username": "admin"})
    act("get", "/office", "kiosk")
    act("get", "/services", "kiosk")
    act("get", "/counters", "display")
    act("get", "/display", "display")

    first = act("post", "/tickets", "kiosk", json={"service_id": 1})
    act("post", "/tickets", "kiosk", json={"service_id": 1, "priority": "NCT"})
    retry = {"Idempotency-Key": "kiosk-sanh-0001"}
    act("post", "/tickets", "kiosk", json={"service_id": 1}, headers=retry)
    act("post", "/tickets", "kiosk", json={"service_id": 1}, headers=retry)
    assert [e.status for e in act.exchanges[-2:]] == [201, 200]
    act("post", "/tickets", "admin", json={"service_id": 3})
    to_cancel = act("post", "/tickets", "kiosk", json={"service_id": 2})
    act("get", "/tickets/{ticket_id}", "display", ticket_id=first["id"])
    act("get", "/tickets", "clerk")
    act("get", "/counters/{counter_id}/line", "clerk", counter_id=1)
    act("get", "/counters/{counter_id}/line", "display", query={"limit": "2"}, counter_id=1)
    act("get", "/counters/{counter_id}/line", "display", query={"limit": "0"}, counter_id=1)

    called = act("post", "/counters/{counter_id}/call-next", "clerk", counter_id=1)["ticket"]
    act("post", "/counters/{counter_id}/recall", "clerk", counter_id=1)
    served = act("post", "/tickets/{ticket_id}/done", "clerk", ticket_id=called["id"],
                 json={"dossier_code": "H47.23-241123-0001"})
    called = act("post", "/counters/{counter_id}/call-next", "clerk", counter_id=1)["ticket"]
    act("post", "/tickets/{ticket_id}/no-show", "clerk", ticket_id=called["id"])
    act("post", "/tickets/{ticket_id}/reactivate", "clerk", ticket_id=called["id"])
    called = act("post", "/counters/{counter_id}/call-next", "clerk", counter_id=1)["ticket"]
    act("post", "/tickets/{ticket_id}/transfer", "clerk", json={"service_id": 3},
        ticket_id=called["id"])
    act("post", "/counters/{counter_id}/call", "clerk", json={"ticket_id": called["id"]},
        counter_id=3)
    act("post", "/tickets/{ticket_id}/cancel", "clerk", ticket_id=to_cancel["id"])
    act("post", "/counters/{counter_id}/pause", "clerk", json={"reason": "Họp giao ban"},
        counter_id=2)
    act("post", "/counters/{counter_id}/resume", "clerk", counter_id=2)
    act("post", "/counters/{counter_id}/call-next", "clerk", counter_id=5)
    assert act.exchanges[-1].body == {"ticket": None}
    act("post", "/devices/me/status", "kiosk",
        json={"status": "paper_out", "message": "Máy in hết giấy"})
    act("get", "/tickets", "display")
    act("get", "/counters", "display")
    act("get", "/display", "display")
    act("get", "/services", "display")

    # The reports, and the served citizen's status page and rating.
    today = {"from": served["business_day"], "to": served["business_day"]}
    act("get", "/reports", "admin", query=today)
    act("get", "/reports.xlsx", "admin", query=today)
    act("get", "/reports.csv", "admin")
    code = served["status_url"].rsplit("/t/", 1)[1]
    act("get", "/public/t/{code}", code=code)
    act("get", "/public/t/{code}/events", code=code)
    rating = {"level": "satisfied", "reasons": [], "status_page_code": code}
    act("post", "/tickets/{ticket_id}/rating", json=rating, ticket_id=served["id"])
    act("post", "/tickets/{ticket_id}/rating", json=rating, ticket_id=served["id"])
    assert [e.status for e in act.exchanges[-2:]] == [201, 409]
    act("get", "/public/t/{code}", code=code[:-1] + ("b" if code.endswith("a") else "a"))
    act("get", "/reports", "clerk")
    act("get", "/reports", "admin", query={"from": "2026-12-02", "to": "2026-11-01"})

    # What goes wrong at an office counter, answered as documented.
    act("get", "/services")
    act("post", "/counters/{counter_id}/call-next", "kiosk", counter_id=1)
    act("get", "/tickets/{ticket_id}", "kiosk", ticket_id=999_999)
    act("post", "/tickets/{ticket_id}/done", "clerk", ticket_id=first["id"])
    act("post", "/tickets/{ticket_id}/transfer", "clerk", json={"service_id": 3},
        ticket_id=called["id"])
    act("post", "/counters/{counter_id}/resume", "clerk", counter_id=2)
    act("post", "/counters/{counter_id}/recall", "clerk", counter_id=9999)
    act("post", "/tickets", "kiosk", json={"service_id": 9999})
    act("post", "/tickets", "kiosk", data=b"not json",
        headers={"Content-Type": "application/json"})
    act("post", "/tickets", "kiosk", data=b"[" + b"1," * 40_000 + b"1]",
        headers={"Content-Type": "application/json"})
    act("get", "/tickets", "clerk", query={"status": "lost"})
    act("get", "/events", "display", headers={"Last-Event-ID": "yesterday"})
    act("post", "/tickets", "display", json={"service_id": 1})
    act("post", "/tickets", "clerk", json={"service_id": 1})
    act("post", "/devices/me/status", "clerk", json={"status": "ok"})
    return act


def api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/"):
            continue
        path = re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len(PREFIX):])
        routes |= {(path, m.lower()) for m in rule.methods if m.lower() in METHODS}
    return routes


def documented_operations() -> set[tuple[str, str]]:
    return {(path, method) for path, item in DOC["paths"].items()
            for method in item if method in METHODS}


def test_every_api_route_is_documented_and_nothing_else(app_office):
    routes = api_routes(app_office.app)
    assert len(routes) >= 20
    assert routes - documented_operations() == set(), "routes missing from openapi.py"
    assert documented_operations() - routes == set(), "documented routes that do not exist"


def test_the_served_document_is_this_document_and_is_openapi_3_1(app_office):
    served = app_office.client.get(PREFIX + "/openapi.json").get_json()
    assert served == json.loads(json.dumps(DOC))
    assert served["openapi"] == "3.1.0"
    assert served["components"]["securitySchemes"]["bearer"] == {
        **served["components"]["securitySchemes"]["bearer"], "type": "http", "scheme": "bearer"}
    for name, schema in DOC["components"]["schemas"].items():
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as e:
            pytest.fail(f"schema {name}: {e.message}")


def test_every_reference_in_the_document_resolves():
    text = json.dumps(DOC)
    refs = set(re.findall(r'"\$ref": "([^"]+)"', text))
    assert "#/components/schemas/Ticket" in refs
    for target in refs:
        assert target.startswith("#/"), target
        resolve({"$ref": target})          # KeyError names the broken reference


def test_path_parameters_are_declared_where_used():
    for path, item in DOC["paths"].items():
        for method, operation in item.items():
            names = {resolve(p)["name"] for p in operation.get("parameters", [])}
            for name in re.findall(r"{(\w+)}", path):
                assert name in names, f"{method.upper()} {path} lacks parameter {name}"


def test_every_answer_of_the_day_matches_the_document(day):
    problems = [p for exchange in day.exchanges for p in schema_errors(exchange)]
    assert problems == []


def test_every_documented_success_was_seen_during_the_day(day):
    seen = {(e.path, e.method, e.status) for e in day.exchanges}
    expected = {(path, method, int(status)) for path, item in DOC["paths"].items()
                for method, operation in item.items() if method in METHODS
                for status in operation["responses"] if status.startswith("2")
                and path != "/events"}
    assert expected - seen == set()


def test_errors_of_the_day_are_the_documented_error_body(day):
    errors = [e for e in day.exchanges if e.status >= 400]
    assert {e.status for e in errors} >= {400, 401, 403, 404, 409, 413, 422}
    for e in errors:
        assert e.content_type == "application/json"
        assert validator({"$ref": "#/components/schemas/Error"}).is_valid(e.body), e


def test_a_renamed_or_missing_ticket_field_is_caught(day):
    """The schemas are closed: the test above would fail if the server renamed a field."""
    issued = next(e for e in day.exchanges if e.method == "post" and e.path == "/tickets"
                  and e.status == 201)
    assert schema_errors(issued) == []
    renamed = dict(issued.body)
    renamed["ticket_number"] = renamed.pop("number")
    assert schema_errors(Exchange("post", "/tickets", 201, "application/json", renamed))
    wrong_type = {**issued.body, "waiting_ahead": "2"}
    assert schema_errors(Exchange("post", "/tickets", 201, "application/json", wrong_type))
    undocumented_status = Exchange("post", "/tickets", 418, "application/json", issued.body)
    assert schema_errors(undocumented_status)


def test_a_renamed_display_or_counter_field_is_caught(day):
    display = next(e for e in day.exchanges if e.path == "/display" and e.status == 200)
    counter = dict(display.body["counters"][0])
    counter["current"] = counter.pop("current_ticket")
    broken = {**display.body, "counters": [counter]}
    assert schema_errors(Exchange("get", "/display", 200, "application/json", broken))
    service = dict(display.body["services"][0])
    service["waiting_count"] = service.pop("waiting")
    assert schema_errors(Exchange("get", "/services", 200, "application/json", [service]))


def test_the_day_shows_up_on_the_display_with_calls_and_current_tickets(day):
    display = [e for e in day.exchanges if e.path == "/display" and e.status == 200][-1].body
    assert display["recent_calls"], "the calls of the day are on the display"
    assert any(c["current_ticket"] for c in display["counters"])


def test_replayed_events_match_their_documented_data(app_office, day):
    kinds = DOC["paths"]["/events"]["get"]["x-event-types"]
    events = read_events(app_office, last_event_id=0)
    seen = {kind for _, kind, _ in events}
    assert {"ticket.issued", "ticket.called", "ticket.done", "ticket.no_show",
            "ticket.transferred", "counter.updated", "device.status"} <= seen
    ids = [event_id for event_id, _, _ in events]
    assert ids == sorted(set(ids)), "event ids only grow"
    problems = []
    for event_id, kind, data in events:
        if kind not in kinds:
            problems.append(f"event {event_id}: type {kind} not documented")
            continue
        problems += [f"event {event_id} {kind}: {e.message}"
                     for e in validator(kinds[kind]).iter_errors(data)]
    assert problems == []


def test_the_event_stream_is_documented_as_sse_with_last_event_id():
    operation = DOC["paths"]["/events"]["get"]
    assert "text/event-stream" in operation["responses"]["200"]["content"]
    headers = {resolve(p)["name"] for p in operation["parameters"]}
    assert "Last-Event-ID" in headers


def request_body_validator(path: str, method: str = "post") -> Draft202012Validator:
    body = DOC["paths"][path][method]["requestBody"]
    return validator(body["content"]["application/json"]["schema"])


def test_bodies_at_the_edge_of_the_document_are_accepted(app_office):
    """Whatever a request schema allows, the server takes: blank optional texts, null for
    an optional field, a whole number written 3.0, any device status of the list."""
    def post(path: str, role: str, body: dict | None, **path_args) -> dict:
        if body is not None:
            assert request_body_validator(path).is_valid(body), (path, body)
        r = app_office.client.post(PREFIX + path.format(**path_args), json=body,
                                   headers=app_office.auth(role))
        assert r.status_code in (200, 201), (path, body, r.get_json())
        return r.get_json()

    whole = post("/tickets", "kiosk", {"service_id": 3.0})
    assert whole["service_id"] == 3
    plain = post("/tickets", "kiosk", {"service_id": 1, "priority": None})
    assert plain["priority"] is None
    moved = post("/tickets/{ticket_id}/transfer", "clerk", {"service_id": 2, "keep_time": None},
                 ticket_id=plain["id"])
    assert moved["service_id"] == 2
    assert post("/counters/{counter_id}/call", "clerk", {"ticket_id": float(whole["id"])},
                counter_id=4)["ticket"]["id"] == whole["id"]
    for reason in ("", None):
        paused = post("/counters/{counter_id}/pause", "clerk", {"reason": reason}, counter_id=2)
        assert paused["status"] == "paused"
        post("/counters/{counter_id}/resume", "clerk", None, counter_id=2)
    assert DOC["paths"]["/counters/{counter_id}/pause"]["post"]["requestBody"]["required"] is False
    post("/counters/{counter_id}/pause", "clerk", None, counter_id=2)
    post("/counters/{counter_id}/resume", "clerk", None, counter_id=2)
    for status in DEVICE_STATUSES:
        assert post("/devices/me/status", "kiosk", {"status": status})["status"] == status
    post("/devices/me/status", "kiosk", {"status": "ok", "message": ""})
