"""Credentials that end, end at once: their open event streams close within 2 s.

A real `layso server`: the admin revokes a kiosk, disables a clerk, changes a role, and a
clerk logs out, through the admin pages as in the office; each stream that credential
had open (Authorization header or ?token=, or the console's session cookie) ends, and
hears none of the events that follow.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field

import requests

ENDS_WITHIN_S = 2.0


@dataclass
class Stream:
    """One open GET /events, read in a thread until the server ends it."""

    url: str
    headers: dict = field(default_factory=dict)
    cookies: dict = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)
    ended_at: float | None = None
    error: Exception | None = None

    def open(self) -> Stream:
        self._open = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()
        assert self._open.wait(10), "the stream did not open"
        return self

    def _read(self) -> None:
        try:
            with requests.get(self.url, headers=self.headers, cookies=self.cookies,
                              stream=True, timeout=(5, 30)) as r:
                assert r.status_code == 200, r.text
                for line in r.iter_lines(decode_unicode=True):
                    if line.startswith("retry:"):
                        self._open.set()
                    elif line.startswith("id: "):
                        self.ids.append(int(line[4:]))
        except requests.RequestException as e:  # the server stopped under an open stream
            self.error = e
            return
        self.ended_at = time.monotonic()  # the server ended the stream in good order

    def ended_within(self, seconds: float) -> bool:
        self._thread.join(seconds)
        return self.ended_at is not None


def row_id(server, table: str, column: str, value: str) -> int:
    with sqlite3.connect(server.data_dir / "layso.db") as db:
        return db.execute(f"SELECT id FROM {table} WHERE {column} = ?", (value,)).fetchone()[0]


class Admin:
    """The office admin at the admin pages (a requests session through the login form)."""

    def __init__(self, server, username: str = "admin", password: str = "admin-pass-123"):
        self.base = server.url
        self.http = requests.Session()
        r = self.http.post(self.base + "/login", allow_redirects=False, timeout=10,
                           data={"csrf": self.csrf("/login"), "username": username,
                                 "password": password})
        assert r.status_code == 303, r.text

    def csrf(self, path: str) -> str:
        html = self.http.get(self.base + path, timeout=10).text
        return re.search(r'name="csrf" value="([^"]+)"', html).group(1)

    def post(self, path: str, **fields: str) -> float:
        """Submit a form; the moment the change was committed (the answer came back)."""
        r = self.http.post(self.base + path, data={"csrf": self.csrf("/admin/users"), **fields},
                           allow_redirects=False, timeout=10)
        assert r.status_code == 303, r.text
        return time.monotonic()


def issue(server) -> int:
    r = requests.post(server.api + "/tickets", json={"service_id": 1}, timeout=10,
                      headers=server.headers(server.kiosk_token))
    assert r.status_code == 201
    return r.json()["id"]


def test_a_revoked_kiosk_loses_both_its_streams_at_once(live_server):
    events = live_server.api + "/events"
    by_header = Stream(events, headers=live_server.headers(live_server.kiosk_token)).open()
    by_query = Stream(f"{events}?token={live_server.kiosk_token}").open()
    hall = Stream(events, headers=live_server.headers(live_server.display_token)).open()
    issue(live_server)
    time.sleep(0.3)
    assert by_header.ids and by_query.ids  # both were live

    kiosk_id = row_id(live_server, "devices", "name", "kiosk-sanh")
    revoked_at = Admin(live_server).post(f"/admin/devices/{kiosk_id}/revoke")
    heard = [len(by_header.ids), len(by_query.ids)]

    assert by_header.ended_within(ENDS_WITHIN_S) and by_query.ended_within(ENDS_WITHIN_S)
    assert by_header.ended_at - revoked_at < ENDS_WITHIN_S
    assert by_query.ended_at - revoked_at < ENDS_WITHIN_S
    r = requests.get(events, headers=live_server.headers(live_server.kiosk_token), timeout=10)
    assert r.status_code == 401
    # the hall display's stream is not the kiosk's: it stays and hears what follows
    clerk = live_server.headers(live_server.login("canbo1", "canbo-pass-123"))
    counter = requests.get(live_server.api + "/counters", headers=clerk, timeout=10).json()[0]
    requests.post(f"{live_server.api}/counters/{counter['id']}/call-next", headers=clerk,
                  timeout=10).raise_for_status()
    time.sleep(0.5)
    assert hall.ended_at is None and len(hall.ids) >= 2
    assert [len(by_header.ids), len(by_query.ids)] == heard  # nothing after the revocation


def test_disabling_changing_the_role_of_or_logging_out_a_clerk_ends_their_streams(live_server):
    live_server.add_user("canbo2", "clerk", "canbo-pass-456")
    live_server.add_user("canbo3", "clerk", "canbo-pass-789")
    events = live_server.api + "/events"
    admin = Admin(live_server)

    disabled = Stream(events, headers=live_server.headers(
        live_server.login("canbo1", "canbo-pass-123"))).open()
    at = admin.post(f"/admin/users/{row_id(live_server, 'users', 'username', 'canbo1')}/active")
    assert disabled.ended_within(ENDS_WITHIN_S) and disabled.ended_at - at < ENDS_WITHIN_S

    promoted = Stream(f"{events}?token={live_server.login('canbo2', 'canbo-pass-456')}").open()
    at = admin.post(f"/admin/users/{row_id(live_server, 'users', 'username', 'canbo2')}",
                    full_name="", role="leader")
    assert promoted.ended_within(ENDS_WITHIN_S) and promoted.ended_at - at < ENDS_WITHIN_S

    console = Admin(live_server, "canbo3", "canbo-pass-789")  # the console's cookie session
    cookie = Stream(events, cookies=console.http.cookies.get_dict()).open()
    r = console.http.post(live_server.url + "/logout", data={"csrf": console.csrf("/")},
                          allow_redirects=False, timeout=10)
    at = time.monotonic()
    assert r.status_code == 303
    assert cookie.ended_within(ENDS_WITHIN_S) and cookie.ended_at - at < ENDS_WITHIN_S

    issue(live_server)
    time.sleep(0.3)
    assert disabled.ids == promoted.ids == cookie.ids == []
