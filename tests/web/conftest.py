"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright, against a live server."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from playwright.sync_api import expect

CLERK = ("canbo1", "canbo-pass-123")
ADMIN = ("admin", "admin-pass-123")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                  viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page, username: str, password: str, path: str = "/") -> None:
    page.goto(path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def press(page, key: str) -> None:
    """A key, once the desk has finished the previous action: presses while an action is
    on its way are dropped (so a double F1 never finishes a citizen unseen), and the event
    stream can show a called number before the call has answered."""
    expect(page.locator("[data-action=pause]")).to_be_enabled()
    page.keyboard.press(key)


def open_counter(page, number: int) -> None:
    """Log in first; pick the counter on the chooser unless the browser remembers one."""
    page.locator(".counter-choice", has_text=f"Quầy {number}").click()
    page.wait_for_selector("#desk:not([hidden])")


class WebSession:
    """A requests session that logs in through the HTML form, as a browser would."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()

    def csrf(self, path: str) -> str:
        html = self.http.get(self.base + path, timeout=10).text
        match = re.search(r'name="csrf" value="([^"]+)"', html)
        assert match, f"no CSRF field on {path}"
        return match.group(1)

    def log_in(self, username: str, password: str) -> requests.Response:
        token = self.csrf("/login")
        return self.http.post(self.base + "/login", timeout=10, allow_redirects=False,
                              data={"csrf": token, "username": username, "password": password})


@pytest.fixture
def web(live_server) -> Iterator[WebSession]:
    yield WebSession(live_server.url)


class Office:
    """The kiosk and the hall display of the live server, over the JSON API."""

    def __init__(self, server):
        self.server = server
        self.kiosk = server.headers(server.kiosk_token)
        self.display_headers = server.headers(server.display_token)

    def get(self, path: str, headers: dict | None = None):
        r = requests.get(self.server.api + path, headers=headers or self.kiosk, timeout=10)
        r.raise_for_status()
        return r.json()

    def service_id(self, code: str) -> int:
        return next(s["id"] for s in self.get("/services") if s["code"] == code)

    def counter(self, number: int) -> dict:
        return next(c for c in self.get("/counters") if c["number"] == number)

    def issue(self, code: str, priority: str | None = None) -> dict:
        r = requests.post(self.server.api + "/tickets", headers=self.kiosk, timeout=10,
                          json={"service_id": self.service_id(code), "priority": priority})
        assert r.status_code == 201, r.text
        return r.json()

    def ticket(self, ticket_id: int) -> dict:
        return self.get(f"/tickets/{ticket_id}")

    def display(self) -> dict:
        return self.get("/display", self.display_headers)

    def report(self, status: str, message: str) -> None:
        r = requests.post(self.server.api + "/devices/me/status", headers=self.kiosk, timeout=10,
                          json={"status": status, "message": message})
        assert r.status_code == 200, r.text


@pytest.fixture
def office(live_server) -> Office:
    return Office(live_server)


def eventually(check, timeout: float = 10.0):
    """Poll `check` until it returns something true; fail with its last value."""
    import time

    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"still {value!r} after {timeout}s")
