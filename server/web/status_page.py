"""The ticket's status page on the citizen's phone: `/t/<code>` (no login).

The server renders the whole page (it reads without JavaScript); static/status.js then
keeps it live from `GET /api/v1/public/t/<code>/events`, plays the chime and vibrates
when the ticket is called, and sends the rating once the ticket is served. A code that
is not the ticket's own answers a plain 404 page.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template, send_from_directory

from layso.server import public_settings
from layso.server.api import layso
from layso.server.citizen_texts import STATUS_PAGE
from layso.server.domain.errors import NotFound
from layso.server.public import read_status

bp = Blueprint("status", __name__, template_folder="templates")

SOUNDS = Path(__file__).resolve().parents[2] / "assets" / "sounds"


def page_texts() -> dict[str, dict[str, str]]:
    return {key: {"vi": vi, "en": en} for key, (vi, en) in STATUS_PAGE.items()}


@bp.get("/t/<code>")
def status(code: str):
    try:
        ticket, *_ = read_status(layso(), public_settings.current().ratings, code)
    except NotFound:
        return render_template("status_missing.html", X=page_texts()), 404
    page = {"code": code, "ticket": ticket, "texts": page_texts()}
    return render_template("status.html", page=page, ticket=ticket, X=page_texts())


@bp.get("/t-sound/chime.wav")
def chime():
    return send_from_directory(SOUNDS, "chime.wav", mimetype="audio/wav", max_age=86400)
