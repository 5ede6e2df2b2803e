"""`layso display` takes its token from --token-file or $LAYSO_TOKEN as well as --token
(the order and the file rules are tested in tests/kiosk/test_token_sources.py): real starts
against a real server, Qt offscreen."""

from __future__ import annotations

import json

from layso.common.device_token import ENV
from tests.support.device_process import DeviceProcess


def test_layso_display_follows_the_server_with_the_token_of_the_environment(
        tmp_path, live_server):
    settings = tmp_path / "display.json"
    display = DeviceProcess("display", "--windowed", "--voice", "none", "--server",
                            live_server.url, "--settings", str(settings), "--save",
                            env={ENV: live_server.display_token})
    try:
        display.wait_for(f"following {live_server.api}")
        assert display.alive()
    finally:
        display.stop()
    saved = json.loads(settings.read_text(encoding="utf-8"))
    assert saved["server"] == live_server.url and saved["token"] == "", \
        "--save keeps the flags, never a token from the environment"


def test_layso_display_with_a_wrong_token_in_its_file_logs_the_refusal(tmp_path, live_server):
    token = tmp_path / "tv.token"
    token.write_text("not-a-token-this-server-made-0123\n", encoding="utf-8")
    display = DeviceProcess("display", "--windowed", "--voice", "none", "--server",
                            live_server.url, "--token-file", str(token),
                            "--settings", str(tmp_path / "display.json"),
                            env={ENV: live_server.display_token})   # the file comes first
    try:
        assert "401" in display.wait_for("refuses this display's device token")
        assert display.alive(), "it keeps running, showing why, and keeps asking"
    finally:
        display.stop()
