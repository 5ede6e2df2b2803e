"""Every status a kiosk or display reports reads as Vietnamese words, never as a code."""

from __future__ import annotations

import re

import pytest

from layso.common.types import DEVICE_STATUSES
from layso.server.web.texts import DEVICE_STATUS
from tests.support.live_server import KIOSK_TOKEN
from tests.web.test_pages import ADMIN, csrf_of
from tests.web.test_pages import app as app  # the fixture: an app with one admin


def test_every_device_status_has_its_vietnamese_words():
    missing = [code for code in DEVICE_STATUSES if code not in DEVICE_STATUS]
    assert missing == []
    for code in DEVICE_STATUSES:
        words = DEVICE_STATUS[code]
        assert words and words != code and not re.fullmatch(r"[a-z_]+", words)


def test_every_code_the_kiosk_printer_reports_is_a_known_device_status():
    from layso.ticket_printer.messages import PRINTER_MESSAGES

    # "unknown" means "this connection cannot tell"; the kiosk never reports it.
    reported = set(PRINTER_MESSAGES) - {"unknown"}
    assert reported <= set(DEVICE_STATUSES)


@pytest.mark.parametrize("code", DEVICE_STATUSES)
def test_each_reported_status_reads_in_vietnamese_on_the_admin_device_list(app, code):
    client = app.test_client()
    r = client.post("/api/v1/devices/me/status", json={"status": code, "message": ""},
                    headers={"Authorization": f"Bearer {KIOSK_TOKEN}"})
    assert r.status_code == 200, r.get_data(as_text=True)
    token = csrf_of(client, "/login")
    client.post("/login", data={"csrf": token, "username": ADMIN[0], "password": ADMIN[1]})
    html = client.get("/admin/devices").get_data(as_text=True)
    row = re.search(r'<tr data-name="kiosk-sanh".*?</tr>', html, re.S)
    assert row, "the kiosk is listed"
    assert DEVICE_STATUS[code] in row.group(0)
    assert f">{code}<" not in row.group(0)
