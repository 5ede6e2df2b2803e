"""Failed logins, counted in memory per client address and per (address, typed name).

Each key may fail a few times freely; after that every further attempt must wait twice
as long as the one before (1 s, 2 s, 4 s … at most a minute) after its last failure,
and a quiet quarter of an hour forgets the key. Keys use the name as typed, existing or
not, so a refusal says nothing about which names exist; and no account is locked for
everyone, so a flood from one computer cannot lock the admin out at another.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from layso.server.workers import native_lock

FREE_PER_NAME = 5        # failures of one name from one address before the back-off
FREE_PER_ADDRESS = 20    # failures of any names from one address before the back-off
MAX_WAIT_S = 60.0
FORGET_S = 15 * 60.0
KEY_LIMIT = 20_000       # a flood of made-up names cannot grow memory without bound


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = monotonic):
        self._clock = clock
        self._lock = native_lock()
        self._failures: dict[tuple, tuple[int, float]] = {}  # key → (count, last at)

    @staticmethod
    def _keys(address: str, username: str) -> tuple[tuple[tuple, int], ...]:
        return (("address", address), FREE_PER_ADDRESS), (("name", address, username),
                                                          FREE_PER_NAME)

    def _wait(self, key: tuple, free: int, now: float) -> float:
        count, last = self._failures.get(key, (0, now))
        if now - last > FORGET_S:
            self._failures.pop(key, None)
            return 0.0
        if count < free:
            return 0.0
        return max(0.0, last + min(MAX_WAIT_S, 2.0 ** (count - free)) - now)

    def attempt(self, address: str, username: str) -> float:
        """0 and the attempt counts as failed until `succeeded()`; or the seconds to wait.

        Counting before the password check means parallel attempts cannot slip past.
        """
        now = self._clock()
        with self._lock:
            keys = self._keys(address, username)
            wait = max(self._wait(key, free, now) for key, free in keys)
            if wait > 0:
                return wait
            if len(self._failures) >= KEY_LIMIT:
                self._forget_old(now)
            for key, _free in keys:
                count, _last = self._failures.get(key, (0, now))
                self._failures[key] = (count + 1, now)
            return 0.0

    def succeeded(self, address: str, username: str) -> None:
        """The attempt was right: the name starts afresh, the address gets its try back."""
        with self._lock:
            (address_key, _), (name_key, _) = self._keys(address, username)
            self._failures.pop(name_key, None)
            count, last = self._failures.get(address_key, (1, 0.0))
            if count <= 1:
                self._failures.pop(address_key, None)
            else:
                self._failures[address_key] = (count - 1, last)

    def _forget_old(self, now: float) -> None:
        self._failures = {k: v for k, v in self._failures.items() if now - v[1] <= FORGET_S}
        if len(self._failures) >= KEY_LIMIT:  # still full: keep the newest half
            newest = sorted(self._failures.items(), key=lambda kv: kv[1][1])[KEY_LIMIT // 2:]
            self._failures = dict(newest)
