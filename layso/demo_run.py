"""What `layso demo` does: one office on this machine, ready to click through.

The first run writes a demo config (device tokens made here, never shipped) and two
users with random passwords into the data directory; later runs reuse them.

While it runs, the demo watches what it started: when one of them stops, one line on the
terminal says which and with what exit code. The kiosk and the display stay open if the
server dies — they show their outage notice and come back when a server answers again,
as they would in an office — and the demo ends once nothing it started is left running
(or at Ctrl+C, which stops them all).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import requests

from layso.common.device_token import ENV
from layso.server.config import BUNDLED_CONFIG
from layso.server.startup import check_address, check_writable_directory, database_url, step
from layso.server.storage.db import default_data_dir


def demo_dir(explicit: str | None) -> Path:
    path = Path(explicit) if explicit else default_data_dir() / "demo"
    with step("data_dir", path):
        path.mkdir(parents=True, exist_ok=True)
    check_writable_directory(path)
    return path


def write_demo_config(folder: Path) -> tuple[Path, dict]:
    """The bundled office, open all day, with a kiosk and a display token of its own."""
    secrets_file = folder / "demo-secrets.json"
    config = folder / "demo.toml"
    if secrets_file.exists() and config.exists():
        return config, json.loads(secrets_file.read_text(encoding="utf-8"))
    found = {"kiosk_token": secrets.token_urlsafe(24), "display_token": secrets.token_urlsafe(24),
             "admin_password": secrets.token_urlsafe(9), "clerk_password": secrets.token_urlsafe(9)}
    text = BUNDLED_CONFIG.read_text(encoding="utf-8")
    text = text.replace('opening = "07:30"', 'opening = "00:00"')
    text = text.replace('closing = "17:00"', 'closing = "23:59"')
    text = text.replace('cutoff = "16:30"', "")
    text += f"""
[[devices]]
name = "kiosk-demo"
role = "kiosk"
token = "{found['kiosk_token']}"

[[devices]]
name = "tv-demo"
role = "display"
token = "{found['display_token']}"
"""
    config.write_text(text, encoding="utf-8")
    secrets_file.write_text(json.dumps(found, indent=2), encoding="utf-8")
    os.chmod(secrets_file, 0o600)
    return config, found


def layso(*args: str) -> list[str]:
    return [sys.executable, "-m", "layso.cli", *args]


@dataclass
class Child:
    """A process the demo started, with its name for the terminal."""

    vi: str
    en: str
    proc: subprocess.Popen


STOPPED = "layso demo: {vi} đã dừng (mã thoát {code}) (the {en} stopped, exit code {code})"
DEVICES_STAY = ("; máy lấy số và màn hình sảnh vẫn mở, báo mất kết nối; Ctrl+C để thoát "
                "(the kiosk and the hall display stay open showing the outage; Ctrl+C to quit)")


def exit_code_text(code: int) -> str:
    """'1', or '-9 SIGKILL' for a process a signal ended (what Popen reports as -N)."""
    if code < 0:
        try:
            return f"{code} {signal.Signals(-code).name}"
        except ValueError:
            pass
    return str(code)


class Supervisor:
    """Watches the server and the device windows of the demo; says when one stops."""

    def __init__(self, server: Child, devices: list[Child], out: TextIO | None = None) -> None:
        self.server = server
        self.running = [server, *devices]
        self.out = out
        self.server_exit: int | None = None   # the server stopped by itself, with this code

    def add(self, child: Child) -> None:
        self.running.append(child)

    def check(self) -> None:
        """One look: a line for each process that stopped since the last look."""
        for child in list(self.running):
            code = child.proc.poll()
            if code is None:
                continue
            self.running.remove(child)
            line = STOPPED.format(vi=child.vi, en=child.en, code=exit_code_text(code))
            if child is self.server:
                self.server_exit = code
                if self.running:
                    line += DEVICES_STAY
            print(line, file=self.out or sys.stdout, flush=True)

    @property
    def exit_status(self) -> int:
        """The demo's own: 0, or the failed server's code (1 when a signal ended it)."""
        code = self.server_exit or 0
        return code if code >= 0 else 1

    def watch(self, poll_s: float = 0.5) -> int:
        """Until nothing is left running; then `exit_status`."""
        while self.running:
            self.check()
            if self.running:
                time.sleep(poll_s)
        return self.exit_status

    def stop_all(self, timeout: float = 10) -> None:
        """Ctrl+C: the windows first, then the server; no line for what we stopped."""
        for child in reversed(self.running):
            if child.proc.poll() is None:
                child.proc.terminate()
        for child in self.running:
            try:
                child.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                child.proc.kill()
                child.proc.wait(timeout)
        self.running = []


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the demo as Ctrl+C does: its children with it


def has_screen() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def run_demo(args: argparse.Namespace) -> int:
    """Start-up problems (a taken port, a data directory that cannot be used, a broken
    database) end as the one line `layso server` would print, before anything starts."""
    check_address("127.0.0.1", args.port)
    folder = demo_dir(args.data_dir)
    database_url(None, str(folder))  # the checks `layso server` makes, before users are added
    config, found = write_demo_config(folder)
    common = ["--config", str(config), "--data-dir", str(folder)]
    for name, role, password in (("admin", "admin", found["admin_password"]),
                                 ("canbo1", "clerk", found["clerk_password"])):
        # Refused on later runs: the users exist already.
        subprocess.run(layso("user", "add", name, "--role", role, *common),
                       input=password + "\n", capture_output=True, text=True, check=False)

    url = f"http://127.0.0.1:{args.port}"
    signal.signal(signal.SIGTERM, _interrupted)
    server = Child("máy chủ", "server", subprocess.Popen(
        layso("server", "--port", str(args.port), *common)))
    watcher = Supervisor(server, [])
    try:
        if not _wait_healthy(url, server.proc):
            print("layso demo: máy chủ không khởi động được (the server did not start)",
                  file=sys.stderr)
            return 1
        tickets = folder / "tickets"
        tickets.mkdir(exist_ok=True)
        gui = not args.no_gui and has_screen()
        if gui:
            watcher.add(Child("máy lấy số", "kiosk", _device(
                found["kiosk_token"], "kiosk", "--windowed", "--server", url,
                "--printer", f"preview:{tickets}", "--settings", str(folder / "kiosk.json"))))
            watcher.add(Child("màn hình sảnh", "hall display", _device(
                found["display_token"], "display", "--windowed", "--server", url,
                "--settings", str(folder / "display.json"))))
        print(_banner(url, found, tickets, folder, gui), flush=True)
        return watcher.watch()
    except KeyboardInterrupt:
        return watcher.exit_status
    finally:
        watcher.stop_all()


def _device(token: str, *args: str) -> subprocess.Popen:
    """A kiosk or display, its token in its environment (a command line is seen by `ps`)."""
    return subprocess.Popen(layso(*args), env={**os.environ, ENV: token})


def _wait_healthy(url: str, server: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        try:
            if requests.get(url + "/api/v1/health", timeout=1).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


def _banner(url: str, found: dict, tickets: Path, folder: Path, gui: bool) -> str:
    lines = [
        "",
        "LaySo demo — UBND phường Sài Gòn (8 lĩnh vực, 6 quầy)",
        f"  Bàn làm việc cán bộ (clerk console): {url}/",
        (f"      canbo1 / {found['clerk_password']}      quản trị (admin): admin / "
         f"{found['admin_password']}"),
        f"  Phiếu in ra (virtual printer, PNG):  {tickets}",
        f"  Dữ liệu (data, SQLite):              {folder}",
    ]
    if gui:
        lines.append("  Máy lấy số và màn hình sảnh đang mở trong hai cửa sổ "
                     "(kiosk and hall display windows are open).")
    else:
        lines.append("  Không có màn hình: chỉ chạy máy chủ (no screen: server only). "
                     f"Thử: curl -H 'Authorization: Bearer {found['kiosk_token']}' "
                     f"{url}/api/v1/services")
    lines.append("  Ctrl+C để dừng (to stop).")
    return "\n".join(lines)
