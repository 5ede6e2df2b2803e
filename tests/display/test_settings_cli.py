"""Saved display settings and `layso display` flags over them."""

from __future__ import annotations

from layso.cli import build_parser
from layso.counter_display.settings import DisplaySettings, load_settings, save_settings


def test_flags_override_saved_settings(tmp_path):
    path = tmp_path / "display.json"
    save_settings(DisplaySettings(server="http://10.0.0.5:8080", token="tv-token", counter=3,
                                  windowed=True), path)
    saved = load_settings(path)
    assert (saved.server, saved.token, saved.counter) == ("http://10.0.0.5:8080", "tv-token", 3)
    assert not saved.windowed, "windowed is for testing, never remembered"
    merged = saved.overridden(server=None, token="new-token", counter=None, voice="tts")
    assert (merged.server, merged.token, merged.counter, merged.voice) == (
        "http://10.0.0.5:8080", "new-token", 3, "tts")


def test_hall_speaks_by_default_desk_screen_does_not():
    assert DisplaySettings().voice_spec == "tts"
    assert DisplaySettings(counter=2).voice_spec is None
    assert DisplaySettings(counter=2, voice="tts:vi-vn-x-south").voice_spec == "tts:vi-vn-x-south"
    assert DisplaySettings(voice="none").voice_spec is None


def test_a_broken_settings_file_falls_back_to_defaults(tmp_path):
    path = tmp_path / "display.json"
    path.write_text("{not json", encoding="utf-8")
    assert load_settings(path) == DisplaySettings()
    assert load_settings(tmp_path / "missing.json") == DisplaySettings()


def test_layso_display_parses_its_flags_and_saves_with_save(tmp_path, capsys):
    path = tmp_path / "display.json"
    parser = build_parser()
    args = parser.parse_args(["display", "--server", "http://h:8080", "--counter", "2",
                              "--voice", "none", "--windowed", "--settings", str(path), "--save"])
    assert (args.server, args.counter, args.voice, args.windowed) == ("http://h:8080", 2,
                                                                      "none", True)
    assert args.func(args) == 2, "no token: refuses with a message instead of a blank screen"
    assert "no device token" in capsys.readouterr().err
    assert load_settings(path).server == "http://h:8080"
