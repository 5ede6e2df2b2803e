"""A technician records a pack: prompts, clip names, play-back and redo, no microphone."""

import array
import json
import threading

import pytest

from layso.counter_display.voice import wavs
from layso.counter_display.voice.record import RecordingSession
from layso.counter_display.voice.tts import TtsVoice


class FakeMicrophone:
    """Hears the same recording every time: half a second of quiet, a word, quiet."""

    def __init__(self, recording: wavs.Pcm) -> None:
        self.recording = recording
        self.takes = 0

    def record_until(self, stop: threading.Event) -> wavs.Pcm:
        assert stop.wait(5), "the session never said stop"
        self.takes += 1
        return self.recording


@pytest.fixture
def spoken_muoi(tmp_path) -> wavs.Pcm:
    word = wavs.read_wav(TtsVoice().synthesize("mười", tmp_path / "muoi.wav"))
    quiet = wavs.silence(word.rate, 0.5)
    return wavs.Pcm(word.rate, quiet + word.samples + quiet)


def scripted(answers: list[str]):
    prompts = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return answers.pop(0)

    return ask, prompts


def test_record_play_back_redo_skip_and_quit(tmp_path, spoken_muoi):
    pack = tmp_path / "pack"
    played, told = [], []
    ask, prompts = scripted([
        "", "",    # mười: record, stop
        "p", "r",  # play it back, redo
        "", "",    # record, stop
        "",        # next
        "s",       # mươi: skip
        "q",       # mốt: quit
    ])
    microphone = FakeMicrophone(spoken_muoi)
    session = RecordingSession(pack, microphone, played.append, ask=ask, tell=told.append)

    assert session.run(["mười", "mươi", "mốt"]) == ["mười"]

    assert microphone.takes == 2
    assert played == [pack / "muwowif.wav"]
    assert sorted(p.name for p in pack.iterdir()) == ["manifest.json", "muwowif.wav"]
    assert json.loads((pack / "manifest.json").read_text("utf-8")) == {
        "clips": {"mười": "muwowif.wav"}
    }
    headers = [line.strip() for line in told if line.startswith("\n(")]
    assert headers == ["(1/3)  «mười»  → muwowif.wav", "(2/3)  «mươi»  → muwowi.wav",
                       "(3/3)  «mốt»  → moots.wav"]
    assert sum("saved muwowif.wav" in line for line in told) == 2
    assert len(prompts) == 9 and not [p for p in prompts if not p.strip()]


def test_the_saved_clip_is_the_word_without_the_quiet(tmp_path, spoken_muoi):
    ask, _ = scripted(["", "", "", "q"])
    RecordingSession(tmp_path, FakeMicrophone(spoken_muoi), None, ask=ask, tell=print).run(
        ["mười", "mươi"])
    clip = wavs.read_wav(tmp_path / "muwowif.wav")
    assert spoken_muoi.seconds - clip.seconds > 0.8
    assert clip.rms() > spoken_muoi.rms()
    raw = spoken_muoi.samples.tobytes()
    assert clip.samples.tobytes() in raw  # a cut of what was heard, not something else


def test_silence_is_not_saved_and_the_technician_is_told(tmp_path):
    quiet = wavs.Pcm(22050, array.array("h", bytes(2 * 22050)))
    told = []
    ask, _ = scripted(["", "", "s"])
    RecordingSession(tmp_path, FakeMicrophone(quiet), None, ask=ask, tell=told.append).run(["ba"])
    assert not (tmp_path / "ba.wav").exists()
    assert any("nothing heard" in line for line in told)


def test_play_back_without_speakers_is_explained(tmp_path, spoken_muoi):
    told = []
    ask, _ = scripted(["", "", "p", "", "q"])
    RecordingSession(tmp_path, FakeMicrophone(spoken_muoi), None, ask=ask, tell=told.append).run(
        ["mười", "ba"])
    assert any("no sound output" in line for line in told)
