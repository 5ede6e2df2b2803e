"""Where blocking work runs: a bounded pool of OS threads beside the gevent loop.

The loop (one OS thread) holds every connection and every event stream. Anything that
can wait — a database transaction, SQLite's busy wait, scrypt — runs in a pool thread,
so one slow request never freezes the kiosks, consoles and hall displays:

- `Workers.wsgi(app)` runs each whole request in a pool thread (the request body is
  read on the loop first; the answer is written by the loop), except event streams,
  which stay on the loop and send their own blocking calls through `run()`;
- `run(fn)` on the loop waits (cooperatively) for a pool thread, at most `wait_s`,
  then `ServerBusy`; called anywhere else it simply calls `fn`;
- `to_loop(fn)` hands a call to the loop from any thread, in call order (events
  published after a commit reach the streams this way).

Threads share one interpreter lock, so CPU-heavy requests would slow the light ones by
sharing it with them: each kind of request's CPU time is learnt, heavy kinds take turns
(`HEAVY_AT_ONCE`), and the lock's time slice is shortened while serving (`SWITCH_S`).

Until `start()` (the in-process test client, command-line tools) everything runs
inline in the calling thread. Locks shared between pool threads and the loop must be
real OS locks: `native_lock()`, `native_rlock()`.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from gevent.monkey import get_original

log = logging.getLogger("layso")

T = TypeVar("T")

THREADS = 24      # threads mostly wait (database, locks); the GIL bounds the CPU anyway
WAIT_S = 3.0      # the longest a request waits for a free thread before a 503
# A kind of read (method and path, ids left out) that has cost more CPU than this on
# average is heavy: at most HEAVY_AT_ONCE of those run at a time, so six consoles reading
# a long list share one core's worth of the interpreter and the rest stays for everyone.
HEAVY_CPU_S = 0.015
HEAVY_AT_ONCE = 1
HEAVY_WAIT_S = 15.0  # heavy ones queue for their turn; long, they are slow anyway
SWITCH_S = 0.001     # the GIL's time slice: short, so a light request waits less for it
_IDS = re.compile(r"\d+")
_get_ident: Callable[[], int] = get_original("_thread", "get_ident")


def native_lock() -> Any:
    """A real OS lock (also under gevent's monkey patching), for pool threads and loop."""
    return get_original("threading", "Lock")()


def native_rlock() -> Any:
    return get_original("threading", "RLock")()


class ServerBusy(Exception):
    """Every pool thread stayed busy for `wait_s`: answer 503 rather than queue forever."""


class Workers:
    def __init__(self, size: int = THREADS, wait_s: float = WAIT_S):
        self.size = size
        self.wait_s = wait_s
        self._pool: Any = None
        self._loop: Any = None
        self._slots: Any = None
        self._heavy: Any = None
        self._loop_thread: int | None = None
        self._cpu_s: dict[str, float] = {}  # kind of request → its average CPU time

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self) -> None:
        """Called on the loop's thread before serving."""
        from gevent import get_hub
        from gevent.lock import BoundedSemaphore
        from gevent.threadpool import ThreadPool

        hub = get_hub()
        self._loop = hub.loop
        self._pool = ThreadPool(self.size, hub=hub)
        self._slots = BoundedSemaphore(self.size)
        self._heavy = BoundedSemaphore(HEAVY_AT_ONCE)
        self._loop_thread = _get_ident()
        sys.setswitchinterval(SWITCH_S)

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.kill()
        self._pool = self._loop = self._slots = self._heavy = self._loop_thread = None

    def on_loop(self) -> bool:
        """True on the loop's thread while serving: blocking work must not run here."""
        return self._loop_thread is not None and _get_ident() == self._loop_thread

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` off the loop; the calling greenlet waits, the loop goes on."""
        if not self.on_loop():
            return fn(*args)
        if not self._slots.acquire(timeout=self.wait_s):
            raise ServerBusy()
        try:
            return self._pool.spawn(fn, *args).get()
        finally:
            self._slots.release()

    def to_loop(self, fn: Callable[..., Any], *args: Any) -> None:
        """Call `fn(*args)` on the loop soon (now, if this is the loop or nothing serves)."""
        loop = self._loop
        if loop is None or self.on_loop():
            fn(*args)
        else:
            loop.run_callback_threadsafe(fn, *args)

    def wsgi(self, app: Callable, stays_on_loop: Callable[[dict], bool],
             max_body: int, busy: Callable[[dict], tuple[str, list, bytes]]) -> Callable:
        """`app` as a WSGI callable whose requests run in pool threads.

        `stays_on_loop(environ)` picks requests that run on the loop (event streams);
        `busy(environ)` gives the answer when no thread came free in time.
        """
        def handle(environ: dict, start_response: Callable) -> Iterable[bytes]:
            if not self.started or stays_on_loop(environ):
                return app(environ, start_response)
            _read_body_here(environ, max_body)
            kind = f"{environ.get('REQUEST_METHOD')} {_IDS.sub('#', environ.get('PATH_INFO', ''))}"
            # Only reads take turns: a write must never queue behind the consoles' reads.
            heavy = environ.get("REQUEST_METHOD") in ("GET", "HEAD") and \
                self._cpu_s.get(kind, 0.0) > HEAVY_CPU_S
            try:
                if heavy and not self._heavy.acquire(timeout=HEAVY_WAIT_S):
                    raise ServerBusy()
                try:
                    status, headers, body, cpu_s = self.run(_whole_request, app, environ)
                finally:
                    if heavy:
                        self._heavy.release()
                self._learn(kind, cpu_s)
            except ServerBusy:
                status, headers, payload = busy(environ)
                body = [payload]
            start_response(status, headers)
            return body
        return handle

    def _learn(self, kind: str, cpu_s: float) -> None:
        """Keep each kind's average CPU time (on the loop; a bounded table)."""
        if kind not in self._cpu_s and len(self._cpu_s) >= 2000:
            self._cpu_s.clear()  # made-up paths cannot grow it without bound
        before = self._cpu_s.get(kind, cpu_s)
        self._cpu_s[kind] = before + 0.3 * (cpu_s - before)


def _read_body_here(environ: dict, max_body: int) -> None:
    """The request body from the socket, on the loop (a pool thread cannot use it)."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return
    try:
        declared = int(environ.get("CONTENT_LENGTH") or -1)
    except ValueError:
        declared = -1
    if declared > max_body:
        data = b""   # the app answers 413 from the declared length without reading
    else:
        data = stream.read(max_body + 1) if declared < 0 else stream.read(declared)
        environ["CONTENT_LENGTH"] = str(len(data))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ["wsgi.input"] = io.BytesIO(data)
    environ["wsgi.input_terminated"] = True


def _whole_request(app: Callable, environ: dict) -> tuple[str, list, list[bytes], float]:
    """Run the app and read its whole answer, in a pool thread; and the CPU it took."""
    started = time.thread_time()
    answer: list = []
    body: list[bytes] = []  # what the legacy write() callable is given comes first

    def start_response(status: str, headers: list, exc_info: Any = None) -> Callable:
        answer[:] = [status, headers]
        return body.append

    result = app(environ, start_response)
    try:
        body.extend(bytes(chunk) for chunk in result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return answer[0], answer[1], body, time.thread_time() - started


def json_error(status: str, code: str, message: str, retry_after_s: int) -> tuple[str, list, bytes]:
    """A `{"error": {...}}` answer built outside Flask (the loop has no app context)."""
    payload = json.dumps({"error": {"code": code, "message": message}},
                         ensure_ascii=False).encode("utf-8")
    return status, [("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
                    ("Retry-After", str(retry_after_s))], payload
