"""The ticket's status page on a phone, in real Chromium: live from the ticket's QR address,
"Đã đến lượt bạn" within a second of the call, rating once after service, and a code
that is not the ticket's own answers 404."""

from __future__ import annotations

import time

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import CLERK

pytestmark = pytest.mark.browser


def phone(browser, live_server, width: int = 360, height: int = 740):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                  viewport={"width": width, "height": height},
                                  is_mobile=width < 600, has_touch=width < 600)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def path_of(ticket: dict) -> str:
    """The status page path, as the ticket's QR carries it (status_url)."""
    url = ticket["status_url"]
    assert url.startswith("http://127.0.0.1:") and "/t/" in url
    return "/t/" + url.rsplit("/t/", 1)[1]


def test_the_page_follows_the_ticket_and_calls_the_citizen_within_a_second(
        browser, office, live_server, output_dir):
    clerk = live_server.headers(live_server.login(*CLERK))
    ahead = office.issue("TP")
    mine = office.issue("TP")
    context, page = phone(browser, live_server)
    try:
        page.goto(path_of(mine))
        expect(page.locator("#number")).to_have_text(mine["number"])
        expect(page.locator("#service")).to_have_text("Tư pháp – Hộ tịch")
        expect(page.locator("#headline")).to_have_text("Đang chờ đến lượt")
        expect(page.locator("#details li").first).to_contain_text(
            "Số người đang chờ trước bạn: 1")
        expect(page.locator("#details li").first).to_contain_text("People ahead of you: 1")
        expect(page.locator("#live")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(output_dir / "status-360-waiting.png"), full_page=True)

        counter_2 = office.counter(2)["id"]
        r = requests.post(f"{live_server.api}/counters/{counter_2}/call-next", headers=clerk,
                          timeout=10)
        assert r.json()["ticket"]["id"] == ahead["id"]
        expect(page.locator("#details li").first).to_contain_text(
            "Số người đang chờ trước bạn: 0")

        # The citizen's turn: the page says so within a second of the call.
        page.evaluate("navigator.vibrate = (p) => { window.vibrated = p; return true; }")
        started = time.monotonic()
        r = requests.post(f"{live_server.api}/counters/{counter_2}/call-next", headers=clerk,
                          timeout=10)
        assert r.json()["ticket"]["id"] == mine["id"]
        expect(page.locator("#headline")).to_have_text(
            "Đã đến lượt bạn — mời đến Quầy 2", timeout=1_000)
        assert time.monotonic() - started < 1.0
        expect(page.locator("#headline-en")).to_have_text(
            "It is your turn — please go to counter 2")
        assert page.evaluate("window.vibrated") == [400, 150, 400, 150, 400]
        page.screenshot(path=str(output_dir / "status-360-called.png"), full_page=True)

        requests.post(f"{live_server.api}/tickets/{mine['id']}/done", headers=clerk,
                      timeout=10).raise_for_status()
        expect(page.locator("#headline")).to_have_text("Đã phục vụ xong. Cảm ơn bạn!")
        expect(page.locator("#rating")).to_be_visible()
        page.screenshot(path=str(output_dir / "status-360-done.png"), full_page=True)
        page.get_by_role("button", name="Rất hài lòng").click()
        expect(page.locator("#rated")).to_be_visible()
        expect(page.locator("#rating")).to_be_hidden()

        code = path_of(mine).rsplit("/", 1)[1]
        again = requests.post(f"{live_server.api}/tickets/{mine['id']}/rating", timeout=10,
                              json={"level": "satisfied", "status_page_code": code})
        assert (again.status_code, again.json()["error"]["code"]) == (409, "rating_exists")
        page.reload()
        expect(page.locator("#rated")).to_be_visible()     # a reload does not ask again
        expect(page.locator("#rating")).to_be_hidden()
    finally:
        context.close()


def test_a_no_show_is_said_plainly(browser, office, live_server):
    clerk = live_server.headers(live_server.login(*CLERK))
    mine = office.issue("DD")
    context, page = phone(browser, live_server)
    try:
        page.goto(path_of(mine))
        counter_3 = office.counter(3)["id"]
        requests.post(f"{live_server.api}/counters/{counter_3}/call-next", headers=clerk,
                      timeout=10).raise_for_status()
        expect(page.locator("#headline")).to_have_text("Đã đến lượt bạn — mời đến Quầy 3")
        requests.post(f"{live_server.api}/tickets/{mine['id']}/no-show", headers=clerk,
                      timeout=10).raise_for_status()
        expect(page.locator("#headline")).to_contain_text("Bạn vắng mặt khi được gọi")
        expect(page.locator("#rating")).to_be_hidden()
    finally:
        context.close()


def test_a_tampered_or_made_up_code_is_a_plain_404(browser, office, live_server):
    mine = office.issue("TP")
    path = path_of(mine)
    ticket_id, mac = path.rsplit("/", 1)[1].split("-")
    flipped = mac[:-1] + ("a" if mac[-1] != "a" else "b")
    other_id = str(int(ticket_id) + 1)
    context, page = phone(browser, live_server)
    try:
        for wrong in (f"/t/{ticket_id}-{flipped}", f"/t/{other_id}-{mac}", f"/t/{ticket_id}",
                      "/t/1-" + "a" * 26):
            response = page.goto(wrong)
            assert response.status == 404, wrong
            expect(page.locator("h1")).to_have_text("Không tìm thấy số thứ tự này.")
            api = requests.get(f"{live_server.api}/public{wrong}", timeout=10)
            assert api.status_code == 404, wrong
        assert page.goto(path).status == 200
    finally:
        context.close()


def test_the_page_at_a_desktop_width(browser, office, live_server, output_dir):
    office.issue("TP")
    mine = office.issue("TP", priority="NCT")
    context, page = phone(browser, live_server, 1366, 900)
    try:
        page.goto(path_of(mine))
        expect(page.locator("#headline")).to_have_text("Đang chờ đến lượt")
        expect(page.locator("#details li")).to_have_count(2)     # people ahead, estimate
        expect(page.locator("#details li").nth(1)).to_contain_text("Thời gian chờ dự kiến:")
        page.screenshot(path=str(output_dir / "status-1366.png"), full_page=True)
    finally:
        context.close()
