"""Every error answers with {"error": {"code", "message"}}; bad input never gives a 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from sqlalchemy import exc as db_errors
from werkzeug.exceptions import HTTPException

from layso.server.domain.errors import DomainError
from layso.server.messages import message
from layso.server.storage.db import DatabaseBusy
from layso.server.workers import ServerBusy, json_error

log = logging.getLogger("layso")

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "no_route",
              405: "method_not_allowed", 413: "too_large", 415: "bad_json"}


RETRY_AFTER_S = 2  # a busy database or server: ask again in this many seconds
# PostgreSQL going away or not up yet: admin_shutdown, crash_shutdown, cannot_connect_now
# (and every code of class 08, "connection exception").
_PG_GONE = ("57P01", "57P02", "57P03")


def database_away(e: BaseException) -> bool:
    """The database is down, restarting or dropped the connection: it passes by itself
    (the pool pings and reconnects), so the caller is asked to wait, not told it broke."""
    if not isinstance(e, db_errors.DBAPIError):
        return False
    if e.connection_invalidated:  # the connection broke under a statement or a commit
        return True
    sqlstate = getattr(e.orig, "sqlstate", None) or ""
    if sqlstate.startswith("08") or sqlstate in _PG_GONE:
        return True
    # No statement ran: opening a connection failed (refused, starting up, shutting down).
    return isinstance(e, db_errors.OperationalError) and e.statement is None


def unavailable_code(e: BaseException) -> str | None:
    """The 503 code of an error that passes if the caller asks again, else None."""
    if isinstance(e, DatabaseBusy):
        return "database_busy"
    if isinstance(e, ServerBusy):
        return "server_busy"
    return "database_unavailable" if database_away(e) else None


def lang_of(accept_language: str) -> str:
    return "en" if accept_language.lower().startswith("en") else "vi"


def request_lang() -> str:
    return lang_of(request.headers.get("Accept-Language", "") if request else "")


def busy_answer(environ: dict) -> tuple[str, list, bytes]:
    """503 server_busy for the WSGI layer, when no pool thread came free in time."""
    lang = lang_of(environ.get("HTTP_ACCEPT_LANGUAGE", ""))
    return json_error("503 Service Unavailable", "server_busy", message("server_busy", lang),
                      RETRY_AFTER_S)


def error_response(status: int, code: str, text: str):
    response = jsonify({"error": {"code": code, "message": text}})
    response.status_code = status
    return response


def unavailable_response(code: str):
    """503 for what passes by itself (busy, database away): the message and Retry-After."""
    response = error_response(503, code, message(code, request_lang()))
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(e: DomainError):
        response = error_response(e.status, e.code, message(e.code, request_lang(), **e.params))
        if getattr(e, "retry_after", None):
            response.headers["Retry-After"] = str(e.retry_after)
        return response

    @app.errorhandler(DatabaseBusy)
    @app.errorhandler(ServerBusy)
    @app.errorhandler(db_errors.DBAPIError)
    def _busy(e: Exception):
        code = unavailable_code(e)
        if code is None:  # a driver error that asking again will not cure
            return _unexpected(e)
        log.warning("%s on %s %s: %s", code, request.method, request.path,
                    getattr(e, "orig", None) or e)
        return unavailable_response(code)

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        # Flask wraps what escaped another handler (a page's 404 reading the session) in a 500.
        original = getattr(e, "original_exception", None)
        if original is not None and unavailable_code(original):
            return _busy(original)
        code = HTTP_CODES.get(e.code or 500, "http_error")
        params = {"limit": app.config["MAX_CONTENT_LENGTH"], "detail": e.description}
        response = error_response(e.code or 500, code, message(code, request_lang(), **params))
        # The JSON body replaces werkzeug's HTML one; its headers stay (a 405's Allow).
        for name, value in e.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "internal", message("internal", request_lang()))
