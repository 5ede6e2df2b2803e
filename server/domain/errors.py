"""Errors the rules raise; the API turns each into a JSON error with a status code."""

from __future__ import annotations


class DomainError(Exception):
    """A request the office's rules refuse. `code` is snake_case; `params` fill the message."""

    status = 409

    def __init__(self, code: str, /, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params


class Conflict(DomainError):
    """The thing is not in a state that allows this (409)."""


class NotFound(DomainError):
    status = 404


class Invalid(DomainError):
    """Well-formed JSON with a value the office cannot use (422)."""

    status = 422


class Forbidden(DomainError):
    status = 403
