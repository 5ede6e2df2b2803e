"""The rating tablet at a counter: `/rate/<counter number>`.

Set-up (once, by the technician): make a device of role `rating` (admin page or `layso
device add NAME --role rating`) and open `/rate/3?token=TOKEN` on the tablet. The server
checks the token, sets the device up at counter 3 (a device serves one counter; opening
the set-up link of another counter moves it), keeps the token in an HttpOnly cookie for
this path only (SameSite=Strict, 400 days) and redirects to `/rate/3`, so the token does
not stay in the address bar. The page hands the token to its script, which opens the
event stream and sends ratings with it.

Idle, the page shows the office's name; when counter 3 finishes a ticket (`ticket.done`
on the stream) it asks the citizen to rate; thanks; back to idle after the timeout.
"""

from __future__ import annotations

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from sqlalchemy import select

from layso.server import public_settings
from layso.server import ratings as rate
from layso.server.api import current_actor, layso
from layso.server.auth import Unauthorized
from layso.server.citizen_texts import RATING_PAGE
from layso.server.operations import Actor
from layso.server.storage.tables import Counter, Office

bp = Blueprint("rating", __name__, template_folder="templates")

COOKIE = "layso_rating"
COOKIE_DAYS = 400          # the longest a browser keeps a cookie


def _rating_device(token: str | None) -> Actor | None:
    if not token:
        return None
    try:
        actor = current_actor(token)
    except Unauthorized:
        return None
    return actor if actor.kind == "device" and actor.role == "rating" else None


def _counter(office_id: int, number: int) -> Counter | None:
    with layso().db.read() as session:
        return session.scalar(select(Counter).where(Counter.office_id == office_id,
                                                    Counter.number == number))


def _setup_page(text: str, status: int):
    return render_template("rating_setup.html", X=RATING_PAGE, text=text), status


@bp.get("/rate/<int:number>")
def rating_page(number: int):
    here = url_for("rating.rating_page", number=number, _external=True)
    link_token = request.args.get("token")
    if link_token is not None:
        return _set_up(number, link_token, here)
    token = request.cookies.get(COOKIE)
    actor = _rating_device(token)
    if actor is None:
        return _setup_page(RATING_PAGE["setup_title"] + ". " +
                           RATING_PAGE["setup_text"].format(url=here), 401)
    counter = _counter(actor.office_id, number)
    if counter is None:
        abort(404)
    with layso().db.read() as session:
        bound = rate.device_counter(session, actor.id)
        office = session.get(Office, actor.office_id)
    if bound is None or bound.id != counter.id:
        return _setup_page(RATING_PAGE["wrong_counter"].format(
            counter=bound.name if bound else "?", url=here), 409)
    settings = public_settings.current().ratings
    page = {
        "token": token,
        "counter": {"id": counter.id, "number": counter.number, "name": counter.name},
        "levels": [level.model_dump() for level in settings.levels],
        "reasons": list(settings.reasons),
        "timeout_s": settings.timeout_s,
        "texts": RATING_PAGE,
    }
    response = make_response(render_template("rating.html", page=page, counter=counter,
                                             office=office, X=RATING_PAGE))
    response.headers["Cache-Control"] = "no-store"
    return response


def _set_up(number: int, token: str, here: str):
    actor = _rating_device(token)
    if actor is None:
        return _setup_page(RATING_PAGE["setup_title"] + ". " +
                           RATING_PAGE["setup_text"].format(url=here), 401)
    counter = _counter(actor.office_id, number)
    if counter is None:
        return _setup_page(RATING_PAGE["no_counter"].format(number=number), 404)
    with layso().db.write() as session:
        rate.bind_device(session, actor.id, session.get(Counter, counter.id))
    response = redirect(url_for("rating.rating_page", number=number), 303)
    response.set_cookie(COOKIE, token, max_age=COOKIE_DAYS * 86400, httponly=True,
                        samesite="Strict", secure=request.is_secure, path="/rate")
    return response
