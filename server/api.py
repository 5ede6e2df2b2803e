"""The JSON API (`/api/v1`): turns HTTP into calls of the use cases and back.

No decisions are made here: who may do what is `requires()`, what happens is `Queue`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from layso.server import auth, bodies
from layso.server import snapshots as snap
from layso.server.domain.errors import DomainError, Invalid
from layso.server.errors import request_lang
from layso.server.operations import Actor
from layso.server.recording import last_event_id

bp = Blueprint("api", __name__, url_prefix="/api/v1")

ANY = ("kiosk", "display", "clerk", "admin", "leader")
MAX_ID = bodies.MAX_ID


class BadRequest(DomainError):
    status = 400


def layso():
    return current_app.extensions["layso"]


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header[len("Bearer "):].strip() or None
    return None


def current_actor(token: str | None) -> Actor:
    """Who the token is (cached in memory; a revocation clears it at once), else 401."""
    actor = layso().credentials.actor(token) if token else None
    if actor is None:
        raise auth.Unauthorized("unauthorized")
    return actor


WHAT_ROLE_MAY = {
    "tickets.issue": ("cấp số", "issue tickets"),
    "counter.act": ("thao tác tại quầy", "act at a counter"),
    "device.report": ("báo trạng thái thiết bị", "report device status"),
}


def requires(*roles: str, action: str = "") -> Callable:
    """Let the view run only for a token whose role is one of `roles`."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            actor = current_actor(bearer_token())
            if actor.role not in roles:
                what_vi, what_en = WHAT_ROLE_MAY.get(action, ("làm việc này", "do this"))
                raise _Forbidden(what_vi, what_en)
            g.actor = actor
            return view(*args, **kwargs)
        return wrapper
    return decorate


class _Forbidden(DomainError):
    status = 403

    def __init__(self, what_vi: str, what_en: str):
        super().__init__("forbidden", what=what_vi, what_en=what_en)


# --- request bodies ---------------------------------------------------------------------

def json_body() -> dict:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
        json.dumps(data, ensure_ascii=False).encode("utf-8")  # lone surrogates: ValueError
    except (ValueError, RecursionError) as e:
        raise BadRequest("bad_json", detail=str(e)[:120]) from None
    if not isinstance(data, dict):
        raise BadRequest("bad_json", detail="expected a JSON object {...}")
    return data


def body(name: str) -> dict[str, Any]:
    """The JSON body read by its definition `name` in bodies.py; 422 naming a wrong field."""
    return bodies.read(name, json_body())


def query_id(name: str) -> int | None:
    """An optional id in the query string; 422 naming it when it is not a usable id."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_ID):
        raise Invalid("invalid_field", field=name,
                      problem=("phải là số nguyên dương", "must be a positive integer"))
    return int(raw)


MAX_LINE = 500


def query_limit() -> int | None:
    """An optional ?limit=N (1..500); 422 naming it otherwise."""
    raw = request.args.get("limit")
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= MAX_LINE):
        raise Invalid("invalid_field", field="limit",
                      problem=(f"phải là số nguyên từ 1 đến {MAX_LINE}",
                               f"must be a whole number from 1 to {MAX_LINE}"))
    return int(raw)


# --- public -----------------------------------------------------------------------------

@bp.get("/health")
def health():
    try:
        layso().db.ping()
    except Exception:  # noqa: BLE001 - whatever the driver raises, the database is down
        from layso.server.errors import unavailable_response
        return unavailable_response("database_unavailable")
    return jsonify({"status": "ok"})


@bp.get("/openapi.json")
def openapi():
    from layso.server.openapi import document
    return jsonify(document())


@bp.post("/auth/login")
def login():
    values = body("LoginRequest")
    username, password = values["username"], values["password"]
    token, user = layso().logins.login(username, password, request.remote_addr or "")
    return jsonify({"token": token,
                    "user": {"id": user.id, "username": user.username, "role": user.role}})


# --- reading ----------------------------------------------------------------------------

@bp.get("/office")
@requires(*ANY)
def office():
    return jsonify(layso().queue.read(g.actor.office_id, snap.office_json))


@bp.get("/services")
@requires(*ANY)
def services():
    lang = request_lang()
    return jsonify(layso().queue.read(
        g.actor.office_id, lambda s, o: snap.services_json(s, o, lang)))


@bp.get("/counters")
@requires(*ANY)
def counters():
    return jsonify(layso().queue.read(g.actor.office_id, snap.counters_json))


@bp.get("/tickets/<id:ticket_id>")
@requires(*ANY)
def get_ticket(ticket_id: int):
    return jsonify(layso().queue.ticket(g.actor.office_id, ticket_id))


@bp.get("/counters/<id:counter_id>/line")
@requires("clerk", "admin", "display")
def counter_line(counter_id: int):
    """The counter's waiting tickets in the order it will call them (the first ?limit=N)."""
    limit = query_limit()
    return jsonify(layso().queue.read(
        g.actor.office_id, lambda s, o: snap.line_json(s, o, counter_id, limit)))


@bp.get("/tickets")
@requires(*ANY)
def list_tickets():
    """Today's tickets in one state (default: waiting, in office line order)."""
    status = request.args.get("status", "waiting")
    if status not in ("waiting", "called", "done", "no_show", "cancelled", "expired"):
        raise Invalid("invalid_field", field="status",
                      problem=("trạng thái không hợp lệ", "unknown status"))
    service_id = query_id("service_id")
    return jsonify(layso().queue.read(
        g.actor.office_id, lambda s, o: snap.tickets_json(s, o, status, service_id)))


@bp.get("/display")
@requires(*ANY)
def display():
    def build(session, office):
        return {
            "office": {"name": office.row.name, "unit": office.row.unit,
                       "timezone": office.row.timezone},
            "counters": snap.counters_json(session, office),
            "recent_calls": snap.recent_calls(session, office),
            "waiting": snap.waiting_counts(session, office),
            "services": snap.services_json(session, office, request_lang()),
            "announce_repeat": office.settings.announcement.repeat,
            "notice": office.settings.display.notice,
            "last_event_id": last_event_id(session, office.id),
        }
    return jsonify(layso().queue.read(g.actor.office_id, build))


# --- kiosk and devices ------------------------------------------------------------------

@bp.post("/tickets")
@requires("kiosk", "admin", action="tickets.issue")
def issue_ticket():
    values = body("IssueRequest")
    service_id, priority = values["service_id"], values["priority"]
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key.strip()) <= 100:
        raise BadRequest("bad_idempotency_key")
    ticket, created = layso().queue.issue_ticket(g.actor, service_id, priority,
                                                 key.strip() if key else None)
    response = jsonify(ticket)
    response.status_code = 201 if created else 200
    return response


@bp.post("/devices/me/status")
@requires("kiosk", "display", action="device.report")
def device_status():
    values = body("DeviceStatusRequest")
    return jsonify(layso().queue.report_device_status(g.actor, values["status"],
                                                      values["message"]))


# --- counters and tickets (clerks) ------------------------------------------------------

CLERK = ("clerk", "admin")


@bp.post("/counters/<id:counter_id>/call-next")
@requires(*CLERK, action="counter.act")
def call_next(counter_id: int):
    return jsonify({"ticket": layso().queue.call_next(g.actor, counter_id)})


@bp.post("/counters/<id:counter_id>/call")
@requires(*CLERK, action="counter.act")
def call_ticket(counter_id: int):
    ticket_id = body("CallTicketRequest")["ticket_id"]
    return jsonify({"ticket": layso().queue.call_ticket(g.actor, counter_id, ticket_id)})


@bp.post("/counters/<id:counter_id>/recall")
@requires(*CLERK, action="counter.act")
def recall(counter_id: int):
    return jsonify({"ticket": layso().queue.recall(g.actor, counter_id)})


@bp.post("/counters/<id:counter_id>/pause")
@requires(*CLERK, action="counter.act")
def pause(counter_id: int):
    reason = body("PauseRequest")["reason"]
    return jsonify(layso().queue.pause(g.actor, counter_id, reason))


@bp.post("/counters/<id:counter_id>/resume")
@requires(*CLERK, action="counter.act")
def resume(counter_id: int):
    return jsonify(layso().queue.resume(g.actor, counter_id))


@bp.post("/tickets/<id:ticket_id>/done")
@requires(*CLERK, action="counter.act")
def done(ticket_id: int):
    code = body("DoneRequest")["dossier_code"]
    return jsonify(layso().queue.finish(g.actor, ticket_id, "done", dossier_code=code))


@bp.post("/tickets/<id:ticket_id>/no-show")
@requires(*CLERK, action="counter.act")
def no_show(ticket_id: int):
    return jsonify(layso().queue.finish(g.actor, ticket_id, "no_show"))


@bp.post("/tickets/<id:ticket_id>/transfer")
@requires(*CLERK, action="counter.act")
def transfer(ticket_id: int):
    values = body("TransferRequest")
    return jsonify(layso().queue.transfer(g.actor, ticket_id, values["service_id"],
                                          keep_time=values["keep_time"]))


@bp.post("/tickets/<id:ticket_id>/cancel")
@requires(*CLERK, action="counter.act")
def cancel(ticket_id: int):
    return jsonify(layso().queue.cancel(g.actor, ticket_id))


@bp.post("/tickets/<id:ticket_id>/reactivate")
@requires(*CLERK, action="counter.act")
def reactivate(ticket_id: int):
    return jsonify(layso().queue.reactivate(g.actor, ticket_id))

