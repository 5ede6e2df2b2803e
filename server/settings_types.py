"""The building blocks of the settings schema: bounded text and numbers, times of day.

Each builder puts its bound in the type, once: the check refuses a value beyond it with
the words of `server.settings_problems`, and `bounds(model)` reads it back for what shows
it (the admin forms' min, max and maxlength).
"""

from __future__ import annotations

import re
import typing
import unicodedata
from dataclasses import dataclass
from datetime import time
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    PlainSerializer,
    PlainValidator,
)

from layso.server.settings_problems import problem, shown


@dataclass(frozen=True)
class Bounds:
    """A key's bounds, for what shows them (the admin forms' min/max/maxlength)."""

    low: int | None = None
    high: int | None = None
    longest: int | None = None


def bounds(model: type[BaseModel]) -> dict[str, Bounds]:
    """The bounds of each key of `model` that has some, from the types above."""
    return {name: found for name, info in model.model_fields.items()
            if (found := _bounds_in(info.annotation, info.metadata)) is not None}


def _bounds_in(annotation: Any, metadata: list) -> Bounds | None:
    for item in metadata:
        if isinstance(item, Bounds):
            return item
    if typing.get_origin(annotation) is Annotated:
        return _bounds_in(typing.get_args(annotation)[0], list(annotation.__metadata__))
    for arg in typing.get_args(annotation):
        found = _bounds_in(arg, [])
        if found is not None:
            return found
    return None


def nfc(value: object) -> object:
    """Text in NFC (one spelling of each Vietnamese letter); other values as they are."""
    return unicodedata.normalize("NFC", value) if isinstance(value, str) else value


def text(limit: int, blank: bool = False) -> Any:
    """Text of at most `limit` characters (NFC); empty or only spaces only if `blank`."""
    def check(value: str) -> str:
        if not blank and not value.strip():
            raise problem("blank")
        if len(value) > limit:
            raise problem("too_long", limit=limit, length=len(value))
        return value
    return Annotated[str, BeforeValidator(nfc), AfterValidator(check), Bounds(longest=limit)]


def shaped(pattern: str, what: str, longest: int) -> Any:
    """Text matching `pattern` in full; refused with the problem `what`."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise problem(what, shown=shown(value))
        return value
    return Annotated[str, BeforeValidator(nfc), AfterValidator(check), Bounds(longest=longest)]


def whole(low: int, high: int) -> Any:
    """A whole number from `low` to `high` (true/false and 2.0 are not numbers)."""
    def check(value: int) -> int:
        if not low <= value <= high:
            raise problem("range", low=low, high=high, shown=shown(value))
        return value
    return Annotated[int, AfterValidator(check), Bounds(low, high)]


def _clock(value: object) -> time:
    if isinstance(value, time) and value.tzinfo is None and not value.second \
            and not value.microsecond:
        return value
    if isinstance(value, str) and re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", value):
        return time(int(value[:2]), int(value[3:]))
    raise problem("clock", shown=shown(value))


def clock_text(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


# A time of day: "07:30" in the file and the forms (or a TOML time), stored as "07:30".
Clock = Annotated[time, PlainValidator(_clock), PlainSerializer(clock_text, when_used="json")]


class Section(BaseModel):
    """One table of settings: unknown keys refused, types exact, values frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def unique(rows: list[BaseModel], table: str, key: str) -> None:
    seen: dict[object, int] = {}
    for i, row in enumerate(rows):
        value = getattr(row, key)
        if value in seen:
            raise problem("duplicate", at=(table, i, key), shown=shown(value),
                          other=f"{table}[{seen[value]}]")
        seen[value] = i
