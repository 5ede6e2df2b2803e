"""A hall of displays: 200 open event streams do not stop the server answering.

A thread-per-connection server would starve here; the gevent server must keep
issuing tickets and deliver each event to every stream.
"""

from __future__ import annotations

import selectors
import socket
import time

import requests

STREAMS = 200


def open_stream(port: int, token: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall((f"GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n")
                 .encode())
    sock.setblocking(False)
    return sock


def test_two_hundred_streams_and_the_kiosk_still_gets_its_number(live_server):
    selector = selectors.DefaultSelector()
    received: dict[socket.socket, bytes] = {}
    try:
        for _ in range(STREAMS):
            sock = open_stream(live_server.port, live_server.display_token)
            selector.register(sock, selectors.EVENT_READ)
            received[sock] = b""

        def pump(until: float, done) -> None:
            while time.monotonic() < until and not done():
                for key, _ in selector.select(timeout=0.2):
                    try:
                        chunk = key.fileobj.recv(65536)
                    except BlockingIOError:
                        continue
                    received[key.fileobj] += chunk

        # every stream is open (the server has answered its headers)
        pump(time.monotonic() + 30, lambda: all(b"retry:" in v for v in received.values()))
        assert all(b"200 OK" in v for v in received.values())

        kiosk = live_server.headers(live_server.kiosk_token)
        assert requests.get(live_server.api + "/health", timeout=5).json() == {"status": "ok"}
        r = requests.post(live_server.api + "/tickets", json={"service_id": 1}, headers=kiosk,
                          timeout=5)
        assert r.status_code == 201
        marker = f'"number":"{r.json()["number"]}"'.encode()
        pump(time.monotonic() + 30, lambda: all(marker in v for v in received.values()))
        assert sum(marker in v for v in received.values()) == STREAMS
    finally:
        for sock in received:
            sock.close()
