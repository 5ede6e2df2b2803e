"""Login, logout, the first-run page and the clerk console (`/`).

The console page is a shell: its script (static/console.js) reads the counters, the
waiting list and the current ticket from the JSON API with the session cookie, and keeps
them fresh from the event stream.
"""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from markupsafe import Markup
from sqlalchemy import delete, select
from werkzeug.exceptions import HTTPException

from layso.server import admin, auth
from layso.server.domain.errors import DomainError
from layso.server.storage.tables import AuthToken, Device
from layso.server.web import session
from layso.server.web.stats import clerk_today
from layso.server.web.texts import DEVICE_STATUS, JS, ROLES, T

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/web-static")

FONTS = Path(__file__).resolve().parents[2] / "assets" / "fonts"
CONSOLE_ROLES = ("clerk", "admin")


def layso():
    return current_app.extensions["layso"]


def error_text(e: DomainError) -> str:
    """The rule's message, with the form field named by its label on the page."""
    from layso.server.messages import message

    params = dict(e.params)
    if "field" in params:
        params["field"] = T.get(str(params["field"]), str(params["field"]))
    return message(e.code, "vi", **params)


def page_errors(blueprint: Blueprint) -> None:
    """403 and 404 on the pages as pages (the JSON API keeps its JSON errors)."""
    @blueprint.errorhandler(403)
    def _forbidden(e: HTTPException):
        actor = session.session_actor()
        # Markup.format escapes the name; <bdi> keeps a right-to-left mark in it to itself.
        text = T["csrf_failed"] if e.description == "csrf" else Markup(T["forbidden_text"]).format(
            user=Markup("<bdi>{}</bdi>").format(actor.name if actor else ""),
            role=ROLES.get(actor.role, "") if actor else "")
        return render_template("error.html", title=T["forbidden_title"], text=text), 403

    @blueprint.errorhandler(404)
    def _not_found(_e: HTTPException):
        return render_template("error.html", title=T["not_found_title"], text=""), 404


page_errors(bp)


# --- logging in and out -----------------------------------------------------------------

def _no_admin_yet() -> bool:
    ctx = layso()
    with ctx.db.read() as s:
        return not admin.admin_exists(s, ctx.office_id)


@bp.get("/login")
def login_form():
    if _no_admin_yet():
        return redirect(url_for("web.setup"))
    return render_template("login.html", next=session.safe_next(request.args.get("next")))


@bp.post("/login")
def login():
    session.check_csrf()
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    target = session.safe_next(request.form.get("next"))
    try:
        token, _user = layso().logins.login(username, password, request.remote_addr or "")
    except (auth.Unauthorized, auth.TooManyLogins) as failure:
        return render_template("login.html", next=target, username=username,
                               error=error_text(failure)), failure.status
    session.start_session(token)
    return redirect(target, 303)


@bp.post("/logout")
def logout():
    session.check_csrf()
    token = request.cookies.get(session.SESSION_COOKIE)
    if token:
        with layso().db.write() as s:
            s.execute(delete(AuthToken).where(AuthToken.token_hash == auth.token_hash(token)))
    session.end_session()
    return redirect(url_for("web.login_form"), 303)


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """First run: make the first admin. Gone for good once any admin exists."""
    if not _no_admin_yet():
        abort(404)
    if request.method == "GET":
        return render_template("setup.html")
    session.check_csrf()
    form = request.form
    ctx = layso()
    try:
        with admin.change(ctx.queue, ctx.office_id, None) as c:
            admin.create_first_admin(c, form.get("username", "").strip(),
                                     form.get("full_name", "").strip(),
                                     form.get("password", ""), form.get("password_again", ""))
    except DomainError as e:
        return render_template("setup.html", error=error_text(e), form=form), 422
    return render_template("login.html", next="/", notice=T["setup_done"],
                           username=form.get("username", "").strip())


# --- the console ------------------------------------------------------------------------

@bp.get("/")
def index():
    actor = session.session_actor()
    if actor is None and _no_admin_yet():
        return redirect(url_for("web.setup"))
    if actor is not None and actor.role == "leader":   # no desk: the reports are home
        return redirect(url_for("reports.reports_page"))
    return console()


@session.page(*CONSOLE_ROLES)
def console():
    actor = g.web_actor
    ctx = layso()
    with ctx.db.read() as s:
        # The script words them (static/console.js deviceText), as it does live events.
        problems = [{"name": d.name, "role": d.role, "status": d.last_status, "message": ""}
                    for d in s.scalars(select(Device).where(
                        Device.office_id == actor.office_id, Device.revoked.is_(False),
                        Device.last_status.is_not(None), Device.last_status != "ok"))]
    page = {"texts": JS, "roles": ROLES, "device_status": DEVICE_STATUS,
            "user": {"id": actor.id, "name": actor.name, "role": actor.role},
            "allowed_counters": sorted(actor.counter_ids), "device_problems": problems,
            "csrf": session.csrf_token()}
    return render_template("console.html", page=page)


@bp.get("/console/stats")
@session.page(*CONSOLE_ROLES)
def stats():
    actor = g.web_actor
    return jsonify(layso().queue.read(actor.office_id,
                                      lambda s, office: clerk_today(s, office, actor.id)))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it on their own; the pages also name favicon.svg."""
    return send_from_directory(bp.static_folder, "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=86400)


@bp.get("/fonts/<name>")
def font(name: str):
    if not (name.startswith("BeVietnamPro-") and name.endswith(".ttf")):
        abort(404)
    return send_from_directory(FONTS, name, mimetype="font/ttf", max_age=86400)
