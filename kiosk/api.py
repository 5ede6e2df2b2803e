"""The kiosk's side of the JSON API (contract: shared/ARCHITECTURE.md, docs/API-EXTRAS.md).

Blocking calls with short timeouts; they run on worker threads, never the GUI thread.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests


class ServerUnreachable(Exception):
    """No answer from the server (refused, timed out, 5xx): show the outage notice."""


class ApiError(Exception):
    """The server answered with an error body `{"error": {"code", "message"}}`."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class ApiClient:
    def __init__(self, api_base: str, token: str, timeout: float = 5.0):
        self.api_base = api_base.rstrip("/")
        self.token = token
        self.timeout = timeout
        self._local = threading.local()  # a requests.Session is not shared across threads

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _call(self, method: str, path: str, json: Any = None,
              headers: dict[str, str] | None = None) -> Any:
        try:
            resp = self._session().request(method, self.api_base + path, json=json,
                                           headers={**self.headers, **(headers or {})},
                                           timeout=self.timeout)
        except requests.RequestException as exc:
            raise ServerUnreachable(str(exc)) from exc
        if resp.status_code >= 500:
            raise ServerUnreachable(f"{method} {path}: HTTP {resp.status_code}")
        if resp.status_code >= 400:
            try:
                err = resp.json()["error"]
                raise ApiError(resp.status_code, err["code"], err["message"])
            except (ValueError, KeyError, TypeError):
                raise ApiError(resp.status_code, "http_error", resp.text[:200]) from None
        return resp.json()

    def office(self) -> dict:
        return self._call("GET", "/office")

    def services(self) -> list[dict]:
        return self._call("GET", "/services")

    def issue_ticket(self, service_id: int, priority: str | None, idempotency_key: str,
                     attempts: int = 3) -> dict:
        """POST /tickets; a lost answer is retried with the same key, so one tap = one ticket."""
        for attempt in range(attempts):
            try:
                return self._call("POST", "/tickets",
                                  json={"service_id": service_id, "priority": priority},
                                  headers={"Idempotency-Key": idempotency_key})
            except ServerUnreachable:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise AssertionError("unreachable")

    def report_status(self, status: str, message: str) -> None:
        """POST /devices/me/status so the clerk console and display show the kiosk's state."""
        self._call("POST", "/devices/me/status", json={"status": status, "message": message})
