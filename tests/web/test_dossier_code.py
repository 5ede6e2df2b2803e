"""The dossier code (mã hồ sơ) at the clerk's desk, in real Chromium: typed or scanned
before Xong, it is kept with the ticket and shown in the desk's history of the day."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import CLERK, log_in, open_counter, press

pytestmark = pytest.mark.browser


def test_a_scanned_dossier_code_goes_with_xong_and_into_the_history(page, office,
                                                                     output_dir):
    first, second = office.issue("TP"), office.issue("TP")
    log_in(page, *CLERK)
    open_counter(page, 2)
    expect(page.locator("#history-empty")).to_be_visible()
    press(page, "F1")
    expect(page.locator("#current-number")).to_have_text(first["number"])
    # A barcode scanner types the code and ends with Enter.
    page.locator("#dossier-code").click()
    page.keyboard.type("H47.23-241123-0001")
    page.keyboard.press("Enter")
    expect(page.locator("#current-number")).to_have_text("—")
    assert office.ticket(first["id"])["dossier_code"] == "H47.23-241123-0001"
    expect(page.locator("#dossier-code")).to_have_value("")     # used once

    press(page, "F1")
    expect(page.locator("#current-number")).to_have_text(second["number"])
    press(page, "F3")                                           # Xong without a code
    expect(page.locator("#current-number")).to_have_text("—")
    assert office.ticket(second["id"])["dossier_code"] is None

    rows = page.locator("#history-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(0)).to_have_text(second["number"])   # newest first
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("—")
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("H47.23-241123-0001")
    page.screenshot(path=str(output_dir / "console-dossier-history.png"), full_page=True)


def test_a_code_that_is_not_a_dossier_code_is_refused_plainly(page, office):
    ticket = office.issue("TP")
    log_in(page, *CLERK)
    open_counter(page, 2)
    press(page, "F1")
    page.fill("#dossier-code", "Hồ sơ số 1")                    # not plain letters
    press(page, "F3")
    expect(page.locator("#error-banner")).to_contain_text("mã hồ sơ")
    assert office.ticket(ticket["id"])["status"] == "called"    # nothing was lost
    expect(page.locator("#dossier-code")).to_have_value("Hồ sơ số 1")
