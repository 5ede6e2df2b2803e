"""Network printers: `tcp://192.168.1.50:9100` (port 9100 when omitted).

Wiring: the printer's Ethernet port to the office switch; print its self-test page
(hold FEED while switching on) to read its IP address, and give it a fixed address
(a DHCP reservation or the vendor's network tool). Most answer DLE EOT on port 9100.
"""

from __future__ import annotations

import socket

from layso.ticket_printer.errors import PrinterError
from layso.ticket_printer.links.base import Link, bad_uri, chunked, split_query

CHUNK = 4096  # each piece must leave within the timeout, so a long ticket is not a stall


class TcpLink(Link):
    can_answer = True

    def __init__(self, host: str, port: int = 9100, timeout: float = 3.0) -> None:
        super().__init__(timeout)
        self.host = host
        self.port = port
        self._sock: socket.socket | None = None

    @classmethod
    def from_uri(cls, rest: str, timeout: float) -> TcpLink:
        target, _ = split_query(rest)
        host, _, port = target.removeprefix("//").rstrip("/").rpartition(":")
        if not host:
            host, port = port, "9100"
        if not host or not port.isdigit():
            raise bad_uri("tcp:" + rest, "expected tcp://HOST:PORT")
        return cls(host.strip("[]"), int(port), timeout)

    def open(self) -> None:
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise PrinterError("connection_failed", f"{self.host}:{self.port}: {exc}") from exc

    def write(self, data: bytes) -> None:
        assert self._sock is not None
        try:
            self._sock.settimeout(self.timeout)
            for piece in chunked(data, CHUNK):
                self._sock.sendall(piece)
        except OSError as exc:
            raise PrinterError("write_failed", f"{self.host}:{self.port}: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        assert self._sock is not None
        try:
            self._sock.settimeout(max(timeout, 0.001))
            data = self._sock.recv(size)
        except TimeoutError:
            return b""
        except OSError as exc:
            raise PrinterError("connection_failed", str(exc)) from exc
        if not data:  # the printer closed the connection (switched off and on, say)
            raise PrinterError("connection_failed", f"{self.host}:{self.port}: closed")
        return data

    def discard_input(self) -> None:
        assert self._sock is not None
        self._sock.setblocking(False)
        try:
            while self._sock.recv(256):
                pass
        except OSError:
            pass
        finally:
            self._sock.settimeout(self.timeout)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    @property
    def is_open(self) -> bool:
        return self._sock is not None
