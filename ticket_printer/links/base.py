"""What every printer connection offers: a byte pipe with timeouts.

A connection kind is one small subclass in its own file; the ticket, the ESC/POS bytes
and the status rules live once, in `ticket_printer.printer`.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from urllib.parse import parse_qs

from layso.ticket_printer.errors import PrinterError


class Link(ABC):
    #: True where the printer can answer real-time status requests (DLE EOT) on this link.
    can_answer: bool = False

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout

    @classmethod
    @abstractmethod
    def from_uri(cls, rest: str, timeout: float) -> Link:
        """Build from the URI without its `scheme:` prefix; raise PrinterError("bad_uri")."""

    @abstractmethod
    def open(self) -> None:
        """Connect; raise PrinterError("connection_failed") within the timeout."""

    @abstractmethod
    def write(self, data: bytes) -> None:
        """Send everything; a stalled printer raises PrinterError("write_failed")."""

    def read(self, size: int, timeout: float) -> bytes:
        """Up to `size` bytes the printer sent, or b"" when it said nothing in `timeout`."""
        return b""

    def discard_input(self) -> None:
        """Drop stale bytes (answers to an earlier request) before asking again."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection; safe to call twice."""

    @property
    @abstractmethod
    def is_open(self) -> bool: ...


def split_query(rest: str) -> tuple[str, dict[str, str]]:
    """"//host:9100?x=1" -> ("//host:9100", {"x": "1"}); the last value of a key wins."""
    target, _, query = rest.partition("?")
    return target, {key: values[-1] for key, values in parse_qs(query).items()}


def chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i:i + size] for i in range(0, len(data), size)] or [b""]


class Deadline:
    """One time budget shared by several calls."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())


def bad_uri(uri: str, why: str) -> PrinterError:
    return PrinterError("bad_uri", f"{uri}: {why}")
