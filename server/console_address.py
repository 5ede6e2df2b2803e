"""Where the clerks open their console, as `layso server` prints it at start.

Listening on every address (0.0.0.0) the console is reached through the machine's LAN
addresses. They are read from the machine's own interfaces, never by asking the network
(no DNS, no "connect to 8.8.8.8" trick): on Linux from each interface (SIOCGIFADDR), on
other systems from the addresses the system gives its own host name.
"""

from __future__ import annotations

import ipaddress
import socket
import sys

from layso.server.startup_texts import SERVING

ALL_ADDRESSES = ("0.0.0.0", "::", "")
_SIOCGIFADDR = 0x8915  # Linux: an interface's IPv4 address


def _linux_addresses() -> list[str]:
    import fcntl
    import struct

    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        for _index, name in socket.if_nameindex():
            try:
                answer = fcntl.ioctl(probe.fileno(), _SIOCGIFADDR,
                                     struct.pack("256s", name.encode()[:15]))
            except OSError:  # an interface without an IPv4 address
                continue
            found.append(socket.inet_ntoa(answer[20:24]))
    return found


def _host_name_addresses() -> list[str]:
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
    except OSError:
        return []
    return [str(info[4][0]) for info in infos]


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses another PC of the office could use (no loopback, no
    link-local), in order, without duplicates."""
    try:
        found = _linux_addresses() if sys.platform.startswith("linux") else _host_name_addresses()
    except OSError:
        found = []
    usable = {ip for ip in found
              if not (ipaddress.ip_address(ip).is_loopback
                      or ipaddress.ip_address(ip).is_link_local)}
    return sorted(usable, key=ipaddress.ip_address)


def _url(host: str, port: int, path: str = "/") -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}{path}"


def console_urls(host: str, port: int) -> list[str]:
    """The console's addresses: the one listened on, or for 0.0.0.0 each LAN address
    (none when none can be found)."""
    if host not in ALL_ADDRESSES:
        return [_url(host, port)]
    return [_url(ip, port) for ip in lan_addresses()]


def serving_lines(host: str, port: int, first_run: bool) -> list[str]:
    """What `layso server` says beside "serving": the console and, while the office has no
    admin, the first-run page that makes one."""
    urls = console_urls(host, port)
    vi, en = SERVING["console"]
    if urls:
        lines = [f"{vi} ({en}): {', '.join(urls)}"]
        setup = urls[0] + "setup"
    else:  # listening everywhere, and no address of this machine could be read
        here_vi, here_en = SERVING["this_machine"]
        lines = [f"{vi} ({en}): {_url(here_vi, port)} ({here_en})"]
        setup = _url(here_vi, port, "/setup")
    if first_run:
        vi, en = SERVING["first_run"]
        lines.append(f"{vi.format(url=setup)} ({en.format(url=setup)})")
    return lines
