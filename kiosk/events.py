"""The kiosk follows the server's event stream (layso.common.sse) to know it is online.

A citizen may be standing at the screen, so the kiosk tries again often: never more
than 3 s between attempts once the server is back.
"""

from __future__ import annotations

from collections.abc import Callable

from layso.common.sse import READ_TIMEOUT_S, ServerEvent
from layso.common.sse import EventStream as _EventStream

__all__ = ["EventStream", "ServerEvent"]

BACKOFF_S = (0.5, 1.0, 2.0, 3.0)
CONNECT_TIMEOUT_S = 3.0


class EventStream(_EventStream):
    """GET /events in a daemon thread, calling back (from that thread) on each happening."""

    def __init__(self, api_base: str, token: str,
                 on_event: Callable[[ServerEvent], None],
                 on_connected: Callable[[], None],
                 on_lost: Callable[[str], None],
                 read_timeout: float = READ_TIMEOUT_S,
                 on_refused: Callable[[str], None] | None = None) -> None:
        super().__init__(api_base, token, on_event, on_connected, on_lost,
                         on_refused=on_refused, backoff_s=BACKOFF_S, read_timeout_s=read_timeout,
                         connect_timeout_s=CONNECT_TIMEOUT_S, name="kiosk-events")

    def stop(self, timeout: float = 2.0) -> None:
        super().stop(timeout)
