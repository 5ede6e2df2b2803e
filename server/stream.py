"""Server-Sent Events: `GET /api/v1/events`.

A client that sends Last-Event-ID gets every stored event after it, in order, then live
ones; without it, live ones only (take GET /display first: it gives last_event_id).
Browsers' EventSource cannot set headers, so `?token=` and `?last_event_id=` work too.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from layso.server.api import BadRequest, bearer_token, current_actor, layso
from layso.server.broker import format_event
from layso.server.recording import events_after

bp = Blueprint("stream", __name__, url_prefix="/api/v1")

REPLAY_BATCH = 500


@bp.get("/events")
def events():
    actor = current_actor(bearer_token() or request.args.get("token"))
    last: int | None = None
    # The header wins (EventSource sends it on reconnecting); a bad or empty value is a 400.
    for raw_last in (request.args.get("last_event_id"), request.headers.get("Last-Event-ID")):
        if raw_last is not None:
            if not raw_last.isascii() or not raw_last.strip().isdigit() or len(raw_last) > 15:
                raise BadRequest("bad_last_event_id")
            last = int(raw_last)
    ctx = layso()
    subscription = ctx.broker.subscribe(actor.office_id)

    def generate():
        nonlocal last
        try:
            yield "retry: 2000\n\n"
            while last is not None:
                batch = events_after(ctx.db, actor.office_id, last, REPLAY_BATCH)
                for event in batch:
                    yield format_event(event)
                    last = event["id"]
                if len(batch) < REPLAY_BATCH:
                    break
            while not subscription.overflowed:
                event = subscription.get(timeout=ctx.keepalive_s)
                if event is None:
                    yield ": keepalive\n\n"
                elif last is None or event["id"] > last:
                    yield event["sse"]
                    last = event["id"]
        finally:
            ctx.broker.unsubscribe(subscription)

    return Response(generate(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
