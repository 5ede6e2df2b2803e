"""The power goes off in the middle of a morning: nothing a kiosk was promised is lost.

SIGKILL the server while tickets are being issued, start it again: every ticket the
kiosk got a 201 for is there, numbering continues without a gap, and a display that
reconnects with Last-Event-ID receives exactly the events it missed.
"""

from __future__ import annotations

import threading
import time

import requests

from tests.support.live_server import LiveServer
from tests.support.sse import SseReader


def test_sigkill_mid_issue_loses_nothing_promised(tmp_path, test_config):
    server = LiveServer(test_config, tmp_path / "data").start()
    kiosk = server.headers(server.kiosk_token)
    tp = next(s["id"] for s in requests.get(server.api + "/services", headers=kiosk,
                                            timeout=10).json() if s["code"] == "TP")
    snapshot = requests.get(server.api + "/display", headers=kiosk, timeout=10).json()
    display = SseReader(server.api + "/events", server.display_token,
                        last_event_id=snapshot["last_event_id"]).start()

    promised: list[dict] = []
    stop = threading.Event()

    def issue_until_the_lights_go_out() -> None:
        session = requests.Session()
        while not stop.is_set():
            try:
                r = session.post(server.api + "/tickets", json={"service_id": tp},
                                 headers=kiosk, timeout=5)
            except requests.RequestException:
                return
            if r.status_code == 201:
                promised.append(r.json())

    kiosks = [threading.Thread(target=issue_until_the_lights_go_out) for _ in range(3)]
    for t in kiosks:
        t.start()
    deadline = time.monotonic() + 30
    while len(promised) < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()
    stop.set()
    for t in kiosks:
        t.join(10)
    display.close()
    assert len(promised) >= 60
    seen_before = [e.id for e in display.events]
    last_seen = seen_before[-1]

    server.start()
    try:
        for ticket in promised:
            r = requests.get(f"{server.api}/tickets/{ticket['id']}", headers=kiosk, timeout=10)
            assert r.status_code == 200
            assert r.json()["number"] == ticket["number"]

        stored = requests.get(server.api + "/tickets", params={"service_id": tp},
                              headers=kiosk, timeout=10).json()
        after = requests.post(server.api + "/tickets", json={"service_id": tp},
                              headers=kiosk, timeout=10).json()
        numbers = sorted(int(t["number"]) for t in stored) + [int(after["number"])]
        assert numbers == list(range(1001, 1001 + len(numbers)))

        # The display comes back and asks for what it missed.
        replay = SseReader(server.api + "/events", server.display_token,
                           last_event_id=last_seen).start()
        stored_ids = {t["id"] for t in stored} | {after["id"]}
        seen_ticket_ids = {e.data["ticket"]["id"] for e in display.events
                           if e.type == "ticket.issued"}
        missed = stored_ids - seen_ticket_ids
        assert replay.wait_for(lambda evs: {e.data["ticket"]["id"] for e in evs
                                            if e.type == "ticket.issued"} >= missed, 15)
        replay.close()
        replayed = [e for e in replay.events if e.type == "ticket.issued"]
        ids = [e.id for e in replay.events]
        assert ids == sorted(set(ids)) and ids[0] > last_seen       # in order, once each
        assert {e.data["ticket"]["id"] for e in replayed} == missed
    finally:
        server.stop()
