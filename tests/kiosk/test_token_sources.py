"""The device token need not be on the command line, where `ps` shows it to everyone:
--token, then --token-file, then $LAYSO_TOKEN, then the saved settings. A token file as
editors write it (trailing newline) works; a file that cannot be used is one clear line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from layso.common.device_token import ENV, TokenSourceError, given_token
from layso.kiosk.app import make_app
from layso.kiosk.settings import KioskSettings, load_settings
from layso.kiosk.ui.technician import SettingsPanel
from tests.support.device_process import DeviceProcess
from tests.support.live_server import REPO


@pytest.fixture
def token_file(tmp_path):
    path = tmp_path / "kiosk.token"
    path.write_text("file-token-0123456789abcdef\n", encoding="utf-8")
    return path


def test_the_first_source_given_wins(token_file):
    env = {ENV: "env-token-0123456789"}
    assert given_token("flag-token", str(token_file), env).token == "flag-token"
    assert given_token("flag-token", None, env).from_flag
    chosen = given_token(None, str(token_file), env)
    assert (chosen.token, chosen.source) == ("file-token-0123456789abcdef", "--token-file")
    assert not chosen.from_flag
    assert given_token(None, None, env).token == "env-token-0123456789"
    assert given_token(None, None, {}) is None                      # the saved one, then
    assert given_token(None, None, {ENV: "  "}) is None              # empty counts as unset


@pytest.mark.parametrize("content", ["tok-0123456789abcdef", "tok-0123456789abcdef\n",
                                     "tok-0123456789abcdef\r\n", "\ufefftok-0123456789abcdef\n",
                                     "  tok-0123456789abcdef  \n\n"])
def test_a_token_file_as_editors_write_it_works(tmp_path, content):
    path = tmp_path / "t"
    path.write_bytes(content.encode("utf-8"))
    assert given_token(None, str(path), {}).token == "tok-0123456789abcdef"


@pytest.mark.parametrize(("make", "words"), [
    (lambda p: None, "No such file"),
    (lambda p: p.write_text("\n \n", encoding="utf-8"), "trống (the device token file"),
    (lambda p: p.write_text("one\ntwo\n", encoding="utf-8"), "đúng một mã"),
    (lambda p: p.mkdir(), "directory"),
    (lambda p: p.write_bytes(b"\xff\xfe\x00bad"), "không đọc được"),
])
def test_a_token_file_that_cannot_be_used_is_refused_naming_it(tmp_path, make, words):
    path = tmp_path / "kiosk.token"
    make(path)
    with pytest.raises(TokenSourceError) as refused:
        given_token(None, str(path), {})
    message = str(refused.value)
    assert str(path) in message and words in message and "\n" not in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_token_file_stops_layso_kiosk_with_one_line(tmp_path, token_file):
    token_file.chmod(0)
    done = subprocess.run([sys.executable, "-m", "layso.cli", "kiosk", "--windowed",
                           "--token-file", str(token_file), "--settings",
                           str(tmp_path / "kiosk.json")],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"layso kiosk: không đọc được tệp mã thiết bị {token_file}")
    assert "Permission denied" in lines[0]


def test_an_empty_token_file_stops_layso_kiosk_and_layso_display(tmp_path):
    empty = tmp_path / "empty.token"
    empty.write_text("\n", encoding="utf-8")
    for command in ("kiosk", "display"):
        done = subprocess.run([sys.executable, "-m", "layso.cli", command, "--windowed",
                               "--token-file", str(empty), "--settings",
                               str(tmp_path / f"{command}.json")],
                              capture_output=True, text=True, cwd=REPO, timeout=60)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip() == (f"layso {command}: tệp mã thiết bị {empty} trống "
                                       f"(the device token file {empty} is empty)")


def test_layso_kiosk_reads_its_token_from_a_file_and_never_saves_it(
        tmp_path, live_server):
    token = tmp_path / "kiosk.token"
    token.write_text(live_server.kiosk_token + "\n", encoding="utf-8")
    settings = tmp_path / "kiosk.json"
    kiosk = DeviceProcess("kiosk", "--windowed", "--server", live_server.url,
                          "--token-file", str(token), "--printer", "", "--settings",
                          str(settings))
    try:
        kiosk.wait_for(f"connected to {live_server.api}")
        assert kiosk.alive()
    finally:
        kiosk.stop()
    saved = json.loads(settings.read_text(encoding="utf-8"))   # --server was saved...
    assert saved["server_url"] == live_server.url
    assert saved["token"] == ""                                # ...the file's token was not


def test_layso_kiosk_with_a_wrong_token_in_the_environment_logs_the_refusal(
        tmp_path, live_server):
    kiosk = DeviceProcess("kiosk", "--windowed", "--server", live_server.url, "--printer", "",
                          "--settings", str(tmp_path / "kiosk.json"),
                          env={ENV: "not-a-token-this-server-made-0123"})
    try:
        line = kiosk.wait_for("refuses this kiosk's device token")
        assert "401" in line
    finally:
        kiosk.stop()


def test_a_token_from_a_file_is_never_written_by_later_saves(qtbot, tmp_path):
    path = tmp_path / "kiosk.json"
    KioskSettings(token="saved-token-0123456789", path=path).save()
    settings = load_settings(path)
    settings.use_token("file-token-0123456789")
    settings.set_pin("2580")
    settings.save()                       # the first start's PIN is saved...
    assert json.loads(path.read_text(encoding="utf-8"))["token"] == "saved-token-0123456789"
    assert settings.token == "file-token-0123456789"   # ...the run goes on with the file's

    make_app()
    panel = SettingsPanel()
    qtbot.addWidget(panel)
    saved: list[KioskSettings] = []
    panel.save_requested.connect(saved.append)
    panel.load(settings, None)
    panel.printer.setText("tcp://192.168.1.50:9100")   # the technician changes the printer
    panel.save.click()
    saved[-1].save()
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert on_disk["printer_uri"] == "tcp://192.168.1.50:9100"
    assert on_disk["token"] == "saved-token-0123456789"
    panel.token.setText("typed-token-0123456789")     # a token typed on the page is saved
    panel.save.click()
    saved[-1].save()
    assert json.loads(path.read_text(encoding="utf-8"))["token"] == "typed-token-0123456789"
