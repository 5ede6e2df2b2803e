"""`layso kiosk` / `layso display` started as the office starts them (Qt offscreen here), with
what they log read line by line, so a test can wait for "connected" or a refusal."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time

from tests.support.live_server import REPO


class DeviceProcess:
    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
        self.proc = subprocess.Popen([sys.executable, "-m", "layso.cli", *args], cwd=REPO,
                                     env=full_env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, encoding="utf-8")
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        """The first line (from the start) holding `text`; AssertionError with all output."""
        for line in self.lines:
            if text in line:
                return line
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line is None:
                break
            self.lines.append(line)
            if text in line:
                return line
        raise AssertionError(f"{text!r} never came; output:\n" + "\n".join(self.lines))

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        return self.proc.returncode
