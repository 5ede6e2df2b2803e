"""`layso server` says where it listens: its own INFO lines are not swallowed by a library
that configured logging on import (python-escpos calls logging.basicConfig())."""

from __future__ import annotations

from tests.support.live_server import LiveServer


def test_layso_server_prints_the_address_it_serves_on(tmp_path, test_config):
    server = LiveServer(test_config, tmp_path / "data")
    server.start()
    try:
        log = server.log_path.read_text(encoding="utf-8")
    finally:
        server.stop()
    serving = [line for line in log.splitlines() if "(serving)" in line]
    assert len(serving) == 1, log
    assert f"LaySo đang chạy tại http://127.0.0.1:{server.port} (serving)" in serving[0]
    assert " INFO " in serving[0]
    assert "setup plugin" not in log  # alembic's chatter stays out of the technician's way
