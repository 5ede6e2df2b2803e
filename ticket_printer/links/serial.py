"""Serial printers through pyserial: `serial:///dev/ttyUSB0?baudrate=115200`, `serial:COM3`,
or any pyserial URL after `serial:` (`serial:rfc2217://host:4000`, `serial:socket://...`).

Options: baudrate (9600), bytesize (8), parity (N|E|O), stopbits (1|2), and flow control
rtscts=1, dsrdtr=1 or xonxoff=1 — all must match the printer's DIP switches (its
self-test page prints them). Wiring: a null-modem (crossed) DB9/DB25 cable or the
vendor's RJ cable; USB-serial adapters appear as /dev/ttyUSB0 (Linux) or COMn (Windows).
"""

from __future__ import annotations

from typing import Any

from layso.ticket_printer.errors import PrinterError
from layso.ticket_printer.links.base import Link, bad_uri, chunked, split_query

_OPTIONS = {"baudrate": int, "bytesize": int, "parity": str, "stopbits": float,
            "rtscts": bool, "dsrdtr": bool, "xonxoff": bool}


def _flag(value: str) -> bool:
    return value.lower() in ("1", "true", "yes", "on")


class SerialLink(Link):
    can_answer = True

    def __init__(self, port: str, timeout: float = 3.0, **options: Any) -> None:
        super().__init__(timeout)
        self.port = port
        self.options = {"baudrate": 9600, **options}
        self._serial: Any = None

    @classmethod
    def from_uri(cls, rest: str, timeout: float) -> SerialLink:
        if "://" in rest.removeprefix("//"):
            port, query = rest, {}  # a pyserial URL: its query is its own
        else:
            port, query = split_query(rest)
            port = port.removeprefix("//") if not port.startswith("///") else port[2:]
        if not port:
            raise bad_uri("serial:" + rest, "expected serial:///dev/ttyUSB0?baudrate=9600")
        options: dict[str, Any] = {}
        for key, value in query.items():
            kind = _OPTIONS.get(key)
            if kind is None:
                raise bad_uri("serial:" + rest, f"unknown option {key!r}")
            try:
                options[key] = _flag(value) if kind is bool else kind(value)
            except ValueError as exc:
                raise bad_uri("serial:" + rest, f"{key}={value!r}") from exc
        if isinstance(options.get("stopbits"), float) and options["stopbits"].is_integer():
            options["stopbits"] = int(options["stopbits"])
        return cls(port, timeout, **options)

    @property
    def chunk(self) -> int:
        """Bytes that leave in about half the timeout at this speed (10 bits a byte)."""
        return max(64, int(self.options["baudrate"] / 10 * self.timeout / 2))

    def open(self) -> None:
        import serial

        try:
            self._serial = serial.serial_for_url(
                self.port, timeout=self.timeout, write_timeout=self.timeout, **self.options)
        except (serial.SerialException, ValueError, OSError) as exc:
            raise PrinterError("connection_failed", f"{self.port}: {exc}") from exc

    def write(self, data: bytes) -> None:
        import serial

        try:
            # No flush(): tcdrain has no timeout, and a printer holding CTS low would hang
            # us. Each piece waits for room in the driver's buffer, within write_timeout.
            for piece in chunked(data, self.chunk):
                self._serial.write(piece)
        except (serial.SerialException, OSError) as exc:  # SerialTimeoutException included
            raise PrinterError("write_failed", f"{self.port}: {exc}") from exc

    def read(self, size: int, timeout: float) -> bytes:
        self._serial.timeout = max(timeout, 0.001)
        try:
            return bytes(self._serial.read(size))
        except OSError as exc:
            raise PrinterError("connection_failed", str(exc)) from exc
        finally:
            self._serial.timeout = self.timeout

    def discard_input(self) -> None:
        self._serial.reset_input_buffer()

    def close(self) -> None:
        if self._serial is not None:
            self._serial.close()
            self._serial = None

    @property
    def is_open(self) -> bool:
        return self._serial is not None
