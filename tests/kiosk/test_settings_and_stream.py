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



@pytest.mark.parametrize("content, words", [
    ({"server_url": 5}, ["'server_url'", "chuỗi văn bản", "must be text", "not 5"]),
    ({"server_url": "192.168.1.10:8080"}, ["'server_url'", "http://", '"192.168.1.10:8080"']),
    ({"token": None}, ["'token'", "not null"]),
    ({"printer_uri": ["tcp://x"]}, ["'printer_uri'", "must be text"]),
    ({"paper_width": "576"}, ["'paper_width'", "số nguyên", "whole number"]),
    ({"paper_width": True}, ["'paper_width'", "not true"]),
    ({"pin_hash": 1234}, ["'pin_hash'"]),
])
def test_a_value_of_the_wrong_kind_is_refused_naming_the_key(tmp_path, content, words):
    path = tmp_path / "kiosk.json"
    path.write_text(json.dumps({"token": "t" * 20, **content}))
    with pytest.raises(SettingsError) as err:
        load_settings(path)
    message = str(err.value)
    assert str(path) in message
    for word in words:
        assert word in message, (word, message)


def test_layso_kiosk_refuses_a_bad_server_flag_before_saving_it(tmp_path, capsys):
    from layso.cli import build_parser

    path = tmp_path / "kiosk.json"
    path.write_text(json.dumps({"server_url": "http://10.0.0.5:8080", "token": "t" * 20}))
    args = build_parser().parse_args(["kiosk", "--server", "10.0.0.6", "--settings", str(path)])
    assert args.func(args) == 2
    assert "'server_url'" in capsys.readouterr().err
    assert json.loads(path.read_text())["server_url"] == "http://10.0.0.5:8080", "not saved"


def test_the_technician_page_refuses_a_server_without_http(qtbot, make_kiosk):
    from PySide6.QtCore import Qt

    kiosk = make_kiosk()
    kiosk._show_settings()
    panel = kiosk.window.settings_panel
    panel.server.setText("192.168.1.10:8080")
    qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
    assert "'server_url'" in panel.status.text() and "http://" in panel.status.text()
    assert kiosk.settings.server_url == "http://127.0.0.1:9", "the old address stays"
    assert not (kiosk.settings.path and kiosk.settings.path.exists()), "nothing was saved"
