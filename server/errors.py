"""Every error answers with {"error": {"code", "message"}}; bad input never gives a 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from layso.server.domain.errors import DomainError
from layso.server.messages import message
from layso.server.storage.db import DatabaseBusy
from layso.server.workers import ServerBusy, json_error

log = logging.getLogger("layso")

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "no_route",
              405: "method_not_allowed", 413: "too_large", 415: "bad_json"}


RETRY_AFTER_S = 2  # a busy database or server: ask again in this many seconds


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


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(e: DomainError):
        response = error_response(e.status, e.code, message(e.code, request_lang(), **e.params))
        if getattr(e, "retry_after", None):
            response.headers["Retry-After"] = str(e.retry_after)
        return response

    @app.errorhandler(DatabaseBusy)
    @app.errorhandler(ServerBusy)
    def _busy(e: Exception):
        code = "database_busy" if isinstance(e, DatabaseBusy) else "server_busy"
        log.warning("%s on %s %s: %s", code, request.method, request.path, e)
        response = error_response(503, code, message(code, request_lang()))
        response.headers["Retry-After"] = str(RETRY_AFTER_S)
        return response

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
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
