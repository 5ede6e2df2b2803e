"""Every error answers with {"error": {"code", "message"}}; bad input never gives a 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from layso.server.domain.errors import DomainError
from layso.server.messages import message

log = logging.getLogger("layso")

HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "no_route",
              405: "method_not_allowed", 413: "too_large", 415: "bad_json"}


def request_lang() -> str:
    header = request.headers.get("Accept-Language", "") if request else ""
    return "en" if header.lower().startswith("en") else "vi"


def error_response(status: int, code: str, text: str):
    response = jsonify({"error": {"code": code, "message": text}})
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(e: DomainError):
        return error_response(e.status, e.code, message(e.code, request_lang(), **e.params))

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
