"""A real `layso server` process on 127.0.0.1 for end-to-end tests.

Kiosk, display, console and crash tests all talk to the server exactly as in the
office: over HTTP and the event stream, with device tokens and user logins.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
BUNDLED_CONFIG = REPO / "config" / "layso.toml"

KIOSK_TOKEN = "test-kiosk-token-0123456789"
DISPLAY_TOKEN = "test-display-token-0123456789"

TEST_DEVICES = f"""
[[devices]]
name = "kiosk-sanh"
role = "kiosk"
token = "{KIOSK_TOKEN}"

[[devices]]
name = "tv-sanh"
role = "display"
token = "{DISPLAY_TOKEN}"
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_test_config(path: Path, extra: str = "", base: Path = BUNDLED_CONFIG) -> Path:
    """The bundled commune config plus two test devices (and any extra TOML).

    The opening time is moved to 00:00 so a test never straddles a business-day reset,
    and the XD cut-off is removed so tests do not depend on the hour they run at.
    """
    text = base.read_text(encoding="utf-8")
    text = text.replace('opening = "07:30"', 'opening = "00:00"')
    text = text.replace('closing = "17:00"', 'closing = "23:59"')
    text = text.replace('cutoff = "16:30"', "")
    path.write_text(text + TEST_DEVICES + extra, encoding="utf-8")
    return path


class PortTaken(Exception):
    pass


class LiveServer:
    def __init__(self, config: Path, data_dir: Path, database_url: str | None = None,
                 port: int | None = None, env: dict | None = None):
        self.config = config
        self.data_dir = data_dir
        self.database_url = database_url
        self._auto_port = port is None
        self._started = False
        self.port = port or free_port()
        self.kiosk_token = KIOSK_TOKEN
        self.display_token = DISPLAY_TOKEN
        self.extra_env = env or {}
        self.proc: subprocess.Popen | None = None
        self.log_path = data_dir / "server.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api(self) -> str:
        return self.url + "/api/v1"

    def _env(self) -> dict:
        env = dict(os.environ)
        env.pop("LAYSO_CONFIG", None)
        env.pop("LAYSO_DATABASE_URL", None)
        if self.database_url:
            env["LAYSO_DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        """Run `layso ARGS --config … --data-dir …` against this server's database."""
        cmd = [sys.executable, "-m", "layso.cli", *args,
               "--config", str(self.config), "--data-dir", str(self.data_dir)]
        return subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False,
                              env=self._env(), cwd=REPO, timeout=60)

    def start(self, timeout: float = 30) -> LiveServer:
        for _attempt in range(3):
            try:
                return self._start(timeout)
            except PortTaken:
                # Another program took the free port between our look and the bind.
                if not self._auto_port or self._started:
                    raise
                self.port = free_port()
        raise RuntimeError("no free port for layso server")

    def command(self) -> list[str]:
        """What runs the server: `layso server` (tests/support/clock_server.py adds a clock)."""
        return [sys.executable, "-m", "layso.cli", "server", "--host", "127.0.0.1",
                "--port", str(self.port), "--config", str(self.config),
                "--data-dir", str(self.data_dir)]

    def _start(self, timeout: float) -> LiveServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(self.command(), stdout=log, stderr=subprocess.STDOUT,
                                         env=self._env(), cwd=REPO)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                with open(self.log_path, "rb") as log:
                    log.seek(log_start)
                    output = log.read().decode(errors="replace")
                if "Address already in use" in output:
                    raise PortTaken(self.port)
                raise RuntimeError(f"layso server exited with {self.proc.returncode}:\n"
                                   + output[-4000:])
            try:
                if requests.get(self.api + "/health", timeout=1).status_code == 200:
                    self._started = True
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("layso server did not answer /health in time:\n"
                           + self.log_path.read_text(errors="replace")[-4000:])

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def kill(self) -> None:
        """SIGKILL: the power cut, no chance to flush or say goodbye."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def add_user(self, username: str, role: str, password: str) -> None:
        r = self.cli("user", "add", username, "--role", role, stdin=password + "\n")
        if r.returncode != 0:
            raise RuntimeError(f"layso user add failed: {r.stdout}{r.stderr}")

    def login(self, username: str, password: str) -> str:
        r = requests.post(self.api + "/auth/login",
                          json={"username": username, "password": password}, timeout=10)
        r.raise_for_status()
        return r.json()["token"]

    def headers(self, token: str) -> dict:
        return {"Authorization": f"Bearer {token}"}
