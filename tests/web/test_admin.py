"""The office admin in real Chromium, and the locks on it: roles, CSRF, first run."""

from __future__ import annotations

import json

import pytest
import requests
from playwright.sync_api import expect

from tests.support.live_server import LiveServer
from tests.web.conftest import ADMIN, CLERK, WebSession, log_in

ADMIN_PAGES = ("services", "counters", "users", "devices", "settings", "audit")


def events_after(server, token: str, after: int, wanted: str) -> dict:
    """Replay the stored stream after an event id until an event of type `wanted`."""
    with requests.get(f"{server.api}/events", params={"last_event_id": after},
                      headers=server.headers(token), stream=True, timeout=10) as r:
        kind = None
        for line in r.iter_lines(decode_unicode=True):
            if line.startswith("event: "):
                kind = line[len("event: "):]
            elif line.startswith("data: ") and kind == wanted:
                return json.loads(line[len("data: "):])
    raise AssertionError(f"no {wanted} event")


@pytest.mark.browser
def test_admin_adds_a_field_and_kiosks_see_it_at_once(page, office, live_server, output_dir):
    before = office.display()["last_event_id"]
    log_in(page, *ADMIN, path="/admin/services")
    form = page.locator("#add-service")
    form.locator("input[name=code]").fill("QS")
    form.locator("input[name=name]").fill("Quân sự – Quốc phòng")
    form.locator("input[name=prefix]").fill("9")
    form.locator("input[name=daily_cap]").fill("50")
    form.get_by_role("button", name="Thêm").click()
    expect(page.locator(".msg.ok")).to_have_text("Đã lưu.")
    expect(page.locator("#services tr[data-code=QS] input[name=name]")).to_have_value(
        "Quân sự – Quốc phòng")

    listed = {s["code"]: s for s in office.get("/services")}
    assert listed["QS"]["name"] == "Quân sự – Quốc phòng"
    assert listed["QS"]["prefix"] == "9"
    update = events_after(live_server, live_server.display_token, before, "services.updated")
    assert "QS" in [s["code"] for s in update["services"]]

    # Close the field: the kiosk's list says so.
    page.locator("#services tr[data-code=QS] input[name=open]").uncheck()
    page.locator("#services tr[data-code=QS]").get_by_role("button", name="Lưu").click()
    expect(page.locator(".msg.ok")).to_be_visible()
    closed = next(s for s in office.get("/services") if s["code"] == "QS")
    assert (closed["open"], closed["unavailable_reason"]) == (False, "closed")

    for name in ADMIN_PAGES:
        page.goto(f"/admin/{name}")
        expect(page.locator(".admin-nav a.here")).to_have_attribute("href", f"/admin/{name}")
        page.screenshot(path=str(output_dir / f"admin-{name}.png"), full_page=True)
    audit = page.locator("#audit tbody tr")
    expect(audit.first).to_contain_text("Sửa lĩnh vực")
    expect(audit.first).to_contain_text("admin")
    expect(page.locator("#audit tr[data-action='service.add']")).to_contain_text("QS")


@pytest.mark.browser
def test_a_refused_value_is_explained_and_kept_in_the_form(page):
    log_in(page, *ADMIN, path="/admin/services")
    form = page.locator("#add-service")
    form.locator("input[name=code]").fill("QS")
    form.locator("input[name=name]").fill("Quân sự")
    form.locator("input[name=prefix]").fill("10")  # "10" + 2 digits: 1001…, as Tư pháp prints
    form.locator("input[name=width]").fill("2")
    form.get_by_role("button", name="Thêm").click()
    problem = ("trùng số với lĩnh vực TP – Tư pháp – Hộ tịch: cả hai đều có thể in số 1001; "
               "hãy đổi tiền tố, số chữ số, số bắt đầu hoặc tối đa mỗi ngày")
    expect(page.locator(".msg.error")).to_have_text(f"Trường Tiền tố số: {problem}.")
    # ... and next to the input itself, right below it, in both languages.
    prefix = form.locator("input[name=prefix]")
    expect(prefix).to_have_attribute("aria-invalid", "true")
    beside = form.locator("#problem-prefix")
    expect(beside).to_contain_text(problem)
    expect(beside).to_contain_text("(numbers would repeat with TP – Tư pháp – Hộ tịch")
    box, below = prefix.bounding_box(), beside.bounding_box()
    assert abs(below["x"] - box["x"]) < 2 and 0 <= below["y"] - (box["y"] + box["height"]) < 12
    expect(form.locator("input[name=name]")).to_have_value("Quân sự")
    expect(prefix).to_have_value("10")


@pytest.mark.browser
def test_admin_makes_a_device_token_shown_once_and_revokes_it(page, live_server, output_dir):
    log_in(page, *ADMIN, path="/admin/devices")
    page.fill("input[name=device_name]", "kiosk-tang-2")
    page.get_by_role("button", name="Tạo mã thiết bị").click()
    token = page.locator("#new-token .token").inner_text().strip()
    page.screenshot(path=str(output_dir / "admin-device-token.png"), full_page=True)
    assert requests.get(f"{live_server.api}/services", headers=live_server.headers(token),
                        timeout=10).status_code == 200

    page.goto("/admin/devices")
    expect(page.locator("#new-token")).to_have_count(0)  # never shown again
    assert token not in page.content()
    page.locator("#devices tr[data-name=kiosk-tang-2]").get_by_role(
        "button", name="Thu hồi mã").click()
    expect(page.locator("#devices tr[data-name=kiosk-tang-2]")).to_contain_text("Đã thu hồi")
    assert requests.get(f"{live_server.api}/services", headers=live_server.headers(token),
                        timeout=10).status_code == 401


@pytest.mark.browser
def test_admin_adds_a_clerk_who_can_then_log_in(page, live_server):
    log_in(page, *ADMIN, path="/admin/users")
    page.fill("form.grid-form input[name=username]", "canbo2")
    page.fill("form.grid-form input[name=full_name]", "Nguyễn Thị Hồng")
    page.fill("form.grid-form input[name=password]", "mat-khau-moi-1")
    page.fill("form.grid-form input[name=password_again]", "mat-khau-moi-1")
    page.locator("form.grid-form").get_by_label("Quầy 3").check()
    page.locator("form.grid-form").get_by_role("button", name="Thêm").click()
    expect(page.locator("#users tr[data-username=canbo2] input[name=full_name]")).to_have_value(
        "Nguyễn Thị Hồng")
    token = live_server.login("canbo2", "mat-khau-moi-1")
    counters = requests.get(f"{live_server.api}/counters", headers=live_server.headers(token),
                            timeout=10).json()
    counter_1 = next(c for c in counters if c["number"] == 1)["id"]
    r = requests.post(f"{live_server.api}/counters/{counter_1}/call-next",
                      headers=live_server.headers(token), timeout=10)
    assert r.status_code == 403  # assigned to counter 3 only


@pytest.mark.browser
def test_a_clerk_cannot_open_admin_pages(page, output_dir):
    log_in(page, *CLERK)
    for name in ADMIN_PAGES:
        response = page.goto(f"/admin/{name}")
        assert response.status == 403, name
        expect(page.locator("h1")).to_have_text("Không được phép")
    page.screenshot(path=str(output_dir / "admin-forbidden-for-clerk.png"))
    expect(page.get_by_role("link", name="Quản trị")).to_have_count(0)


def test_a_clerk_cannot_post_admin_forms_either(live_server, office):
    web = WebSession(live_server.url)
    web.log_in(*CLERK)
    token = web.csrf("/")
    r = web.http.post(live_server.url + "/admin/services", allow_redirects=False, timeout=10,
                      data={"csrf": token, "code": "QS", "name": "Quân sự", "prefix": "9",
                            "start": "1", "width": "3"})
    assert r.status_code == 403
    assert "QS" not in [s["code"] for s in office.get("/services")]


def test_a_form_post_without_the_csrf_token_is_refused(live_server, office):
    web = WebSession(live_server.url)
    assert web.log_in(*ADMIN).status_code == 303
    fields = {"code": "QS", "name": "Quân sự", "prefix": "9", "start": "1", "width": "3"}
    for csrf in ({}, {"csrf": "0" * 40}):
        r = web.http.post(live_server.url + "/admin/services", data=fields | csrf,
                          allow_redirects=False, timeout=10)
        assert r.status_code == 403
        assert "Biểu mẫu đã hết hạn" in r.text
    assert "QS" not in [s["code"] for s in office.get("/services")]
    # The same session with its token is let through: the refusal was the missing token.
    good = web.csrf("/admin/services")
    r = web.http.post(live_server.url + "/admin/services", data=fields | {"csrf": good},
                      allow_redirects=False, timeout=10)
    assert r.status_code == 303
    assert "QS" in [s["code"] for s in office.get("/services")]


def test_the_api_through_the_session_cookie_needs_the_csrf_header(live_server, office):
    ticket = office.issue("TP")
    web = WebSession(live_server.url)
    web.log_in(*CLERK)
    counter = office.counter(1)["id"]
    url = f"{live_server.api}/counters/{counter}/call-next"
    r = web.http.post(url, timeout=10)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "csrf_failed"
    assert office.ticket(ticket["id"])["status"] == "waiting"
    r = web.http.post(url, headers={"X-CSRF-Token": web.csrf("/")}, timeout=10)
    assert r.json()["ticket"]["number"] == ticket["number"]


def test_logging_in_lockout_cookie_flags_and_logout(live_server):
    web = WebSession(live_server.url)
    r = web.log_in(*CLERK)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert web.http.get(live_server.url + "/", timeout=10).status_code == 200
    token = web.http.cookies["layso_session"]
    r = web.http.post(live_server.url + "/logout", data={"csrf": web.csrf("/")},
                      allow_redirects=False, timeout=10)
    assert r.status_code == 303
    assert requests.get(f"{live_server.api}/services", headers=live_server.headers(token),
                        timeout=10).status_code == 401
    # Five wrong passwords from this address slow this address down (429, no account lock:
    # from another address the clerk still logs in; tests/server/test_credentials_login.py).
    answers = [web.log_in("canbo1", "not the password").status_code for _ in range(6)]
    assert answers[:5] == [401] * 5 and answers[5] == 429
    assert web.log_in(*CLERK).status_code == 429


def test_first_run_page_makes_the_first_admin_and_then_disappears(tmp_path, test_config):
    server = LiveServer(test_config, tmp_path / "fresh")
    server.start()
    try:
        web = WebSession(server.url)
        first = web.http.get(server.url + "/", allow_redirects=False, timeout=10)
        assert first.headers["Location"].endswith("/setup")
        assert web.log_in("admin", "admin").status_code == 401  # no default account
        token = web.csrf("/setup")
        r = web.http.post(server.url + "/setup", timeout=10, data={
            "csrf": token, "username": "quantri", "full_name": "Trần Văn An",
            "password": "mot-mat-khau-dai", "password_again": "mot-mat-khau-dai"})
        assert r.status_code == 200 and "Đã tạo tài khoản quản trị" in r.text
        assert web.http.get(server.url + "/setup", timeout=10).status_code == 404
        assert server.login("quantri", "mot-mat-khau-dai")
    finally:
        server.stop()
