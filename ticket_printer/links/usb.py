"""USB printers driven directly through libusb (pyusb): `usb://0416:5011` (hex VID:PID).

Use this where no driver claims the printer (Windows with the WinUSB driver installed
by Zadig; Linux without usblp, or with a udev rule giving the kiosk user the device).
Otherwise prefer `file:///dev/usb/lp0` (Linux) or `win32://Printer Name` (Windows).
`layso printer list` shows the VID:PID of connected printers. Optional `?interface=0`.
"""

from __future__ import annotations

from typing import Any

from layso.ticket_printer.errors import PrinterError
from layso.ticket_printer.links.base import Link, bad_uri, chunked, split_query

PRINTER_CLASS = 7
CHUNK = 4096


class UsbLink(Link):
    can_answer = True

    def __init__(self, vendor: int, product: int, timeout: float = 3.0,
                 interface: int | None = None) -> None:
        super().__init__(timeout)
        self.vendor, self.product, self.interface = vendor, product, interface
        self._device: Any = None
        self._out: Any = None
        self._in: Any = None

    @classmethod
    def from_uri(cls, rest: str, timeout: float) -> UsbLink:
        target, query = split_query(rest)
        vendor, _, product = target.removeprefix("//").strip("/").partition(":")
        try:
            interface = int(query["interface"]) if "interface" in query else None
            return cls(int(vendor, 16), int(product, 16), timeout, interface)
        except ValueError as exc:
            raise bad_uri("usb:" + rest, "expected usb://VID:PID in hex") from exc

    def open(self) -> None:
        try:
            import usb.core
            import usb.util
        except ImportError as exc:
            raise PrinterError("unsupported", f"pyusb: {exc}") from exc
        name = f"usb {self.vendor:04x}:{self.product:04x}"
        try:
            device = usb.core.find(idVendor=self.vendor, idProduct=self.product)
        except usb.core.NoBackendError as exc:
            raise PrinterError("unsupported", f"{name}: libusb not installed") from exc
        if device is None:
            raise PrinterError("connection_failed", f"{name}: not connected")
        try:
            config = device.get_active_configuration()
            if config is None:
                device.set_configuration()
                config = device.get_active_configuration()
            interface = next(i for i in config
                             if self.interface in (None, i.bInterfaceNumber)
                             and (self.interface is not None
                                  or i.bInterfaceClass == PRINTER_CLASS))
            if os_may_detach() and device.is_kernel_driver_active(interface.bInterfaceNumber):
                device.detach_kernel_driver(interface.bInterfaceNumber)

            def direction(want: int):
                return lambda ep: usb.util.endpoint_direction(ep.bEndpointAddress) == want

            self._out = usb.util.find_descriptor(interface,
                                                 custom_match=direction(usb.util.ENDPOINT_OUT))
            self._in = usb.util.find_descriptor(interface,
                                                custom_match=direction(usb.util.ENDPOINT_IN))
        except (usb.core.USBError, StopIteration, NotImplementedError) as exc:
            raise PrinterError("connection_failed", f"{name}: {exc}") from exc
        if self._out is None:
            raise PrinterError("connection_failed", f"{name}: no output endpoint")
        self._device = device
        self.can_answer = self._in is not None

    def write(self, data: bytes) -> None:
        import usb.core

        try:
            for piece in chunked(data, CHUNK):
                self._out.write(piece, timeout=int(self.timeout * 1000))
        except usb.core.USBError as exc:
            raise PrinterError("write_failed", str(exc)) from exc

    def read(self, size: int, timeout: float) -> bytes:
        import usb.core

        if self._in is None:
            return b""
        try:
            return bytes(self._in.read(max(size, self._in.wMaxPacketSize),
                                       timeout=max(1, int(timeout * 1000))))[:size]
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError as exc:
            raise PrinterError("connection_failed", str(exc)) from exc

    def discard_input(self) -> None:
        while self._in is not None and self.read(64, 0.01):
            pass

    def close(self) -> None:
        if self._device is not None:
            import usb.util

            usb.util.dispose_resources(self._device)
            self._device = None

    @property
    def is_open(self) -> bool:
        return self._device is not None


def os_may_detach() -> bool:
    import sys

    return sys.platform.startswith("linux")
