"""The head of office in real Chromium: logs in to the reports, sees today's figures and
charts, the office live, and nothing else."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from tests.web.conftest import CLERK, log_in

pytestmark = pytest.mark.browser

LEADER = ("lanhdao", "lanh-dao-pass-123")


@pytest.fixture
def leader(live_server):
    live_server.add_user(LEADER[0], "leader", LEADER[1])
    return LEADER


def serve_some(live_server, office, n: int = 4) -> list[dict]:
    """n citizens of TP at counter 2: called and served, one of them a no-show."""
    clerk = live_server.headers(live_server.login(*CLERK))
    counter = office.counter(2)["id"]
    tickets = [office.issue("TP") for _ in range(n)]
    for i, ticket in enumerate(tickets):
        r = requests.post(f"{live_server.api}/counters/{counter}/call-next", headers=clerk,
                          timeout=10)
        assert r.json()["ticket"]["id"] == ticket["id"]
        outcome = "no-show" if i == 1 else "done"
        requests.post(f"{live_server.api}/tickets/{ticket['id']}/{outcome}", headers=clerk,
                      timeout=10).raise_for_status()
    return tickets


def test_the_leader_lands_on_the_reports_of_today(page, office, live_server, leader, output_dir):
    serve_some(live_server, office)
    office.issue("DD")                                  # still waiting
    log_in(page, *leader)
    assert page.url.endswith("/reports")
    expect(page.locator("h1")).to_contain_text("Báo cáo")
    cards = page.locator("#totals .card strong")
    expect(cards.nth(0)).to_have_text("5")              # issued
    expect(cards.nth(1)).to_have_text("3")              # served
    expect(cards.nth(2)).to_have_text("1")              # no-show
    tp = page.locator("#by-service tbody tr", has_text="Tư pháp – Hộ tịch")
    expect(tp.locator("td").nth(1)).to_have_text("4")
    expect(page.locator("#by-counter tbody tr").nth(1).locator("td").nth(2)).to_have_text("3")
    chart = page.locator("svg.chart").first
    expect(chart).to_be_visible()
    assert chart.locator("rect").count() >= 2           # issued and served bars, drawn here
    page.screenshot(path=str(output_dir / "reports-1366.png"), full_page=True)

    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    expect(page.locator("#totals")).to_be_visible()
    # the tables scroll inside their cards; the page itself does not go sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(output_dir / "reports-360.png"), full_page=True)

    page.set_viewport_size({"width": 1366, "height": 900})
    xlsx = page.request.get(page.locator("#download-xlsx").get_attribute("href"))
    assert xlsx.status == 200 and xlsx.body()[:2] == b"PK"
    page.click("text=Tuần")
    expect(page.locator("h1")).to_contain_text("–")     # a range of days


def test_the_leader_sees_the_office_live_and_nothing_else(page, office, live_server, leader,
                                                          output_dir):
    office.issue("TP")
    log_in(page, *leader)
    page.goto("/live")
    counters = page.locator("#counters tbody tr")
    expect(counters).to_have_count(6)
    expect(page.locator("#waiting-total")).to_have_text("1")
    clerk = live_server.headers(live_server.login(*CLERK))
    requests.post(f"{live_server.api}/counters/{office.counter(1)['id']}/call-next",
                  headers=clerk, timeout=10).raise_for_status()
    expect(page.locator("#counters tr[data-counter='1']")).to_contain_text("Đang phục vụ: 1001")
    expect(page.locator("#waiting-total")).to_have_text("0")
    page.screenshot(path=str(output_dir / "reports-live-1366.png"), full_page=True)

    page.goto("/")                                      # no desk: back to the reports
    assert page.url.endswith("/reports")
    response = page.goto("/admin/services")
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("Không được phép")
    token = live_server.headers(live_server.login(*leader))
    r = requests.post(f"{live_server.api}/counters/{office.counter(2)['id']}/call-next",
                      headers=token, timeout=10)
    assert (r.status_code, r.json()["error"]["code"]) == (403, "forbidden")
