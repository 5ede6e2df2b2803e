"""The pages without a browser: where a login may send you, and the tab's icon."""

from __future__ import annotations

import re

import pytest

from layso.server import admin
from layso.server.app import create_app
from layso.server.config import load_config
from layso.server.web.session import safe_next

ADMIN = ("quantri", "mat-khau-dai-1")

# Values an attacker may put in ?next= : every one must land on this site's "/".
OFF_SITE = [
    "//evil.invalid/",
    "///evil.invalid/",
    "/\t/evil.invalid/",          # browsers drop tabs: //evil.invalid/
    "/\n/evil.invalid/",
    "/\r\n/x",
    "/\n/x",                       # a newline in the Location header: a 500 before
    "\t//evil.invalid/",
    " //evil.invalid/",
    "/\\evil.invalid/",            # browsers read \ as /
    "\\\\evil.invalid/",
    "/\\/evil.invalid/",
    "https://evil.invalid/",
    "http:evil.invalid",
    "//evil.invalid:443@x/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.invalid",
    "../evil",
    "/\x00/evil.invalid",
    "/\x0b/evil.invalid",
    "/\x7f/evil.invalid",
    "/\u2028/evil.invalid",
    "/\u00a0/evil.invalid",
    "/\u202e/evil.invalid",
    "/\ufeff/evil.invalid",
    "/" + "a" * 3000,
    "",
    None,
]

# Paths on this server: kept (non-ASCII written as %-escapes, so the header stays ASCII).
SAME_SITE = [
    ("/", "/"),
    ("/admin/services", "/admin/services"),
    ("/admin/users?x=1&y=2", "/admin/users?x=1&y=2"),
    ("/admin/%2F%2Fevil.invalid", "/admin/%2F%2Fevil.invalid"),
    ("/a/%0a/x", "/a/%0a/x"),
    ("/trang/tư-pháp?q=hộ tịch", None),  # space: refused, "/"
    ("/trang/tư-pháp", "/trang/t%C6%B0-ph%C3%A1p"),
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leaves_the_site(target):
    assert safe_next(target) == "/"


@pytest.mark.parametrize(("target", "expected"), SAME_SITE)
def test_next_keeps_a_path_of_this_site(target, expected):
    assert safe_next(target) == (expected or "/")


@pytest.fixture
def app(tmp_path, test_config):
    app = create_app(load_config(test_config), data_dir=tmp_path / "data")
    ctx = app.extensions["layso"]
    with admin.change(ctx.queue, ctx.office_id, None) as c:
        admin.add_user(c, ADMIN[0], "", "admin", ADMIN[1], [])
    return app


def csrf_of(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


@pytest.mark.parametrize("target", [t for t in OFF_SITE if t])
def test_logging_in_with_a_nasty_next_lands_on_the_console(app, target):
    client = app.test_client()
    page = client.get("/login", query_string={"next": target})
    assert page.status_code == 200
    token = csrf_of(client, "/login")
    r = client.post("/login", data={"csrf": token, "username": ADMIN[0],
                                    "password": ADMIN[1], "next": target})
    assert (r.status_code, r.headers["Location"]) == (303, "/")


def test_logging_in_goes_back_to_the_page_asked_for(app):
    client = app.test_client()
    first = client.get("/admin/users?x=1")
    assert first.status_code == 302
    login_url = first.headers["Location"]
    assert login_url.startswith("/login?next=")
    token = csrf_of(client, login_url)
    r = client.post("/login", data={"csrf": token, "username": ADMIN[0], "password": ADMIN[1],
                                    "next": "/admin/users?x=1"})
    assert (r.status_code, r.headers["Location"]) == (303, "/admin/users?x=1")


def test_the_browser_tab_gets_an_icon(app):
    client = app.test_client()
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r.mimetype in ("image/svg+xml", "image/png", "image/x-icon", "image/vnd.microsoft.icon")
    assert len(r.data) > 100
    if r.mimetype == "image/svg+xml":
        assert b"<svg" in r.data
    html = client.get("/login").get_data(as_text=True)
    link = re.search(r'<link rel="icon"[^>]*href="([^"]+)"', html)
    assert link, "the pages name their icon"
    assert client.get(link.group(1)).status_code == 200
