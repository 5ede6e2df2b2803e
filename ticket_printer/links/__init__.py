"""Printer connections by URI scheme; each kind is imported only when used."""

from __future__ import annotations

from importlib import import_module

from layso.ticket_printer.links.base import Link, bad_uri

SCHEMES = {
    "tcp": ("layso.ticket_printer.links.tcp", "TcpLink"),
    "serial": ("layso.ticket_printer.links.serial", "SerialLink"),
    "usb": ("layso.ticket_printer.links.usb", "UsbLink"),
    "file": ("layso.ticket_printer.links.file", "FileLink"),
    "win32": ("layso.ticket_printer.links.win32", "Win32Link"),
}


def link_for(uri: str, timeout: float) -> Link:
    """`tcp://host:9100`, `serial:///dev/ttyUSB0?baudrate=115200`, `usb://VID:PID`,
    `file:///path`, a bare device path such as `/dev/usb/lp0`, `win32://Printer Name`."""
    if uri.startswith("/"):
        uri = "file://" + uri
    scheme, sep, rest = uri.partition(":")
    if not sep or scheme.lower() not in SCHEMES:
        raise bad_uri(uri, f"scheme must be one of {', '.join(SCHEMES)} or preview")
    module, name = SCHEMES[scheme.lower()]
    return getattr(import_module(module), name).from_uri(rest, timeout)


__all__ = ["Link", "link_for"]
