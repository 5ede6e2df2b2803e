"""A receipt printer on a TCP socket, as real as a test can hold: it records every byte it
receives and answers DLE EOT n status queries the way an Epson-style printer does."""

from __future__ import annotations

import socket
import threading
import time

READY = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}
COVER_OPEN = {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}
STATUS_QUERY = b"\x10\x04"


class FakePrinter:
    def __init__(self, status: dict[int, int] | None = None):
        self.status = dict(status or READY)
        self.received = bytearray()
        self.last_byte_at = 0.0          # time.perf_counter() of the last byte received
        self.queries = 0
        self.after_queries: tuple[int, dict[int, int]] | None = None
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.uri = f"tcp://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def change_after(self, queries: int, status: dict[int, int]) -> None:
        """Switch to `status` once `queries` more status queries have been answered
        (paper runs out between the check and the print)."""
        with self._lock:
            self.after_queries = (self.queries + queries, dict(status))

    def set_status(self, status: dict[int, int]) -> None:
        with self._lock:
            self.status = dict(status)

    def data(self) -> bytes:
        """What was printed: every byte except the status queries themselves."""
        with self._lock:
            raw = bytes(self.received)
        for n in range(1, 5):
            raw = raw.replace(STATUS_QUERY + bytes((n,)), b"")
        return raw

    def clear(self) -> None:
        with self._lock:
            self.received.clear()

    def _accept(self) -> None:
        self._server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        pending = b""
        with conn:
            conn.settimeout(0.2)
            while not self._stop.is_set():
                try:
                    chunk = conn.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                now = time.perf_counter()
                with self._lock:
                    self.received += chunk
                    self.last_byte_at = now
                pending += chunk
                pending = self._answer(conn, pending)

    def _answer(self, conn: socket.socket, pending: bytes) -> bytes:
        while True:
            at = pending.find(STATUS_QUERY)
            if at < 0 or at + 2 >= len(pending):
                return pending[-2:] if at < 0 else pending[at:]
            n = pending[at + 2]
            with self._lock:
                self.queries += 1
                if self.after_queries and self.queries > self.after_queries[0]:
                    self.status, self.after_queries = self.after_queries[1], None
                answer = self.status.get(n)
            if answer is not None:
                conn.sendall(bytes((answer,)))
            pending = pending[at + 3:]

    def close(self) -> None:
        self._stop.set()
        self._server.close()
