"""What is plugged in that could be a ticket printer (`layso printer list`)."""

from __future__ import annotations

import glob
import sys

PRINTER_CLASS = 7


def serial_ports() -> list[tuple[str, str]]:
    from serial.tools import list_ports

    found = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        ids = f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None else ""
        label = ", ".join(x for x in (port.description, ids) if x and x != "n/a")
        uri = f"serial://{port.device}" if port.device.startswith("/") else f"serial:{port.device}"
        found.append((uri + "?baudrate=9600", label))
    return found


def usb_printers() -> list[tuple[str, str]]:
    """USB devices with a printer interface (class 7). Empty when libusb is missing."""
    try:
        import usb.core
        import usb.util
    except ImportError:
        return []
    try:
        devices = list(usb.core.find(find_all=True))
    except (usb.core.NoBackendError, usb.core.USBError):  # no libusb: nothing to list
        return []
    found = []
    for device in devices:
        try:
            is_printer = device.bDeviceClass == PRINTER_CLASS or any(
                interface.bInterfaceClass == PRINTER_CLASS
                for config in device for interface in config)
            if not is_printer:
                continue
            name = " ".join(filter(None, (usb.util.get_string(device, device.iManufacturer),
                                          usb.util.get_string(device, device.iProduct))))
        except (usb.core.USBError, ValueError, NotImplementedError):  # strings need rights
            name = ""
        found.append((f"usb://{device.idVendor:04x}:{device.idProduct:04x}", name))
    return found


def device_files() -> list[tuple[str, str]]:
    return [(f"file://{path}", "usblp") for path in sorted(glob.glob("/dev/usb/lp*"))]


def windows_printers() -> list[tuple[str, str]]:
    if sys.platform != "win32":
        return []
    try:
        import win32print
    except ImportError:
        return []
    flags = win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS
    return [(f"win32://{p[2]}", p[3] or "") for p in win32print.EnumPrinters(flags)]


def candidates() -> list[tuple[str, str]]:
    """(uri, description) of every candidate, printers first, serial ports last."""
    return usb_printers() + device_files() + windows_printers() + serial_ports()
