"""The technician's PIN, with no widgets: set twice on a first start, checked afterwards,
and locked for a while after too many wrong tries (the kiosk stands in a public hall).

`TechnicianPin` answers each PIN typed with what to do next; the controller only shows
that. The clock is injected (like `KioskState`'s), so the lockout is tested by turning it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from layso.kiosk.settings import KioskSettings

PIN_TRIES = 5            # wrong PINs in a row before the pad locks
PIN_LOCK_S = 60.0        # ... for this long
TECHNICIAN_IDLE_S = 300.0  # technician pages left alone this long close by themselves


class PinMode(StrEnum):
    CHECK = "check"      # the technician types the PIN to get in
    NEW = "new"          # a first PIN is being set
    REPEAT = "repeat"    # ... and typed a second time


class PinResult(StrEnum):
    ASK = "ask"          # show the pad again with `prompt`
    PIN_SET = "pin_set"  # a new PIN is in the settings: save them
    GRANTED = "granted"  # the right PIN: open the settings


@dataclass(frozen=True)
class PinPrompt:
    mode: PinMode
    message_key: str = ""    # a kiosk message key saying why the pad asks again, or ""
    wait_s: int = 0          # with "pin_locked": whole seconds until the pad opens again


@dataclass(frozen=True)
class PinOutcome:
    result: PinResult
    prompt: PinPrompt | None = None


class TechnicianPin:
    """The PIN pad's rules. `settings` is the kiosk's (replace it when they are saved)."""

    def __init__(self, settings: KioskSettings, clock: Callable[[], float] = time.monotonic,
                 tries: int = PIN_TRIES, lock_s: float = PIN_LOCK_S,
                 idle_s: float = TECHNICIAN_IDLE_S) -> None:
        self.settings = settings
        self.clock = clock
        self.tries = tries
        self.lock_s = lock_s
        self.idle_s = idle_s
        self.mode = PinMode.CHECK if settings.has_pin else PinMode.NEW
        self.wrong = 0
        self._locked_until: float | None = None
        self._new_pin = ""
        self._asked_at = clock()

    # ---- what the pad shows ------------------------------------------------------
    @property
    def locked(self) -> bool:
        if self._locked_until is not None and self.clock() >= self._locked_until:
            self._locked_until, self.wrong = None, 0  # the wait is over: a fresh count
        return self._locked_until is not None

    def _lock_prompt(self) -> PinPrompt:
        assert self._locked_until is not None
        wait = max(1, math.ceil(self._locked_until - self.clock()))
        return PinPrompt(PinMode.CHECK, "pin_locked", wait)

    def begin(self) -> PinPrompt:
        """The technician held the corner (or the kiosk starts with no PIN): ask."""
        self._new_pin = ""
        self.mode = PinMode.CHECK if self.settings.has_pin else PinMode.NEW
        return self._ask(self._lock_prompt() if self.mode is PinMode.CHECK and self.locked
                         else PinPrompt(self.mode))

    def _ask(self, prompt: PinPrompt) -> PinPrompt:
        self.mode = prompt.mode
        self._asked_at = self.clock()
        return prompt

    def idle_expired(self) -> bool:
        """True when the pad or the settings were last opened longer ago than idle_s."""
        return self.clock() - self._asked_at > self.idle_s

    # ---- what the technician typed -------------------------------------------------
    def enter(self, pin: str) -> PinOutcome:
        if self.mode is PinMode.NEW:
            if not (pin.isdigit() and 4 <= len(pin) <= 8):
                return PinOutcome(PinResult.ASK, self._ask(PinPrompt(PinMode.NEW, "pin_new")))
            self._new_pin = pin
            return PinOutcome(PinResult.ASK, self._ask(PinPrompt(PinMode.REPEAT)))
        if self.mode is PinMode.REPEAT:
            if pin != self._new_pin:
                self._new_pin = ""
                return PinOutcome(PinResult.ASK,
                                  self._ask(PinPrompt(PinMode.NEW, "pin_mismatch")))
            self.settings.set_pin(pin)
            self._new_pin, self.mode = "", PinMode.CHECK
            self._asked_at = self.clock()
            return PinOutcome(PinResult.PIN_SET)
        if self.locked:  # not even checked: guessing must not go on while locked
            return PinOutcome(PinResult.ASK, self._ask(self._lock_prompt()))
        if self.settings.check_pin(pin):
            self.wrong = 0
            self._asked_at = self.clock()
            return PinOutcome(PinResult.GRANTED)
        self.wrong += 1
        if self.wrong >= self.tries:
            self._locked_until = self.clock() + self.lock_s
            return PinOutcome(PinResult.ASK, self._ask(self._lock_prompt()))
        return PinOutcome(PinResult.ASK, self._ask(PinPrompt(PinMode.CHECK, "pin_wrong")))
