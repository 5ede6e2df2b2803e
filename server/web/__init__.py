"""The browser side of the server: the clerk console (`/`) and the office admin (`/admin`).

Pages are rendered by Jinja with a little plain JavaScript; every asset (script, style,
font) is served from this server, because offices often have no internet.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from layso.server.web import session
from layso.server.web.texts import ROLES, T

# Scripts and styles only from this server; no inline script, no framing by other sites.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def _office_name() -> str:
    ctx = current_app.extensions["layso"]
    return ctx.queue.read(ctx.office_id, lambda _s, office: office.row.name)


def register(app: Flask) -> None:
    from layso.server.web import admin_pages, console

    app.register_blueprint(console.bp)
    app.register_blueprint(admin_pages.bp)
    from layso.server.web import rating, reports, status_page  # reports, rating, status page
    for pages in (reports.bp, rating.bp, status_page.bp):
        app.register_blueprint(pages)
    app.wsgi_app = session.CookieBearer(app.wsgi_app)  # type: ignore[method-assign]

    @app.context_processor
    def _page_values() -> dict:
        return {"T": T, "ROLES": ROLES, "csrf_token": session.csrf_token,
                "me": session.session_actor(), "office_name": _office_name()}

    @app.after_request
    def _headers(response: Response) -> Response:
        if request.blueprint in ("web", "admin", "reports", "rating", "status"):
            for name, value in SECURITY_HEADERS.items():
                response.headers.setdefault(name, value)
            if response.mimetype == "text/html":
                response.headers["Cache-Control"] = "no-store"
            session.set_cookies(response)
        return response
