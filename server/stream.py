"""Server-Sent Events: `GET /api/v1/events`.

A client that sends Last-Event-ID gets every stored event after it, in order, then live
ones; without it, live ones only (take GET /display first: it gives last_event_id).
Browsers' EventSource cannot set headers, so `?token=` and `?last_event_id=` work too.

Streams stay on the gevent loop (200 of them cost memory, not threads); what they ask
the database (who the token is, the replay) goes to a pool thread. A stream ends when
its credential ends: at once when this server changes it, else at the next keepalive.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from layso.server.api import BadRequest, bearer_token, current_actor, layso
from layso.server.auth import token_hash
from layso.server.broker import format_event
from layso.server.recording import events_after
from layso.server.storage.db import DatabaseBusy
from layso.server.workers import ServerBusy

bp = Blueprint("stream", __name__, url_prefix="/api/v1")

REPLAY_BATCH = 500


def is_stream(environ: dict) -> bool:
    """Requests that stay on the loop: event streams, which last for hours and mostly
    wait. By convention every stream's path ends in /events (also the status page's)."""
    return environ.get("PATH_INFO", "").endswith("/events")


@bp.get("/events")
def events():
    token = bearer_token() or request.args.get("token")
    ctx = layso()
    generation = ctx.credentials.generation
    actor = current_actor(token)
    last: int | None = None
    # The header wins (EventSource sends it on reconnecting); a bad or empty value is a 400.
    for raw_last in (request.args.get("last_event_id"), request.headers.get("Last-Event-ID")):
        if raw_last is not None:
            if not raw_last.isascii() or not raw_last.strip().isdigit() or len(raw_last) > 15:
                raise BadRequest("bad_last_event_id")
            last = int(raw_last)
    subscription = ctx.broker.subscribe(actor.office_id, token_hash(token), actor)
    if ctx.credentials.generation != generation:  # a credential changed while we looked
        ctx.credentials.close_ended_streams([subscription])

    def generate():
        nonlocal last
        try:
            yield "retry: 2000\n\n"
            while last is not None and subscription.open:
                batch = ctx.workers.run(events_after, ctx.db, actor.office_id, last,
                                        REPLAY_BATCH)
                for event in batch:
                    yield format_event(event)
                    last = event["id"]
                if len(batch) < REPLAY_BATCH:
                    break
            while subscription.open:
                event = subscription.get(timeout=ctx.keepalive_s)
                if event is None:
                    if subscription.open and ctx.credentials.still_holds(subscription):
                        yield ": keepalive\n\n"
                elif last is None or event["id"] > last:
                    yield event["sse"]
                    last = event["id"]
        except (DatabaseBusy, ServerBusy):
            return  # the client reconnects with Last-Event-ID and misses nothing
        finally:
            ctx.broker.unsubscribe(subscription)

    return Response(generate(), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

