"""The announcement queue: chime then sentence × repeat, in call order, never overlapping."""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path

import pytest

from layso.assets import CHIME_WAV
from layso.counter_display.announcer import Announcement, Announcer, announcement_for
from layso.counter_display.audio import QtAudioPlayer, RecordingPlayer
from tests.display.conftest import SENTENCE, ToneVoice, called

NOW = dt.datetime(2026, 11, 23, 8, 30, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def at(seconds_ago: float) -> str:
    return (NOW - dt.timedelta(seconds=seconds_ago)).isoformat(timespec="seconds")


@pytest.fixture
def recorder():
    return RecordingPlayer()


@pytest.fixture
def voice():
    return ToneVoice()


@pytest.fixture
def announcer(voice, recorder):
    a = Announcer(voice, recorder, CHIME_WAV)
    yield a
    a.stop()


def say(number: str, counter: int, repeat: int = 2, recall: bool = False) -> Announcement:
    return Announcement(SENTENCE.format(number=number, counter=counter), repeat, number,
                        counter, recall)


def test_a_burst_of_five_calls_is_heard_in_call_order_each_once(announcer, voice, recorder):
    calls = [("1001", 1), ("1002", 2), ("3001", 3), ("3002", 4), ("5001", 5)]
    for number, counter in calls:
        announcer.submit(say(number, counter, repeat=2))
    assert announcer.wait_idle(10)
    heard = voice.heard(recorder.played, CHIME_WAV)
    expected = []
    for number, counter in calls:
        sentence = SENTENCE.format(number=number, counter=counter)
        expected += ["CHIME", sentence, sentence]
    assert heard == expected
    for earlier, later in zip(recorder.played, recorder.played[1:]):
        assert later.started >= earlier.ended, "two sounds overlapped"


def test_a_recall_is_spoken_again(announcer, voice, recorder):
    announcer.submit(say("1001", 1, repeat=1))
    announcer.submit(say("1001", 1, repeat=1, recall=True))
    assert announcer.wait_idle(10)
    sentence = SENTENCE.format(number="1001", counter=1)
    assert voice.heard(recorder.played, CHIME_WAV) == ["CHIME", sentence, "CHIME", sentence]
    assert voice.calls == [sentence], "the same sentence is synthesised once and reused"


def test_chime_starts_at_once_even_while_the_voice_is_slow(recorder):
    class SlowVoice(ToneVoice):
        def synthesize(self, sentence: str, out_wav: Path) -> Path:
            time.sleep(0.3)
            return super().synthesize(sentence, out_wav)

    voice = SlowVoice()
    announcer = Announcer(voice, recorder, CHIME_WAV)
    try:
        submitted = time.monotonic()
        announcer.submit(say("2001", 6))
        first = recorder.wait_for(1, timeout=5)[0]
        assert first.wav == CHIME_WAV
        assert first.started - submitted < 0.1
        assert announcer.wait_idle(5)
        assert len(recorder.played) == 3
    finally:
        announcer.stop()


def test_a_voice_that_fails_leaves_the_chime_and_the_queue_moving(recorder, caplog):
    class BrokenOnce(ToneVoice):
        def synthesize(self, sentence: str, out_wav: Path) -> Path:
            if "1001" in sentence:
                raise RuntimeError("espeak died")
            return super().synthesize(sentence, out_wav)

    voice = BrokenOnce()
    announcer = Announcer(voice, recorder, CHIME_WAV)
    try:
        announcer.submit(say("1001", 1, repeat=1))
        announcer.submit(say("1002", 1, repeat=1))
        assert announcer.wait_idle(5)
        assert voice.heard(recorder.played, CHIME_WAV) == [
            "CHIME", "CHIME", SENTENCE.format(number="1002", counter=1)]
        assert "could not synthesise" in caplog.text
    finally:
        announcer.stop()


def test_no_sound_device_is_a_warning_and_the_queue_still_advances(qtbot, voice, caplog):
    caplog.set_level(logging.WARNING)
    recorder = RecordingPlayer(inner=QtAudioPlayer())   # this machine has no sound card
    announcer = Announcer(voice, recorder, CHIME_WAV)
    try:
        for number in ("1001", "1002", "1003"):
            announcer.submit(say(number, 2, repeat=1))
        assert announcer.wait_idle(15)
        assert len(recorder.played) == 6
        assert "no sound device" in caplog.text
    finally:
        announcer.stop()


# -- which calls are spoken ----------------------------------------------------------------

def test_live_calls_are_spoken_whatever_their_timestamp():
    data = called(1, "1005", 3, called_at=at(3600))
    a = announcement_for(data, replayed=False, server_now=NOW, repeat=2)
    assert a is not None and a.sentence == data["announcement"] and a.repeat == 2


def test_a_replayed_call_older_than_a_minute_is_not_spoken():
    old = called(1, "1005", 3, called_at=at(61))
    fresh = called(2, "1006", 3, called_at=at(20))
    assert announcement_for(old, replayed=True, server_now=NOW, repeat=2) is None
    assert announcement_for(fresh, replayed=True, server_now=NOW, repeat=2) is not None


def test_a_replayed_recall_uses_the_event_time_when_the_server_gives_one():
    recall = called(1, "1005", 3, recall=True, called_at=at(600))
    assert announcement_for(recall, replayed=True, server_now=NOW, repeat=1) is None
    recall["at"] = at(5)
    assert announcement_for(recall, replayed=True, server_now=NOW, repeat=1) is not None


def test_a_desk_screen_speaks_only_its_own_counter():
    assert announcement_for(called(1, "1005", 3), replayed=False, server_now=NOW, repeat=1,
                            only_counter=4) is None
    assert announcement_for(called(1, "1005", 4), replayed=False, server_now=NOW, repeat=1,
                            only_counter=4) is not None


def test_a_call_without_a_sentence_stays_silent():
    data = called(1, "1005", 3)
    data["announcement"] = ""
    assert announcement_for(data, replayed=False, server_now=NOW, repeat=2) is None


def test_the_real_tts_voice_speaks_the_servers_sentence_through_the_queue(recorder):
    import wave

    from layso.counter_display.app import make_display_voice

    voice = make_display_voice("tts")
    assert voice is not None, "espeak-ng's Vietnamese voice should be installed here"
    announcer = Announcer(voice, recorder, CHIME_WAV)
    try:
        announcer.submit(say("1005", 3, repeat=2))
        assert announcer.wait_idle(30)
        chime, first, second = recorder.played
        assert chime.wav == CHIME_WAV and first.wav == second.wav
        with wave.open(str(first.wav)) as w:
            seconds = w.getnframes() / w.getframerate()
            samples = w.readframes(w.getnframes())
        assert 1.5 < seconds < 15, seconds
        assert max(samples) > 0 and len(set(samples)) > 100, "not silence"
    finally:
        announcer.stop()
