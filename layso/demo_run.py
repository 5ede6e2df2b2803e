"""What `layso demo` does: one office on this machine, ready to click through.

The first run writes a demo config (device tokens made here, never shipped) and two
users with random passwords into the data directory; later runs reuse them.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import requests

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
    children = [subprocess.Popen(layso("server", "--port", str(args.port), *common))]
    try:
        if not _wait_healthy(url, children[0]):
            print("layso demo: máy chủ không khởi động được (the server did not start)",
                  file=sys.stderr)
            return 1
        tickets = folder / "tickets"
        tickets.mkdir(exist_ok=True)
        gui = not args.no_gui and has_screen()
        if gui:
            children.append(subprocess.Popen(layso(
                "kiosk", "--windowed", "--server", url, "--token", found["kiosk_token"],
                "--printer", f"preview:{tickets}", "--settings", str(folder / "kiosk.json"))))
            children.append(subprocess.Popen(layso(
                "display", "--windowed", "--server", url, "--token", found["display_token"],
                "--settings", str(folder / "display.json"))))
        print(_banner(url, found, tickets, folder, gui), flush=True)
        while all(child.poll() is None for child in children[:1]):
            time.sleep(0.5)
        return children[0].returncode or 0
    except KeyboardInterrupt:
        return 0
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(10)
            except subprocess.TimeoutExpired:
                child.kill()


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
        "LaySo demo — UBND phường Bến Nghé (8 lĩnh vực, 6 quầy)",
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
