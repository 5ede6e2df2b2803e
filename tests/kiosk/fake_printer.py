"""The printer package's TCP test printer (records bytes, answers DLE EOT), plus what the
kiosk's tests need: when the last byte came, and paper that runs out mid-conversation."""

from __future__ import annotations

import time

from tests.printer.fake_printer import COVER_OPEN, PAPER_OUT, READY, Responder, TcpPrinter

__all__ = ["COVER_OPEN", "PAPER_OUT", "READY", "FakePrinter"]


class _KioskResponder(Responder):
    def __init__(self, answers: dict[int, int]) -> None:
        super().__init__(answers)
        self.last_byte_at = 0.0      # time.perf_counter() of the last byte received
        self.queries = 0
        self.switch: tuple[int, dict[int, int]] | None = None

    def feed(self, chunk: bytes) -> bytes:
        self.last_byte_at = time.perf_counter()
        with self.lock:
            self.queries += sum(chunk.count(b"\x10\x04" + bytes((n,))) for n in range(1, 5))
            if self.switch and self.queries > self.switch[0]:
                self.answers, self.switch = self.switch[1], None
        return super().feed(chunk)


class FakePrinter(TcpPrinter):
    def __init__(self, status: dict[int, int] = READY) -> None:
        super().__init__(status)
        self.responder = _KioskResponder(dict(status))

    @property
    def last_byte_at(self) -> float:
        return self.responder.last_byte_at

    def set_status(self, status: dict[int, int]) -> None:
        self.responder.answers = dict(status)

    def change_after(self, queries: int, status: dict[int, int]) -> None:
        """Answer `status` once `queries` more status questions have been answered
        (the paper runs out between the kiosk's check and the print)."""
        with self.responder.lock:
            self.responder.switch = (self.responder.queries + queries, dict(status))

    def data(self) -> bytes:
        """Every byte received, status questions included (the number is native text)."""
        with self.responder.lock:
            return bytes(self.responder.received)

    def clear(self) -> None:
        with self.responder.lock:
            self.responder.received.clear()
