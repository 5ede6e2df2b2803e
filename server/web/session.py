"""Browser sessions: who is logged in, CSRF tokens, and roles on every page.

The session cookie holds the user's API token (from `auth.login`), HttpOnly and
SameSite=Lax, Secure over https; the token's row in `auth_tokens` is the server-side
session, so sessions survive a restart and logging out deletes the row. The CSRF token
is a hash of that cookie: a page on another site can neither read the cookie nor guess
the hash. Before login a random `layso_csrf` cookie plays the same part.

`CookieBearer` lets the console's script use the JSON API with the cookie (it never sees
the token): an API request without an Authorization header but with the session cookie
gets the cookie's token as bearer, and must carry `X-CSRF-Token` unless it only reads.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, current_app, g, redirect, request, url_for
from werkzeug.http import parse_cookie
from werkzeug.urls import iri_to_uri

from layso.server import auth
from layso.server.operations import Actor

SESSION_COOKIE = "layso_session"
PRE_COOKIE = "layso_csrf"
CSRF_FIELD = "csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Kiosks and displays use bearer tokens only; these API paths never need the cookie.
COOKIE_FREE_API = ("/api/v1/auth/login", "/api/v1/health", "/api/v1/openapi.json")


def csrf_for(cookie_value: str) -> str:
    return hashlib.sha256(b"layso-csrf:" + cookie_value.encode("utf-8")).hexdigest()[:40]


def csrf_matches(cookie_value: str | None, sent: str | None) -> bool:
    if not cookie_value or not sent:
        return False
    return hmac.compare_digest(csrf_for(cookie_value), sent)


def _csrf_source() -> str | None:
    return request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRE_COOKIE)


def csrf_token() -> str:
    """The token forms on this page must send back; starts a pre-login cookie if needed."""
    source = _csrf_source()
    if source is None:
        source = g.setdefault("new_pre_cookie", secrets.token_urlsafe(24))
    return csrf_for(source)


def check_csrf() -> None:
    """Refuse (403) an unsafe request whose form field or header lacks the right token."""
    if request.method in SAFE_METHODS:
        return
    sent = request.form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not csrf_matches(_csrf_source(), sent):
        abort(403, description="csrf")


def set_cookies(response: Response) -> Response:
    """Cookies decided during the request: the pre-login CSRF seed, a new session, logout."""
    secure = request.is_secure
    pre = g.get("new_pre_cookie")
    if pre is not None:
        response.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="Lax", secure=secure)
    if "session_token" in g:
        token = g.session_token
        if token is None:
            response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="Lax", secure=secure)
        else:
            response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="Lax",
                                secure=secure, max_age=int(auth.TOKEN_LIFETIME.total_seconds()))
    return response


def start_session(token: str) -> None:
    g.session_token = token


def end_session() -> None:
    g.session_token = None


def session_actor() -> Actor | None:
    """The logged-in user of this request, or None (no cookie, expired, disabled)."""
    if "web_actor" not in g:
        token = request.cookies.get(SESSION_COOKIE)
        actor = None
        if token:
            actor = current_app.extensions["layso"].credentials.actor(token)
            if actor is not None and actor.kind != "user":
                actor = None
        g.web_actor = actor
    return g.web_actor


def page(*roles: str) -> Callable:
    """A page for these roles: others go to the login form, or get 403."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            actor = session_actor()
            if actor is None:
                return redirect(url_for("web.login", next=request.full_path.rstrip("?")))
            if actor.role not in roles:
                abort(403)
            check_csrf()
            return view(*args, **kwargs)
        return wrapper
    return decorate


MAX_NEXT = 2000


def safe_next(target: str | None) -> str:
    """Where a login may send the browser: a path on this server, else "/".

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so
    `/<TAB>/evil` would become `//evil`, another site: any such character refuses the value.
    The answer is ASCII (non-ASCII letters %-escaped), so it is always a valid header.
    """
    if not target or len(target) > MAX_NEXT or not target.startswith("/") \
            or target.startswith("//"):
        return "/"
    if any(c == "\\" or c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Cs")
           for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/"
    return iri_to_uri(target)


class CookieBearer:
    """WSGI wrapper: browser pages call /api/v1 with their session cookie and CSRF header."""

    def __init__(self, wsgi_app: Callable):
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict, start_response: Callable):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/api/v1/") and path not in COOKIE_FREE_API \
                and not environ.get("HTTP_AUTHORIZATION"):
            token = parse_cookie(environ).get(SESSION_COOKIE)
            if token:
                unsafe = environ.get("REQUEST_METHOD", "GET") not in SAFE_METHODS
                if unsafe and not csrf_matches(token, environ.get("HTTP_X_CSRF_TOKEN")):
                    return _csrf_refused(environ, start_response)
                environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return self.wsgi_app(environ, start_response)


def _csrf_refused(environ: dict, start_response: Callable):
    from layso.server.web.texts import T

    body = json.dumps({"error": {"code": "csrf_failed", "message": T["csrf_failed"]}},
                      ensure_ascii=False)
    return Response(body, status=403, mimetype="application/json")(environ, start_response)
