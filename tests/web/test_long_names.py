"""Names of 200 letters without a space, and a right-to-left mark inside a name, in real
Chromium at 1366 px: the console and the admin pages never scroll sideways, and the text
beside such a name still reads left to right."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.live_server import write_test_config
from tests.web.conftest import ADMIN, log_in

pytestmark = pytest.mark.browser

RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: turns around all that follows, unless isolated
OFFICE = ("UBNDxãThịnhLongHảiHậuNamĐịnh" * 10)[:200]
TP = RLO + ("Tưpháp–Hộtịch–Chứngthựcbảnsao" * 10)[:199]
CT = ("Chứngthựcchữkýhợpđồnggiaodịch" * 10)[:200]
COUNTER = ("Quầytiếpnhậnvàtrảkếtquảsốhai" * 5)[:100]
KIOSK = RLO + ("kiosksảnhtầngmột" * 10)[:99]
CATEGORY = ("Ngườicaotuổitừ75tuổitrởlên" * 10)[:200]
CLERK_NAME = ("Nguyễn" + RLO + "ThịMinhKhai" * 30)[:200]
CLERK = ("dai", "dai-pass-123456")

# Every character of `text` inside the first `selector` holding it, with its line (top)
# and left and right edges.
CHAR_BOXES = """([selector, text]) => {
  const root = [...document.querySelectorAll(selector)].find((e) => e.textContent.includes(text));
  if (!root) return null;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const chars = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) chars.push([node, i]);
  }
  const whole = chars.map(([node, i]) => node.data[i]).join("");
  const start = whole.indexOf(text);
  if (start < 0) return null;
  return chars.slice(start, start + text.length).map(([node, i]) => {
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const box = range.getBoundingClientRect();
    return [Math.round(box.top), box.left, box.right];
  }).filter((box) => box[2] > box[1]);
}"""


def reads_left_to_right(page, selector: str, text: str) -> bool:
    """Whether `text` inside `selector` is drawn in its own order: along each line, each
    character stands right of the one before, and each line below the one before."""
    boxes = page.evaluate(CHAR_BOXES, [selector, text])
    assert boxes, f"{text!r} not found in {selector}"
    for (top_a, left_a, _), (top_b, left_b, _) in zip(boxes, boxes[1:]):
        if top_b < top_a - 2 or (abs(top_b - top_a) <= 2 and left_b < left_a):
            return False
    return True


def no_sideways_scroll(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"


@pytest.fixture
def test_config(tmp_path):
    path = write_test_config(tmp_path / "layso.toml")
    text = path.read_text(encoding="utf-8")
    for old, new in (('name = "UBND phường Sài Gòn"', f'name = "{OFFICE}"'),
                     ('name = "Tư pháp – Hộ tịch"', f'name = "{TP}"'),
                     ('name = "Chứng thực"', f'name = "{CT}"'),
                     ('name = "Quầy 2"', f'name = "{COUNTER}"'),
                     ('name = "kiosk-sanh"', f'name = "{KIOSK}"'),
                     ('name = "Người cao tuổi (từ 75 tuổi)"', f'name = "{CATEGORY}"')):
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def long_clerk(live_server):
    r = live_server.cli("user", "add", CLERK[0], "--role", "clerk", "--full-name", CLERK_NAME,
                        stdin=CLERK[1] + "\n")
    assert r.returncode == 0, r.stdout + r.stderr
    return CLERK


def test_the_console_with_long_names_fits_1366_px_and_keeps_its_order(
        page, office, long_clerk, output_dir):
    for _ in range(3):
        office.issue("TP")
    office.issue("CT", priority="NCT")
    office.issue("CT")
    office.report("paper_out", "")
    log_in(page, *long_clerk)
    expect(page.locator(".counter-choice")).to_have_count(6)
    no_sideways_scroll(page)
    page.screenshot(path=str(output_dir / "console-long-names-chooser.png"), full_page=True)

    page.locator(".counter-choice").nth(1).click()  # the counter with the long name
    expect(page.locator("#counter-name")).to_have_text(COUNTER)
    expect(page.locator("#waiting-table tbody tr")).to_have_count(5)
    page.keyboard.press("F1")  # the priority ticket first: its long category shows
    expect(page.locator("#current-priority")).to_have_text(CATEGORY)
    expect(page.locator("#waiting-table tbody tr")).to_have_count(4)
    expect(page.locator("#device-banners .banner")).to_have_count(1)
    no_sideways_scroll(page)
    page.screenshot(path=str(output_dir / "console-long-names-desk.png"), full_page=True)

    # The field after the one with the override mark still reads left to right.
    assert reads_left_to_right(page, "#counter-services", CT[:60])
    # The kiosk's name has the mark: the role before it and the message after it do not turn.
    assert reads_left_to_right(page, "#device-banners .banner", "Máy lấy số")
    assert reads_left_to_right(page, "#device-banners .banner", ": Máy in hết giấy")
    # And the clerk's own name in the top bar leaves the role beside it alone.
    assert reads_left_to_right(page, ".who", " · Cán bộ, công chức")

    page.keyboard.press("F6")
    expect(page.locator("#transfer-dialog")).to_be_visible()
    box = page.locator("#transfer-dialog").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1366, box
    no_sideways_scroll(page)
    page.screenshot(path=str(output_dir / "console-long-names-transfer.png"))


@pytest.mark.parametrize("section", ["services", "counters", "users", "devices", "settings",
                                     "audit"])
def test_admin_pages_with_long_names_fit_1366_px(page, office, long_clerk, live_server,
                                                 output_dir, section):
    office.report("printer_error", "")
    log_in(page, *ADMIN, path="/admin/services")
    if section == "audit":  # a change that names a long field, in the log
        form = page.locator("#add-service")
        form.locator("input[name=code]").fill("QS")
        form.locator("input[name=name]").fill(CT[:-2] + "QS")
        form.locator("input[name=prefix]").fill("9")
        form.get_by_role("button", name="Thêm").click()
        expect(page.locator(".msg.ok")).to_be_visible()
    page.goto(f"/admin/{section}")
    expect(page.locator(".admin-nav a.here")).to_have_attribute("href", f"/admin/{section}")
    no_sideways_scroll(page)
    page.screenshot(path=str(output_dir / f"admin-long-names-{section}.png"), full_page=True)
    if section == "devices":
        row = page.locator("#devices tbody tr", has_text="kiosk")
        expect(row).to_contain_text("Máy in báo lỗi")
        assert reads_left_to_right(page, "#devices tbody tr", "Máy lấy số")
