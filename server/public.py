"""What a citizen's phone and the rating tablet call (`/api/v1`), beside the token API.

- `GET /public/t/<code>`: the ticket's status as the status page shows it (no login;
  a code that is not the ticket's own is a plain 404);
- `GET /public/t/<code>/events`: the same, pushed (Server-Sent Events, `event: status`)
  whenever it may have changed — at once for the ticket's own events, at most every
  `COALESCE_S` for other tickets of its field (people ahead, estimate) — so an open
  phone costs one bounded read per change in its field, not a poll every second; the
  stream ends once the ticket is finished (its path ends in /events, so the server keeps
  it on the event loop like GET /events: server/stream.py `is_stream`);
- `POST /tickets/<id>/rating`: a rating from the counter's rating device (bearer token)
  or from the ticket's status page (`"status_page_code"` in the body).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, Response, g, jsonify

from layso.server import public_settings
from layso.server import ratings as rate
from layso.server.api import _Forbidden, bearer_token, current_actor, json_body, layso
from layso.server.domain.errors import NotFound
from layso.server.domain.tickets import Status
from layso.server.public_settings import RatingSettings
from layso.server.storage.tables import Ticket

bp = Blueprint("public", __name__, url_prefix="/api/v1")

FINAL = (Status.DONE, Status.NO_SHOW, Status.CANCELLED, Status.EXPIRED)
COALESCE_S = 2.0


def register(app: Flask) -> None:
    """The public routes, the reports API, and the settings they read."""
    from layso.server import report_api

    app.extensions["layso.public"] = public_settings.load_public_settings(
        app.extensions["layso"].config)
    app.register_blueprint(bp)
    app.register_blueprint(report_api.bp)


def off_loop(ctx: Any, fn: Callable, *args: Any) -> Any:
    """Blocking work (the database) off the gevent loop, when the server has workers."""
    workers = getattr(ctx, "workers", None)
    return workers.run(fn, *args) if workers is not None else fn(*args)


def read_status(ctx: Any, settings: RatingSettings, code: str) -> tuple[dict, int, int, int]:
    """(status JSON, office id, ticket id, field id) of the ticket a code names."""
    with ctx.db.read() as session:
        ticket, office_row = rate.ticket_by_code(session, code)
        office = ctx.queue.office(session, office_row.id)
        return (rate.ticket_status(session, office, ticket, settings), office.id, ticket.id,
                ticket.service_id)


@bp.get("/public/t/<code>")
def ticket_status(code: str):
    status, *_ = read_status(layso(), public_settings.current().ratings, code)
    response = jsonify(status)
    response.headers["Cache-Control"] = "no-store"
    return response


def concerns(event: dict, ticket_id: int, service_id: int) -> str | None:
    """"mine" for the ticket's own events (and the day's reset), "field" for other
    tickets of its field (they move its line), None for the rest."""
    kind = event.get("type", "")
    if kind == "day.reset":
        return "mine"
    if not kind.startswith("ticket."):
        return None
    data = event.get("data") or {}
    ticket = data.get("ticket") or {}
    if ticket.get("id") == ticket_id:
        return "mine"
    if service_id in (ticket.get("service_id"), data.get("from_service_id")):
        return "field"
    return None


def _sse(status: dict) -> str:
    return f"event: status\ndata: {json.dumps(status, ensure_ascii=False)}\n\n"


@bp.get("/public/t/<code>/events")
def ticket_stream(code: str):
    ctx = layso()
    settings = public_settings.current().ratings
    status, office_id, ticket_id, service_id = off_loop(ctx, read_status, ctx, settings, code)
    subscription = ctx.broker.subscribe(office_id)

    def still_open() -> bool:
        return not subscription.overflowed and not getattr(subscription, "closed", False)

    def generate():
        nonlocal status, service_id
        sent = status
        pending_since: float | None = None     # a field event not yet looked at
        try:
            yield "retry: 3000\n\n" + _sse(status)
            while still_open() and status["status"] not in FINAL:
                due = pending_since is not None and \
                    time.monotonic() >= pending_since + COALESCE_S
                if not due:
                    timeout = ctx.keepalive_s if pending_since is None else \
                        max(0.0, pending_since + COALESCE_S - time.monotonic())
                    event = subscription.get(timeout=timeout)
                    if event is None and pending_since is None:
                        yield ": keepalive\n\n"
                        continue
                    if event is not None:
                        kind = concerns(event, ticket_id, service_id)
                        if kind is None:
                            continue
                        if kind == "field":
                            pending_since = pending_since or time.monotonic()
                            continue
                pending_since = None
                try:
                    status, _, _, service_id = off_loop(ctx, read_status, ctx, settings, code)
                except NotFound:
                    break
                if status != sent:
                    yield _sse(status)
                    sent = status
        finally:
            ctx.broker.unsubscribe(subscription)

    return Response(generate(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# --- rating -----------------------------------------------------------------------------

@bp.post("/tickets/<id:ticket_id>/rating")
def rate_ticket(ticket_id: int):
    level, reasons, code = rate.read_rating(public_settings.current().ratings, json_body())
    if code is None:
        actor = current_actor(bearer_token())
        if actor.role != "rating":
            raise _Forbidden("đánh giá thay công dân", "rate for a citizen")
        g.actor = actor
    ctx = layso()
    with ctx.db.write() as session:
        if code is not None:
            ticket, _office = rate.ticket_by_code(session, code)
            if ticket.id != ticket_id:
                raise NotFound("not_found", what="ticket", id=ticket_id)
        else:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None or ticket.office_id != actor.office_id:
                raise NotFound("not_found", what="ticket", id=ticket_id)
            rate.device_may_rate(session, actor.id, ticket)
        stored = rate.add_rating(session, ticket, level, reasons,
                                 "status_page" if code is not None else "device", ctx.clock())
        result = rate.rating_json(stored)
    response = jsonify(result)
    response.status_code = 201
    return response
