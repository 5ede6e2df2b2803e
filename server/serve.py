"""Serve the app on gevent's WSGI server: one greenlet per connection, so 200 open
event streams cost memory, not OS threads. Also resets the business day on time."""

from __future__ import annotations

import logging
import signal
import socket

from flask import Flask

log = logging.getLogger("layso")

DAY_CHECK_S = 20


def serve(app: Flask, host: str, port: int) -> None:
    import gevent
    from gevent.pywsgi import WSGIServer

    ctx = app.extensions["layso"]
    server = WSGIServer((host, port), app, log=None, error_log=log)
    server.init_socket()
    # pywsgi writes headers and body separately; without NODELAY a kept-alive client
    # waits for its own delayed ACK (~40 ms) before the body arrives.
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def roll_days() -> None:
        while True:
            try:
                ctx.queue.roll_day(ctx.office_id)
            except Exception:  # a database hiccup must not end the timer
                log.exception("business-day check failed")
            gevent.sleep(DAY_CHECK_S)

    timer = gevent.spawn(roll_days)
    gevent.signal_handler(signal.SIGTERM, server.stop)
    gevent.signal_handler(signal.SIGINT, server.stop)
    log.info("LaySo đang chạy tại http://%s:%s (serving)", host, port)
    try:
        server.serve_forever()
    finally:
        timer.kill()
        ctx.db.dispose()
