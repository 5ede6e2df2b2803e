"""Real fakes at the edge of the machine: a TCP printer and a serial printer (socat pair)
that record every byte and answer DLE EOT like a printer in a given state — or like
something broken: never reading, answering garbage, answering too late."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import dataclass

import serial

# DLE EOT n -> answer byte, for printers in these states (Epson bit layout).
READY = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_NEAR_END = {**READY, 4: 0x1E}
PAPER_OUT = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}
COVER_OPEN = {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}
OFFLINE = {1: 0x1A, 2: 0x1A, 3: 0x12, 4: 0x12}  # feed button held
CUTTER_JAM = {1: 0x1A, 2: 0x52, 3: 0x1A, 4: 0x12}
# Cover open with the paper sensor reading "out" too (it sees no paper with the lid up).
COVER_OPEN_NO_PAPER = {1: 0x1A, 2: 0x36, 3: 0x12, 4: 0x72}
SILENT = None


@dataclass(frozen=True)
class Broken:
    """A printer port that misbehaves: `answers` as above, or bytes sent back for anything
    received; `reads=False` accepts the connection and never reads a byte; `read_limit`
    stops reading after that many bytes (a jammed printer with a full buffer); `delay`
    holds every answer back that many seconds."""

    answers: dict[int, int] | bytes | None = None
    reads: bool = True
    read_limit: int | None = None
    delay: float = 0.0


NEVER_READS = Broken(READY, reads=False)
GARBAGE = Broken(b"\xff\x00\xfegarbage\r\n")
SLOW = Broken(READY, delay=5.0)  # answers, but after the kiosk stopped waiting
STOPS_READING = Broken(READY, read_limit=16)  # answers the status, then takes no more bytes


class Responder:
    """Records bytes; answers each complete DLE EOT n in the stream (None: never answers)."""

    def __init__(self, answers: dict[int, int] | bytes | None) -> None:
        self.answers = answers
        self.received = bytearray()
        self.lock = threading.Lock()

    def feed(self, chunk: bytes) -> bytes:
        with self.lock:
            start = max(0, len(self.received) - 2)
            self.received += chunk
            if self.answers is None:
                return b""
            if isinstance(self.answers, bytes):
                return self.answers
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

    def __init__(self, answers: dict[int, int] | Broken | None = READY) -> None:
        behaviour = answers if isinstance(answers, Broken) else Broken(answers)
        self.reads, self.delay, self.read_limit = (behaviour.reads, behaviour.delay,
                                                   behaviour.read_limit)
        self.responder = Responder(behaviour.answers)
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
                    room = 65536 if self.read_limit is None else \
                        self.read_limit - len(self.responder.received)
                    if not self.reads or room <= 0:
                        self._stop.wait(0.1)
                        continue
                    try:
                        chunk = conn.recv(room)
                    except TimeoutError:
                        continue
                    except OSError:  # the client hung up with our answer unread
                        break
                    if not chunk:
                        break
                    reply = self.responder.feed(chunk)
                    if reply and not self._stop.wait(self.delay):
                        try:
                            conn.sendall(reply)
                        except OSError:  # a late answer to a client that hung up
                            break
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
