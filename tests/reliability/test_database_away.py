"""While PostgreSQL is down, every route of the server says so plainly: a 503
`database_unavailable` with Retry-After, in Vietnamese or English, never a 500; once it
is back the next ticket is the first number (the failed issues used none up).

The app runs in-process here (Flask's test client) so every route of its map can be
asked; tests/reliability/test_postgres_restart.py does the restart under load over HTTP.
"""

from __future__ import annotations

import os
import re

import pytest

from layso.server.app import create_app
from layso.server.config import load_config
from layso.server.messages import message
from tests.reliability.private_postgres import PrivatePostgres, available
from tests.support.live_server import LiveServer

pytestmark = pytest.mark.postgres

ADMIN = ("admin", "admin-pass-123")
STREAMS = re.compile(r"/events$")


@pytest.fixture
def private_pg():
    if not available():
        if os.environ.get("CI"):
            pytest.fail("CI must run the PostgreSQL restart: install postgresql (tools/setup.sh)")
        pytest.skip("PostgreSQL's initdb is not installed")
    pg = PrivatePostgres().start()
    yield pg
    pg.destroy()


def every_request(app) -> list[tuple[str, str]]:
    """(method, URL) for each route and method; the event streams aside."""
    asked = []
    for rule in app.url_map.iter_rules():
        if STREAMS.search(rule.rule) or rule.endpoint.endswith("static"):
            continue
        url = re.sub(r"<[^>]+>", "1", rule.rule)   # id 1, code "1": both exist or are 404s
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            asked.append((method, url))
    return sorted(asked)


def test_every_route_answers_503_while_postgres_is_down(tmp_path, test_config, private_pg):
    LiveServer(test_config, tmp_path / "data", database_url=private_pg.url).add_user(
        ADMIN[0], "admin", ADMIN[1])
    app = create_app(load_config(test_config), db_url=private_pg.url)
    api = app.test_client()
    r = api.post("/api/v1/auth/login", json={"username": ADMIN[0], "password": ADMIN[1]})
    assert r.status_code == 200, r.get_data(as_text=True)
    admin = {"Authorization": f"Bearer {r.get_json()['token']}"}
    tp = next(s["id"] for s in api.get("/api/v1/services", headers=admin).get_json()
              if s["code"] == "TP")
    web = app.test_client()   # the console's and admin pages' browser, logged in by the form
    csrf = re.search(r'name="csrf" value="([^"]+)"', web.get("/login").get_data(as_text=True))
    r = web.post("/login", data={"csrf": csrf.group(1), "username": ADMIN[0],
                                 "password": ADMIN[1]})
    assert r.status_code in (302, 303), r.status_code

    private_pg.stop("fast")
    answers: dict[tuple[str, str], int] = {}
    for method, url in every_request(app):
        client = api if url.startswith("/api/") else web
        r = client.open(url, method=method, headers=admin, json={})
        answers[(method, url)] = r.status_code
        assert r.status_code != 500, (method, url, r.get_data(as_text=True)[:300])
        if r.status_code == 503:
            body = r.get_json()
            assert body["error"]["code"] == "database_unavailable", (method, url, body)
            assert body["error"]["message"] == message("database_unavailable", "vi")
            assert r.headers.get("Retry-After", "").isdigit(), (method, url)
    unavailable = {key for key, status in answers.items() if status == 503}
    # What needs the database said so: reading the office, issuing, calling, the pages.
    for key in [("GET", "/api/v1/services"), ("GET", "/api/v1/display"),
                ("GET", "/api/v1/office"), ("GET", "/api/v1/tickets"),
                ("POST", "/api/v1/counters/1/call-next"),
                ("GET", "/api/v1/counters/1/line"), ("GET", "/console/stats"),
                ("GET", "/"), ("GET", "/admin/users")]:
        assert key in unavailable, (key, answers.get(key))
    assert len(unavailable) >= len(answers) // 2, answers
    r = api.post("/api/v1/tickets", json={"service_id": tp},
                 headers={**admin, "Accept-Language": "en"})
    assert r.status_code == 503
    assert r.get_json()["error"]["message"] == message("database_unavailable", "en")
    assert r.get_json()["error"]["message"].startswith("The system is briefly unavailable")

    private_pg.start()
    r = api.post("/api/v1/tickets", json={"service_id": tp}, headers=admin)
    assert r.status_code == 201, r.get_data(as_text=True)
    assert r.get_json()["number"] == "1001", "a failed issue used up a number"
    assert api.get("/api/v1/services", headers=admin).status_code == 200
    app.extensions["layso"].db.dispose()
