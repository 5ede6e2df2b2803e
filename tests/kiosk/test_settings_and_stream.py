"""The kiosk's settings file."""

from __future__ import annotations

import json

import pytest

from layso.kiosk.settings import KioskSettings, SettingsError, load_settings


def test_a_fresh_kiosk_has_no_pin_until_the_technician_sets_one(tmp_path):
    settings = load_settings(tmp_path / "kiosk.json")
    assert not settings.has_pin and not settings.check_pin("0000")
    settings.set_pin("2580")
    settings.save()
    again = load_settings(tmp_path / "kiosk.json")
    assert again.check_pin("2580") and not again.check_pin("2581")
    assert "2580" not in (tmp_path / "kiosk.json").read_text()


def test_an_installer_may_write_a_plain_pin_which_is_hashed_on_start(tmp_path):
    path = tmp_path / "kiosk.json"
    path.write_text(json.dumps({"server_url": "http://10.0.0.5:8080", "token": "t" * 20,
                                "technician_pin": "135790"}))
    settings = load_settings(path)
    assert settings.check_pin("135790")
    stored = json.loads(path.read_text())
    assert "technician_pin" not in stored and stored["pin_hash"].startswith("pbkdf2_sha256$")


@pytest.mark.parametrize("content, words", [
    ({"paper_width": 500}, "paper_width"),
    ({"printer": "tcp://x"}, "'printer'"),
    ({"technician_pin": "12"}, "technician_pin"),
])
def test_a_bad_settings_file_names_the_file_and_the_key(tmp_path, content, words):
    path = tmp_path / "kiosk.json"
    path.write_text(json.dumps(content))
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    assert str(path) in str(err.value) and words in str(err.value)


def test_the_server_url_may_be_given_with_or_without_the_api_prefix():
    assert KioskSettings(server_url="http://h:8080/").api_base == "http://h:8080/api/v1"
    assert KioskSettings(server_url="http://h:8080/api/v1").api_base == "http://h:8080/api/v1"

