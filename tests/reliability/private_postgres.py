"""A PostgreSQL server of a test's own (initdb in a temporary folder, its own port), so a
test can stop and restart it without touching the shared one other tests use."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from tests.support.live_server import free_port


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def available() -> bool:
    return _bin("initdb") is not None and _bin("pg_ctl") is not None


class PrivatePostgres:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="layso-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0   # the server refuses to run as root
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *cmd: str, timeout: float = 60) -> None:
        if self.as_postgres:
            cmd = ("runuser", "-u", "postgres", "--", *cmd)
        subprocess.run(cmd, check=True, capture_output=True, timeout=timeout)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://layso@127.0.0.1:{self.port}/layso"

    def start(self) -> PrivatePostgres:
        if not self.data.exists():
            self._run(_bin("initdb"), "-D", str(self.data), "-U", "layso", "--auth=trust",
                      "-E", "UTF8", "--no-sync")
            with open(self.data / "postgresql.conf", "a") as conf:
                conf.write(f"listen_addresses = '127.0.0.1'\nport = {self.port}\n"
                           f"unix_socket_directories = '{self.folder}'\nfsync = on\n")
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                  "-w", "start")
        if not getattr(self, "_made", False):
            self._run(_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "layso",
                      "layso")
            self._made = True
        return self

    def stop(self, mode: str = "fast") -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self, down_s: float = 0.0) -> None:
        self.stop("fast")
        time.sleep(down_s)
        self.start()

    def destroy(self) -> None:
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)
