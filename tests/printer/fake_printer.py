"""Real fakes at the edge of the machine: a TCP printer and a serial printer (socat pair)
that record every byte and answer DLE EOT like a printer in a given state."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
import time

import serial

# DLE EOT n -> answer byte, for printers in these states (Epson bit layout).
READY = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_NEAR_END = {**READY, 4: 0x1E}
PAPER_OUT = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}
COVER_OPEN = {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}
OFFLINE = {1: 0x1A, 2: 0x1A, 3: 0x12, 4: 0x12}  # feed button held
CUTTER_JAM = {1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}
SILENT = None


class Responder:
    """Records bytes; answers each complete DLE EOT n in the stream (None: never answers)."""

    def __init__(self, answers: dict[int, int] | None) -> None:
        self.answers = answers
        self.received = bytearray()
        self.lock = threading.Lock()

    def feed(self, chunk: bytes) -> bytes:
        with self.lock:
            start = max(0, len(self.received) - 2)
            self.received += chunk
            if self.answers is None:
                return b""
            return bytes(self.answers[int(m.group(1)[0])]
                         for m in re.finditer(rb"\x10\x04([\x01-\x04])",
                                              bytes(self.received[start:])))

    def job(self) -> bytes:
        """What came after the status questions: the print job itself."""
        with self.lock:
            data = bytes(self.received)
        return data[data.find(b"\x1b@"):] if b"\x1b@" in data else b""


class TcpPrinter:
    """Listens on 127.0.0.1; one connection at a time, like a printer's port 9100."""

    def __init__(self, answers: dict[int, int] | None = READY) -> None:
        self.responder = Responder(answers)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.uri = f"tcp://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._drop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def restart(self) -> None:
        """Drop the open connection, as a printer switched off and on does."""
        self._drop.set()
        while self._drop.is_set():
            time.sleep(0.01)

    def _serve(self) -> None:
        self.server.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(0.1)
                while not self._stop.is_set() and not self._drop.is_set():
                    try:
                        chunk = conn.recv(65536)
                    except TimeoutError:
                        continue
                    if not chunk:
                        break
                    reply = self.responder.feed(chunk)
                    if reply:
                        conn.sendall(reply)
            self._drop.clear()

    def wait_for(self, size: int, seconds: float = 5) -> bytes:
        end = time.monotonic() + seconds
        while time.monotonic() < end and len(self.responder.job()) < size:
            time.sleep(0.01)
        return self.responder.job()

    def close(self) -> None:
        self._stop.set()
        self.thread.join(2)
        self.server.close()


class SerialPrinter:
    """A pty pair from socat: LaySo opens `uri`, this fake reads the other end."""

    def __init__(self, answers: dict[int, int] | None = READY, baudrate: int = 115200) -> None:
        if shutil.which("socat") is None:
            raise RuntimeError("socat is not installed (tools/setup.sh --test installs it)")
        self.responder = Responder(answers)
        self.process = subprocess.Popen(
            ["socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"],
            stderr=subprocess.PIPE, text=True)
        ptys = []
        while len(ptys) < 2:
            line = self.process.stderr.readline()
            if not line:
                raise RuntimeError("socat did not start")
            found = re.search(r"PTY is (\S+)", line)
            if found:
                ptys.append(found.group(1))
        self.uri = f"serial://{ptys[0]}?baudrate={baudrate}"
        self.port = serial.Serial(ptys[1], baudrate, timeout=0.05)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            chunk = self.port.read(4096)
            if chunk:
                reply = self.responder.feed(chunk)
                if reply:
                    self.port.write(reply)

    wait_for = TcpPrinter.wait_for

    def close(self) -> None:
        self._stop.set()
        self.thread.join(2)
        self.port.close()
        self.process.terminate()
        self.process.wait(5)
