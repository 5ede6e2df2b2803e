"""Logging in tells nothing about which names exist, and nobody can lock the admin out.

In-process app (the same code the server runs), with client addresses set per request:
an unknown name, a disabled user and a wrong password get byte-identical answers, also
once throttled; failures from one address never lock the account at another. The token
cache answers "who is this" without the database, and a revocation clears it at once.
"""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import event, select

from layso.server import admin
from layso.server.app import create_app
from layso.server.config import load_config
from layso.server.login_throttle import FREE_PER_ADDRESS, FREE_PER_NAME, LoginThrottle
from layso.server.storage.tables import Device, User
from tests.support.live_server import KIOSK_TOKEN

ADMIN = ("quantri", "mat-khau-dai-1")
CLERK = ("canbo", "mat-khau-dai-2")
LOGIN = "/api/v1/auth/login"


@pytest.fixture
def app(tmp_path, test_config):
    app = create_app(load_config(test_config), data_dir=tmp_path / "data")
    ctx = app.extensions["layso"]
    with admin.change(ctx.queue, ctx.office_id, None) as c:
        admin.add_user(c, ADMIN[0], "", "admin", ADMIN[1], [])
        admin.add_user(c, CLERK[0], "", "clerk", CLERK[1], [])
        admin.add_user(c, "nghiviec", "", "clerk", "mat-khau-dai-3", [])
    with admin.change(ctx.queue, ctx.office_id, None) as c:
        admin.set_user_active(c, user_id(app, "nghiviec"), False)
    yield app
    ctx.db.dispose()


def user_id(app, username: str) -> int:
    with app.extensions["layso"].db.read() as s:
        return s.scalar(select(User.id).where(User.username == username))


def login(client, username: str, password: str, address: str = "10.0.0.5",
          lang: str = "vi"):
    return client.post(LOGIN, json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address},
                       headers={"Accept-Language": lang})


def answer(response) -> tuple:
    return response.status_code, response.get_data(), sorted(
        (k, v) for k, v in response.headers.items())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_unknown_name_a_disabled_user_and_a_wrong_password_answer_alike(app, lang):
    client = app.test_client()
    wrong = login(client, ADMIN[0], "not-the-password", lang=lang)
    assert wrong.status_code == 401
    assert wrong.get_json()["error"]["code"] == "login_failed"
    assert answer(login(client, "khong-co-ai", "not-the-password", lang=lang)) == answer(wrong)
    assert answer(login(client, "nghiviec", "mat-khau-dai-3", lang=lang)) == answer(wrong)


def test_throttled_answers_do_not_tell_names_apart_either(app):
    client = app.test_client()
    known = [answer(login(client, ADMIN[0], "sai-mat-khau", "10.0.0.8"))
             for _ in range(FREE_PER_NAME + 1)]
    unknown = [answer(login(client, "khong-co-ai", "sai-mat-khau", "10.0.0.9"))
               for _ in range(FREE_PER_NAME + 1)]
    assert known == unknown
    assert [status for status, _body, _headers in known] == [401] * FREE_PER_NAME + [429]
    _status, body, headers = known[-1]
    assert json.loads(body)["error"]["code"] == "too_many_logins"
    assert "Xin thử lại sau" in json.loads(body)["error"]["message"]
    assert dict(headers)["Retry-After"].isdigit()


def test_wrong_passwords_from_one_computer_never_lock_the_admin_out_at_another(app):
    client = app.test_client()
    for _ in range(3 * FREE_PER_NAME):
        assert login(client, ADMIN[0], "doan-mo", "10.0.0.66").status_code in (401, 429)
    assert login(client, ADMIN[0], ADMIN[1], "10.0.0.66").status_code == 429  # the attacker
    r = login(client, ADMIN[0], ADMIN[1], "10.0.0.7")                         # the admin
    assert r.status_code == 200 and r.get_json()["user"]["role"] == "admin"


def test_the_login_page_answers_unknown_names_and_wrong_passwords_alike(app):
    client = app.test_client()
    html = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', html).group(1)

    def page(username: str, password: str, address: str = "10.0.0.5"):
        r = client.post("/login", data={"csrf": csrf, "username": username,
                                        "password": password},
                        environ_base={"REMOTE_ADDR": address})
        return r.status_code, r.get_data(as_text=True).replace(username, "NAME")

    wrong = page(ADMIN[0], "not-the-password")
    assert wrong[0] == 401 and "Sai tên đăng nhập hoặc mật khẩu" in wrong[1]
    assert page("khong-co-ai", "not-the-password") == wrong
    for _ in range(FREE_PER_NAME):
        page(ADMIN[0], "doan-mo", "10.0.0.66")
    status, text = page(ADMIN[0], ADMIN[1], "10.0.0.66")
    assert status == 429 and "Xin thử lại sau" in text
    assert client.post("/login", data={"csrf": csrf, "username": ADMIN[0], "password": ADMIN[1]},
                       environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 303


def test_the_back_off_doubles_per_name_and_per_address_and_is_forgotten():
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(FREE_PER_NAME):
        assert throttle.attempt("10.0.0.1", "quantri") == 0
    assert throttle.attempt("10.0.0.1", "quantri") == pytest.approx(1.0)
    assert throttle.attempt("10.0.0.2", "quantri") == 0           # another computer
    now[0] += 1.0
    assert throttle.attempt("10.0.0.1", "quantri") == 0
    assert throttle.attempt("10.0.0.1", "quantri") == pytest.approx(2.0)
    now[0] += 16 * 60                                                # a quiet quarter hour
    assert throttle.attempt("10.0.0.1", "quantri") == 0
    # many names from one computer: the address is slowed down too
    for i in range(FREE_PER_ADDRESS):
        throttle.attempt("10.0.0.3", f"ten-{i}")
    assert throttle.attempt("10.0.0.3", "ten-moi") > 0
    assert throttle.attempt("10.0.0.4", "ten-moi") == 0
    # a right password gives the name a fresh start
    for _ in range(FREE_PER_NAME):
        throttle.attempt("10.0.0.5", "canbo")
    throttle.succeeded("10.0.0.5", "canbo")
    assert throttle.attempt("10.0.0.5", "canbo") == 0


def count_identity_queries(app, call) -> int:
    """How many statements asking "whose token is this" ran while `call()` did."""
    engine = app.extensions["layso"].db.read_engine
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        if "token_hash" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        call()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return len(seen)


def test_the_token_cache_answers_without_the_database_and_a_revocation_clears_it(app):
    client = app.test_client()
    ctx = app.extensions["layso"]
    kiosk = {"Authorization": f"Bearer {KIOSK_TOKEN}"}
    assert client.get("/api/v1/office", headers=kiosk).status_code == 200
    assert ctx.credentials.cached(KIOSK_TOKEN) is not None
    assert count_identity_queries(
        app, lambda: client.get("/api/v1/office", headers=kiosk)) == 0

    with ctx.db.read() as s:
        device_id = s.scalar(select(Device.id).where(Device.name == "kiosk-sanh"))
    with admin.change(ctx.queue, ctx.office_id, None) as c:
        admin.revoke_device(c, device_id)
    assert ctx.credentials.cached(KIOSK_TOKEN) is None
    assert client.get("/api/v1/office", headers=kiosk).status_code == 401


@pytest.mark.parametrize("change", ["disable", "role", "password"])
def test_the_token_cache_forgets_a_clerk_whose_account_changes(app, change):
    client = app.test_client()
    ctx = app.extensions["layso"]
    token = login(client, *CLERK).get_json()["token"]
    clerk = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/office", headers=clerk).status_code == 200
    assert ctx.credentials.cached(token) is not None
    clerk_id = user_id(app, CLERK[0])
    with admin.change(ctx.queue, ctx.office_id, None) as c:
        if change == "disable":
            admin.set_user_active(c, clerk_id, False)
        elif change == "role":
            admin.edit_user(c, clerk_id, "", "leader", [])
        else:
            admin.reset_password(c, clerk_id, "mat-khau-moi-9")
    assert ctx.credentials.cached(token) is None
    assert client.get("/api/v1/office", headers=clerk).status_code == 401


def test_failed_logins_leave_the_cache_alone(app):
    client = app.test_client()
    ctx = app.extensions["layso"]
    assert client.get("/api/v1/office",
                      headers={"Authorization": f"Bearer {KIOSK_TOKEN}"}).status_code == 200
    login(client, ADMIN[0], "sai-mat-khau")
    login(client, *CLERK)  # a new session is not a changed one
    assert ctx.credentials.cached(KIOSK_TOKEN) is not None
