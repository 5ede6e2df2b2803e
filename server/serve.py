"""Serve the app on gevent's WSGI server: one greenlet per connection, so 200 open
event streams cost memory, not OS threads. Also resets the business day on time.

The loop only moves bytes: every request except the event streams runs in a pool
thread (server/workers.py), so a slow database or a password check never stalls the
kiosks, consoles and hall displays. The process is not monkey-patched: pool threads
use real locks and real blocking calls, and the loop uses gevent's own.
"""

from __future__ import annotations

import logging
import signal
import socket

from flask import Flask

from layso.server.errors import busy_answer
from layso.server.stream import is_stream

log = logging.getLogger("layso")

DAY_CHECK_S = 20


def serve(app: Flask, host: str, port: int) -> None:
    import gevent
    from gevent.pywsgi import WSGIServer

    ctx = app.extensions["layso"]
    workers = ctx.workers
    workers.start()
    ctx.db.forbidden_here = workers.on_loop
    handler = workers.wsgi(app, stays_on_loop=is_stream,
                           max_body=app.config["MAX_CONTENT_LENGTH"], busy=busy_answer)
    server = WSGIServer((host, port), handler, log=None, error_log=log)
    server.init_socket()
    # pywsgi writes headers and body separately; without NODELAY a kept-alive client
    # waits for its own delayed ACK (~40 ms) before the body arrives.
    server.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def roll_days() -> None:
        while True:
            try:
                workers.run(ctx.queue.roll_day, ctx.office_id)
            except Exception:  # a database hiccup must not end the timer
                log.exception("business-day check failed")
            gevent.sleep(DAY_CHECK_S)

    timer = gevent.spawn(roll_days)
    gevent.signal_handler(signal.SIGTERM, server.stop)
    gevent.signal_handler(signal.SIGINT, server.stop)
    log.info("LaySo đang chạy tại http://%s:%s (serving)", host, server.server_port)
    try:
        server.serve_forever()
    finally:
        timer.kill()
        workers.stop()
        ctx.db.forbidden_here = lambda: False
        ctx.db.dispose()
