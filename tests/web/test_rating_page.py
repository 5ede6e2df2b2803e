"""The rating tablet at counter 2, in real Chromium beside the clerk's console: it asks when
the counter presses Xong, stores one rating, and the second is refused."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.support.live_server import write_test_config
from tests.web.conftest import CLERK, log_in, open_counter, press

pytestmark = pytest.mark.browser

RATING_TOKEN = "test-rating-counter-2-0123456789"
RATING_DEVICE = f"""
[[devices]]
name = "danhgia-quay-2"
role = "rating"
token = "{RATING_TOKEN}"
"""


@pytest.fixture
def test_config(tmp_path):
    """The commune config with a rating tablet among its devices."""
    return write_test_config(tmp_path / "layso.toml", extra=RATING_DEVICE)


def tablet(browser, live_server, width: int, height: int):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                  viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_the_tablet_asks_when_the_counter_presses_xong_and_takes_one_rating(
        browser, page, office, live_server, output_dir):
    context, rate = tablet(browser, live_server, 1366, 768)
    try:
        # Set-up link once: the token goes into a cookie and leaves the address bar.
        rate.goto(f"/rate/2?token={RATING_TOKEN}")
        assert rate.url.endswith("/rate/2")
        expect(rate.locator("#idle h1")).to_have_text("UBND phường Sài Gòn")
        expect(rate.locator("#levels")).to_be_hidden()

        ticket = office.issue("TP")
        log_in(page, *CLERK)
        open_counter(page, 2)
        press(page, "F1")
        expect(page.locator("#current-number")).to_have_text(ticket["number"])
        expect(rate.locator("#prompt")).to_be_hidden()      # called, not yet served
        press(page, "F3")                                    # Xong

        expect(rate.locator("#prompt-text")).to_have_text(
            f"Công dân có số {ticket['number']} vui lòng đánh giá")
        buttons = rate.locator("#levels button")
        expect(buttons).to_have_count(3)
        expect(buttons.nth(0)).to_contain_text("Rất hài lòng")
        expect(buttons.nth(1)).to_contain_text("Hài lòng")
        expect(buttons.nth(2)).to_contain_text("Không hài lòng")
        box = buttons.nth(0).bounding_box()
        assert box["height"] >= 100 and box["width"] >= 250, box   # big enough to tap
        rate.screenshot(path=str(output_dir / "rating-1366.png"))

        buttons.nth(2).click()                               # unhappy: why?
        expect(rate.locator("#why")).to_be_visible()
        rate.get_by_role("button", name="Chờ lâu").click()
        rate.get_by_role("button", name="Gửi").click()
        expect(rate.locator("#thanks h1")).to_have_text("Cảm ơn công dân đã đánh giá!")

        # Stored once, tied to the ticket: its status page says so, a second is refused.
        code = ticket["status_url"].rsplit("/t/", 1)[1]
        status = requests.get(f"{live_server.api}/public/t/{code}", timeout=10).json()
        assert status["rating"]["level"] == "unsatisfied"
        assert status["rating"]["can_rate"] is False
        again = rate.evaluate("""async ([id, token]) => {
            const r = await fetch(`/api/v1/tickets/${id}/rating`, {method: "POST",
                headers: {"Content-Type": "application/json", "Authorization": "Bearer " + token},
                body: JSON.stringify({level: "very_satisfied"})});
            return [r.status, (await r.json()).error.code];
        }""", [ticket["id"], RATING_TOKEN])
        assert again == [409, "rating_exists"]
        expect(rate.locator("#idle")).to_be_visible(timeout=8_000)   # back to idle
    finally:
        context.close()


def test_the_tablet_at_a_phone_width(browser, office, live_server, output_dir):
    context, rate = tablet(browser, live_server, 360, 740)
    try:
        rate.goto(f"/rate/2?token={RATING_TOKEN}")
        expect(rate.locator("#idle h1")).to_be_visible()
        clerk = live_server.headers(live_server.login(*CLERK))
        ticket = office.issue("TP")
        counter = office.counter(2)["id"]
        r = requests.post(f"{live_server.api}/counters/{counter}/call-next", headers=clerk,
                          timeout=10)
        assert r.json()["ticket"]["id"] == ticket["id"]
        requests.post(f"{live_server.api}/tickets/{ticket['id']}/done", headers=clerk,
                      timeout=10).raise_for_status()
        expect(rate.locator("#levels button")).to_have_count(3)
        for button in rate.locator("#levels button").all():
            box = button.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, box   # no sideways scroll
        rate.screenshot(path=str(output_dir / "rating-360.png"), full_page=True)
    finally:
        context.close()


def test_a_tablet_without_its_token_or_at_another_counter_says_what_to_do(
        browser, office, live_server):
    context, rate = tablet(browser, live_server, 1024, 700)
    try:
        response = rate.goto("/rate/2")
        assert response.status == 401
        expect(rate.locator(".msg")).to_contain_text("?token=MÃ_THIẾT_BỊ")
        assert rate.goto("/rate/2?token=not-a-real-token-0000000").status == 401
        rate.goto(f"/rate/2?token={RATING_TOKEN}")
        response = rate.goto("/rate/3")                   # set up at 2: not here
        assert response.status == 409
        expect(rate.locator(".msg")).to_contain_text("Quầy 2")
        # A tablet cannot rate a ticket another counter served.
        clerk = live_server.headers(live_server.login(*CLERK))
        ticket = office.issue("DD")
        counter_3 = office.counter(3)["id"]
        requests.post(f"{live_server.api}/counters/{counter_3}/call-next", headers=clerk,
                      timeout=10).raise_for_status()
        requests.post(f"{live_server.api}/tickets/{ticket['id']}/done", headers=clerk,
                      timeout=10).raise_for_status()
        r = requests.post(f"{live_server.api}/tickets/{ticket['id']}/rating",
                          json={"level": "satisfied"},
                          headers=live_server.headers(RATING_TOKEN), timeout=10)
        assert (r.status_code, r.json()["error"]["code"]) == (403, "rating_other_counter")
    finally:
        context.close()
