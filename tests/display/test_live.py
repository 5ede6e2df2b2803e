"""The display against a real `layso server`: a clerk calls, the hall shows and speaks it;
the server goes away and comes back, the hall says so and catches up."""

from __future__ import annotations

import pytest
import requests

from layso.assets import CHIME_WAV
from layso.counter_display.app import Display, build_display
from layso.counter_display.audio import RecordingPlayer
from layso.counter_display.settings import DisplaySettings
from tests.display.conftest import ToneVoice


class Office:
    """The clerk's and the kiosk's side of the live server, over HTTP."""

    def __init__(self, server) -> None:
        self.server = server
        self.kiosk = server.headers(server.kiosk_token)
        self.clerk = server.headers(server.login("canbo1", "canbo-pass-123"))
        services = requests.get(server.api + "/services", headers=self.kiosk, timeout=10).json()
        self.service_ids = {s["code"]: s["id"] for s in services}
        counters = requests.get(server.api + "/counters", headers=self.kiosk, timeout=10).json()
        self.counter_ids = {c["number"]: c["id"] for c in counters}

    def issue(self, code: str) -> dict:
        r = requests.post(self.server.api + "/tickets", headers=self.kiosk, timeout=10,
                          json={"service_id": self.service_ids[code], "priority": None})
        assert r.status_code == 201, r.text
        return r.json()

    def call_next(self, counter_number: int) -> dict:
        r = requests.post(f"{self.server.api}/counters/{self.counter_ids[counter_number]}"
                          "/call-next", headers=self.clerk, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()["ticket"]

    def recall(self, counter_number: int) -> None:
        r = requests.post(f"{self.server.api}/counters/{self.counter_ids[counter_number]}"
                          "/recall", headers=self.clerk, timeout=10)
        assert r.status_code == 200, r.text


@pytest.fixture
def office(live_server) -> Office:
    return Office(live_server)


@pytest.fixture
def hall(qtbot, display_font, live_server):
    voice, player = ToneVoice(), RecordingPlayer()
    settings = DisplaySettings(server=live_server.url, token=live_server.display_token,
                               windowed=True, highlight_seconds=2)
    display = build_display(settings, voice=voice, player=player)
    qtbot.addWidget(display.screen)
    display.start()
    qtbot.waitUntil(lambda: display.state.connected, timeout=10000)
    display.voice, display.player = voice, player
    yield display
    display.stop()


def heard(display: Display) -> list[str]:
    return display.voice.heard(display.player.played, CHIME_WAV)


def test_call_next_appears_on_the_hall_and_is_announced(hall, office, qtbot):
    assert hall.state.office_name == "UBND phường Sài Gòn"
    assert [c.number for c in hall.state.counters_in_order()] == [1, 2, 3, 4, 5, 6]
    ticket = office.issue("DD")
    qtbot.waitUntil(lambda: hall.state.waiting[office.service_ids["DD"]] == 1, timeout=5000)
    called = office.call_next(3)
    assert called["number"] == ticket["number"]
    qtbot.waitUntil(lambda: hall.screen.latest_number.text() == ticket["number"], timeout=5000)
    assert hall.screen.latest_counter.text() == "→ Quầy 3"
    assert hall.screen.counter_rows[office.counter_ids[3]][1].text() == ticket["number"]
    assert hall.state.waiting[office.service_ids["DD"]] == 0
    assert hall.announcer.wait_idle(10)
    sentences = [h for h in heard(hall) if h != "CHIME"]
    assert heard(hall)[0] == "CHIME" and len(sentences) == hall.state.announce_repeat
    assert "quầy số ba" in sentences[0], "the server's sentence is spoken as given"


def test_a_burst_of_five_calls_is_heard_in_order_then_a_recall_again(hall, office, qtbot):
    for code in ("TP", "TP", "CT", "DD", "LD"):
        office.issue(code)
    numbers = [office.call_next(counter)["number"] for counter in (1, 2, 6, 4, 5)]
    qtbot.waitUntil(lambda: hall.screen.latest_number.text() == numbers[-1], timeout=5000)
    assert hall.announcer.wait_idle(20)
    repeat = hall.state.announce_repeat
    sentences = [h for h in heard(hall) if h != "CHIME"]
    assert heard(hall).count("CHIME") == 5 and len(sentences) == 5 * repeat
    spoken_once = sentences[::repeat]
    assert len(set(spoken_once)) == 5
    assert sorted(hall.voice.calls) == sorted(spoken_once), "each call synthesised once"
    # call order: each sentence names the counter that called, in the order they called
    counters_in_words = ["một", "hai", "sáu", "bốn", "năm"]
    assert [s.rsplit("quầy số ", 1)[1] for s in spoken_once] == counters_in_words

    office.recall(2)
    qtbot.waitUntil(lambda: heard(hall).count("CHIME") == 6, timeout=5000)
    assert hall.announcer.wait_idle(10)
    assert heard(hall)[-1] == spoken_once[1], "the recall speaks counter 2's call again"


def test_server_gone_shows_the_mark_and_back_takes_a_snapshot(hall, office, live_server,
                                                             qtbot, output_dir):
    office.issue("TP")
    first = office.call_next(1)["number"]
    qtbot.waitUntil(lambda: hall.screen.latest_number.text() == first, timeout=5000)
    assert not hall.screen.mark.isVisible()
    snapshots = hall.controller.snapshots_applied

    live_server.kill()
    qtbot.waitUntil(lambda: hall.screen.mark.isVisible(), timeout=10000)
    assert hall.screen.latest_number.text() == first, "the last picture stays up"
    hall.screen.grab().save(str(output_dir / "display-hall-server-gone.png"))

    live_server.start()
    office = Office(live_server)
    office.issue("TP")
    second = office.call_next(2)["number"]
    qtbot.waitUntil(lambda: hall.state.connected, timeout=20000)
    qtbot.waitUntil(lambda: hall.screen.latest_number.text() == second, timeout=5000)
    assert not hall.screen.mark.isVisible()
    assert hall.controller.snapshots_applied > snapshots
    assert hall.screen.counter_rows[office.counter_ids[1]][1].text() == first
    assert hall.screen.counter_rows[office.counter_ids[2]][1].text() == second
    # the snapshot may show it before the replayed event arrives: wait for the voice
    qtbot.waitUntil(lambda: any("quầy số hai" in h for h in heard(hall)), timeout=5000)
    assert hall.announcer.wait_idle(10)
    assert sum("quầy số hai" in h for h in heard(hall)) == hall.state.announce_repeat, \
        "a call missed seconds ago is spoken, once"
