"""`layso server` says where the clerks open the console and, on a first start, where the
first admin is made; a second server on the same SQLite file is refused in one line."""

from __future__ import annotations

import re
import socket
import subprocess
import sys

import requests

from layso.server import console_address
from tests.support.live_server import REPO, LiveServer, free_port


def log_since(server: LiveServer, offset: int) -> list[str]:
    return server.log_path.read_bytes()[offset:].decode("utf-8").splitlines()


def test_a_first_start_names_the_console_and_the_setup_page_a_later_one_only_the_console(
        tmp_path, test_config):
    server = LiveServer(test_config, tmp_path / "data").start()
    try:
        first = log_since(server, 0)
        console = f"Bàn làm việc của cán bộ (clerk console): {server.url}/"
        setup_url = f"{server.url}/setup"
        assert any(line.endswith(console) for line in first), first
        setup_lines = [line for line in first if "/setup" in line]
        assert len(setup_lines) == 1, first
        assert (f"Chưa có tài khoản quản trị: mở {setup_url} để tạo tài khoản quản trị đầu "
                f"tiên (no admin yet: open {setup_url} to create the first admin)") \
            in setup_lines[0]
        assert requests.get(setup_url, timeout=5).status_code == 200  # the printed URL works
        server.add_user("admin", "admin", "admin-pass-123")
    finally:
        server.stop()

    offset = server.log_path.stat().st_size
    server.start()
    try:
        later = log_since(server, offset)
        assert any(line.endswith(console) for line in later), later
        assert not [line for line in later if "/setup" in line], later
        assert requests.get(setup_url, timeout=5).status_code == 404
    finally:
        server.stop()


def test_a_second_server_on_the_same_sqlite_file_is_refused_in_one_line(tmp_path, test_config):
    first = LiveServer(test_config, tmp_path / "data").start()
    try:
        port = free_port()
        second = subprocess.run(
            [sys.executable, "-m", "layso.cli", "server", "--host", "127.0.0.1", "--port",
             str(port), "--config", str(test_config), "--data-dir", str(first.data_dir)],
            capture_output=True, text=True, timeout=60, cwd=REPO, check=False)
        assert second.returncode == 1
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in second.stderr, second.stderr
        assert re.search(rf"layso server 127\.0\.0\.1:{first.port} \(pid {first.proc.pid}, "
                         r"[^)]+\) is using this database: stop it first", lines[0]), lines[0]
        assert requests.get(first.api + "/health", timeout=5).status_code == 200
    finally:
        first.stop()


def test_listening_everywhere_names_this_machines_own_lan_addresses():
    urls = console_address.console_urls("0.0.0.0", 8080)
    for url in urls:
        ip = re.fullmatch(r"http://([\d.]+):8080/", url).group(1)
        assert not ip.startswith("127.")
        with socket.socket() as probe:  # an address of this machine: it can be bound
            probe.bind((ip, 0))
    assert console_address.console_urls("127.0.0.1", 8080) == ["http://127.0.0.1:8080/"]
    assert console_address.console_urls("::1", 8080) == ["http://[::1]:8080/"]


def test_without_a_readable_address_the_line_says_this_machines_address(monkeypatch):
    monkeypatch.setattr(console_address, "lan_addresses", lambda: [])
    lines = console_address.serving_lines("0.0.0.0", 8080, first_run=True)
    assert lines[0] == ("Bàn làm việc của cán bộ (clerk console): "
                        "http://<địa chỉ máy này>:8080/ (this machine's address)")
    assert "http://<địa chỉ máy này>:8080/setup" in lines[1]
