"""The clerk console in real Chromium: a clerk's morning at counter 2, from the keyboard."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import CLERK, eventually, log_in, open_counter, press

pytestmark = pytest.mark.browser


def test_someone_not_logged_in_gets_the_login_form_in_vietnamese(page, output_dir):
    page.goto("/")
    assert page.url.endswith("/login?next=/")
    expect(page.locator("h1")).to_have_text("Đăng nhập")
    page.screenshot(path=str(output_dir / "console-login.png"))
    page.fill("input[name=username]", "canbo1")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    expect(page.locator(".msg.error")).to_have_text("Sai tên đăng nhập hoặc mật khẩu.")


def test_clerk_calls_recalls_finishes_and_transfers_from_the_keyboard(page, office, output_dir):
    first, second, third = (office.issue("TP") for _ in range(3))
    log_in(page, *CLERK)
    open_counter(page, 2)
    expect(page.locator("#waiting-table tbody tr")).to_have_count(3)

    press(page, "F1")
    expect(page.locator("#current-number")).to_have_text(first["number"])
    expect(page.locator("#current-service")).to_have_text("Tư pháp – Hộ tịch")
    display = office.display()
    at_counter_2 = next(c for c in display["counters"] if c["number"] == 2)
    assert at_counter_2["current_ticket"]["number"] == first["number"]
    assert display["recent_calls"][0]["ticket"]["number"] == first["number"]
    expect(page.locator("#waiting-table tbody tr")).to_have_count(2)
    page.screenshot(path=str(output_dir / "console-serving.png"), full_page=True)

    press(page, "F2")
    eventually(lambda: office.display()["recent_calls"][0]["recall"])
    assert office.ticket(first["id"])["recall_count"] == 1

    press(page, "F3")
    expect(page.locator("#current-number")).to_have_text("—")
    assert office.ticket(first["id"])["status"] == "done"
    expect(page.locator("#stat-served")).to_have_text("1")

    press(page, "Space")
    expect(page.locator("#current-number")).to_have_text(second["number"])
    press(page, "F4")
    expect(page.locator("#current-number")).to_have_text("—")
    assert office.ticket(second["id"])["status"] == "no_show"
    expect(page.locator("#stat-no-show")).to_have_text("1")

    press(page, "F1")
    expect(page.locator("#current-number")).to_have_text(third["number"])
    press(page, "F6")
    expect(page.locator("#transfer-dialog")).to_be_visible()
    page.select_option("#transfer-service", label="(CT) Chứng thực")
    page.screenshot(path=str(output_dir / "console-transfer.png"))
    page.keyboard.press("Enter")
    expect(page.locator("#current-number")).to_have_text("—")
    moved = office.ticket(third["id"])
    assert (moved["status"], moved["service_code"], moved["number"]) == \
        ("waiting", "CT", third["number"])
    # Counter 2 serves CT too: the transferred number is back in its waiting list.
    expect(page.locator("#waiting-table tbody tr")).to_have_count(1)
    expect(page.locator("#waiting-table tbody tr td.number")).to_have_text(third["number"])

    page.reload()  # the counter is remembered by this browser
    expect(page.locator("#counter-name")).to_have_text("Quầy 2")


def test_the_waiting_list_is_live_and_a_clerk_may_call_out_of_order(page, office, output_dir):
    log_in(page, *CLERK)
    open_counter(page, 1)  # Quầy 1 serves TP only
    expect(page.locator("#waiting-empty")).to_be_visible()
    first = office.issue("TP")
    office.issue("DD")  # another counter's field: not in this list
    second = office.issue("TP")
    rows = page.locator("#waiting-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.locator("td.number")).to_have_text([first["number"], second["number"]])
    page.screenshot(path=str(output_dir / "console-waiting.png"), full_page=True)

    rows.filter(has_text=second["number"]).get_by_role("button", name="Gọi").click()
    expect(page.locator("#current-number")).to_have_text(second["number"])
    assert office.ticket(second["id"])["status"] == "called"
    assert office.ticket(first["id"])["status"] == "waiting"
    expect(rows).to_have_count(1)


def test_a_refused_call_is_said_plainly_and_the_page_corrects_itself(page, office, live_server):
    ticket = office.issue("TP")
    page.route("**/api/v1/events*", lambda route: route.abort())  # no live updates
    log_in(page, *CLERK)
    open_counter(page, 1)
    expect(page.locator("#waiting-table tbody tr")).to_have_count(1)

    other = live_server.login("admin", "admin-pass-123")
    counter_2 = office.counter(2)["id"]
    r = requests.post(f"{live_server.api}/counters/{counter_2}/call",
                      json={"ticket_id": ticket["id"]}, headers=live_server.headers(other),
                      timeout=10)
    assert r.status_code == 200, r.text

    page.get_by_role("button", name="Gọi", exact=True).click()
    expect(page.locator("#error-banner")).to_have_text(
        f"Số {ticket['number']} đã được Quầy 2 gọi.")
    expect(page.locator("#waiting-table tbody tr")).to_have_count(0)
    expect(page.locator("#current-number")).to_have_text("—")


def test_pause_needs_a_reason_and_blocks_calling_until_resumed(page, office):
    waiting = office.issue("TP")
    log_in(page, *CLERK)
    open_counter(page, 1)
    press(page, "F8")
    page.fill("#pause-reason", "Họp giao ban")
    page.keyboard.press("Enter")
    expect(page.locator("#paused-banner")).to_have_text("Quầy đang tạm dừng: Họp giao ban")
    counter = office.counter(1)
    assert (counter["status"], counter["pause_reason"]) == ("paused", "Họp giao ban")
    expect(page.locator("[data-action=next]")).to_be_disabled()
    press(page, "F1")
    assert office.ticket(waiting["id"])["status"] == "waiting"

    press(page, "F8")
    expect(page.locator("#paused-banner")).to_be_hidden()
    assert office.counter(1)["status"] == "open"
    press(page, "F1")
    expect(page.locator("#current-number")).to_have_text(waiting["number"])


def test_a_kiosk_printer_problem_shows_as_a_banner(page, office, output_dir):
    elder = office.issue("CT", priority="NCT")
    office.issue("TP")
    log_in(page, *CLERK)
    expect(page.locator(".counter-choice")).to_have_count(6)  # not assigned: any counter
    page.screenshot(path=str(output_dir / "console-choose-counter.png"))
    open_counter(page, 2)
    press(page, "F1")  # the priority ticket goes first
    expect(page.locator("#current-number")).to_have_text(elder["number"])
    expect(page.locator("#current-priority")).to_have_text("Người cao tuổi (từ 75 tuổi)")
    office.report("paper_out", "Máy in hết giấy")
    banner = page.locator("#device-banners .banner")
    expect(banner).to_have_text("Máy lấy số kiosk-sanh: Máy in hết giấy")
    page.screenshot(path=str(output_dir / "console-device-banner.png"))
    page.reload()  # a problem reported before the page opened is shown too
    expect(banner).to_have_text("Máy lấy số kiosk-sanh: Máy in hết giấy")
    # The printer's own code (not "error"): the office's words for it, live and after a reload.
    office.report("printer_error", "Máy in báo lỗi (dao cắt hoặc lỗi cơ khí)")
    expect(banner).to_have_text("Máy lấy số kiosk-sanh: Máy in báo lỗi")
    page.reload()
    expect(banner).to_have_text("Máy lấy số kiosk-sanh: Máy in báo lỗi")
    office.report("ok", "")
    expect(banner).to_have_count(0)


def test_after_the_server_comes_back_the_page_resyncs_by_itself(page, office, live_server):
    log_in(page, *CLERK)
    open_counter(page, 1)
    expect(page.locator("#offline-banner")).to_be_hidden()
    live_server.stop()
    expect(page.locator("#offline-banner")).to_be_visible()
    live_server.start()
    ticket = office.issue("TP")  # issued while the page is still reconnecting
    expect(page.locator("#waiting-table tbody tr td.number")).to_have_text(
        ticket["number"], timeout=20_000)
    expect(page.locator("#offline-banner")).to_be_hidden()


def test_a_double_press_of_f1_calls_one_citizen_not_two(page, office):
    first, second = office.issue("TP"), office.issue("TP")
    log_in(page, *CLERK)
    open_counter(page, 1)
    expect(page.locator("#waiting-table tbody tr")).to_have_count(2)
    page.keyboard.press("F1")
    page.keyboard.press("F1")  # at once, while the first call is on its way
    expect(page.locator("#current-number")).to_have_text(first["number"])
    expect(page.locator("[data-action=pause]")).to_be_enabled()
    assert office.ticket(first["id"])["status"] == "called"
    assert office.ticket(second["id"])["status"] == "waiting"
