"""Who may see what: the head of office (leader) sees the reports and the office live,
nothing else; a clerk does not see the reports; a rating tablet only rates."""

from __future__ import annotations

import re

import pytest

from layso.server.app import create_app
from layso.server.config import load_config
from tests.server.test_openapi import add_user
from tests.support.live_server import DISPLAY_TOKEN, KIOSK_TOKEN, write_test_config

RATING_TOKEN = "roles-rating-token-0123456789"
USERS = {"admin": ("admin", "admin-pass-123"), "clerk": ("canbo1", "canbo-pass-123"),
         "leader": ("lanhdao", "lanh-dao-pass-123")}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    root = tmp_path_factory.mktemp("roles")
    config = write_test_config(root / "layso.toml", extra=f"""
[[devices]]
name = "danhgia-1"
role = "rating"
token = "{RATING_TOKEN}"
""")
    app = create_app(load_config(config), data_dir=root / "data")
    for role, (username, password) in USERS.items():
        add_user(config, root / "data", role, username, password)
    yield app
    app.extensions["layso"].db.dispose()


def browser_of(app, role: str):
    """A test client logged in through the login form, as a browser would be."""
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)
    username, password = USERS[role]
    r = client.post("/login", data={"csrf": csrf, "username": username, "password": password})
    assert r.status_code == 303, r.get_data(as_text=True)
    return client


def token_of(app, who: str) -> str:
    if who in USERS:
        username, password = USERS[who]
        r = app.test_client().post("/api/v1/auth/login",
                                   json={"username": username, "password": password})
        return r.get_json()["token"]
    return {"kiosk": KIOSK_TOKEN, "display": DISPLAY_TOKEN, "rating": RATING_TOKEN}[who]


PAGES = [  # path, clerk, admin, leader
    ("/", 200, 200, 302),
    ("/reports", 403, 200, 200),
    ("/reports?period=month", 403, 200, 200),
    ("/live", 403, 200, 200),
    ("/admin/services", 403, 200, 403),
    ("/admin/users", 403, 200, 403),
]


@pytest.mark.parametrize(("path", "clerk", "admin", "leader"), PAGES)
def test_pages_by_role(app, path, clerk, admin, leader):
    for role, expected in (("clerk", clerk), ("admin", admin), ("leader", leader)):
        r = browser_of(app, role).get(path)
        assert r.status_code == expected, (role, path, r.status_code)
        if expected == 403:
            assert "Không được phép" in r.get_data(as_text=True)


def test_the_leaders_home_is_the_reports(app):
    r = browser_of(app, "leader").get("/")
    assert r.headers["Location"].endswith("/reports")


API = [  # method, path, who → status
    ("get", "/api/v1/reports", {"admin": 200, "leader": 200, "clerk": 403, "kiosk": 403,
                                "display": 403, "rating": 403}),
    ("get", "/api/v1/reports.xlsx", {"admin": 200, "leader": 200, "clerk": 403}),
    ("get", "/api/v1/reports.csv", {"admin": 200, "leader": 200, "clerk": 403}),
    ("get", "/api/v1/display", {"leader": 200, "clerk": 200, "rating": 403}),
    ("get", "/api/v1/counters", {"leader": 200, "rating": 403}),
    ("post", "/api/v1/counters/1/call-next", {"leader": 403, "rating": 403, "clerk": 200}),
    ("post", "/api/v1/tickets", {"leader": 403, "rating": 403, "kiosk": 201}),
    ("post", "/api/v1/counters/1/pause", {"leader": 403}),
]


@pytest.mark.parametrize(("method", "path", "expected"), API)
def test_the_api_by_role(app, method, path, expected):
    client = app.test_client()
    for who, status in expected.items():
        body = {"service_id": 1} if path == "/api/v1/tickets" else None
        r = client.open(path, method=method.upper(), json=body,
                        headers={"Authorization": f"Bearer {token_of(app, who)}"})
        assert r.status_code == status, (who, method, path, r.get_data(as_text=True)[:200])


def test_no_token_no_report(app):
    r = app.test_client().get("/api/v1/reports")
    assert r.status_code == 401
    assert r.get_json()["error"]["code"] == "unauthorized"


def test_a_bad_range_is_a_clear_422(app):
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token_of(app, 'leader')}"}
    backwards = client.get("/api/v1/reports?from=2026-12-02&to=2026-11-01", headers=auth)
    assert backwards.status_code == 422
    assert backwards.get_json()["error"] == {
        "code": "bad_report_range",
        "message": "Khoảng ngày báo cáo không hợp lệ: ngày kết thúc (to) trước ngày bắt đầu "
                   "(from)."}
    too_long = client.get("/api/v1/reports?from=2020-01-01&to=2026-01-01", headers=auth)
    assert too_long.get_json()["error"]["code"] == "bad_report_range"
    not_a_day = client.get("/api/v1/reports?from=2026-13-40", headers=auth)
    assert (not_a_day.status_code, not_a_day.get_json()["error"]["code"]) == \
        (422, "invalid_field")
    assert "from" in not_a_day.get_json()["error"]["message"]
