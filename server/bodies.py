"""What each JSON request body of `/api/v1` may hold, written once.

The API reads every body through `read()`, and openapi.py shows the same definitions as
JSON Schemas (`schemas()`), so what the server accepts and what openapi.json promises
cannot drift apart. The rules, the same for every body:

- a body is an object holding only its own fields: an unknown one is refused by name;
- a required field is present and not null; an optional one may be left out or be null,
  both meaning its default;
- a whole number may be written 3 or 3.0 (JSON has one kind of number, and JSON Schema's
  "integer" is any number without a fraction); 3.5 is refused;
- text never holds NUL (PostgreSQL cannot store it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from layso.common.types import DEVICE_STATUSES
from layso.server.domain.errors import Invalid
from layso.server.messages import problem

Schema = dict[str, Any]

MAX_ID = 2 ** 53 - 1    # the largest id every database and every JSON reader holds exactly
NO_NUL = "^[^\\u0000]*$"


class Refused(ValueError):
    """A value not of its field's kind; `problem` says why (Vietnamese, English)."""

    def __init__(self, problem: tuple[str, str]):
        super().__init__(problem[1])
        self.problem = problem


@dataclass(frozen=True)
class Kind:
    """A kind of value: its JSON Schema, and how the server reads it (raises Refused)."""

    schema: Schema
    read: Callable[[Any], Any]


def _whole_number(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ID:
        raise Refused(problem("whole_number"))
    return value


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise Refused(problem("true_or_false"))
    return value


def text(shortest: int, longest: int, strip: bool = False) -> Kind:
    """A string of `shortest`–`longest` characters without NUL; stripped if `strip`."""
    schema: Schema = {"type": "string", "minLength": shortest, "maxLength": longest,
                      "pattern": NO_NUL}
    if shortest == 0:
        del schema["minLength"]
        wrong_length = problem("text_up_to", max=longest)
    else:
        wrong_length = problem("text_between", min=shortest, max=longest)

    def read(value: Any) -> str:
        if not isinstance(value, str) or not shortest <= len(value) <= longest:
            raise Refused(wrong_length)
        if "\x00" in value:
            raise Refused(problem("no_nul"))
        return value.strip() if strip else value

    return Kind(schema, read)


def one_of(choices: tuple[str, ...]) -> Kind:
    def read(value: Any) -> str:
        if not isinstance(value, str) or value not in choices:
            raise Refused(problem("one_of", choices=", ".join(choices)))
        return value

    return Kind({"enum": list(choices)}, read)


ID = Kind({"type": "integer", "minimum": 1, "maximum": MAX_ID}, _whole_number)
BOOLEAN = Kind({"type": "boolean"}, _boolean)


def _dossier_code(value: Any) -> str | None:
    """A dossier code (mã hồ sơ) as typed or scanned: printable ASCII, at most 64
    characters, trimmed; blank means none."""
    if not isinstance(value, str) or len(value) > 64 or not all(" " <= c <= "~" for c in value):
        raise Refused(problem("dossier_code"))
    return value.strip() or None


DOSSIER_CODE = Kind({"type": "string", "maxLength": 64, "pattern": "^[ -~]*$"}, _dossier_code)


def text_list(most: int, item: Kind) -> Kind:
    """A list of at most `most` values of kind `item`."""
    def read(value: Any) -> list:
        if not isinstance(value, list) or len(value) > most:
            raise Refused(problem("list_up_to", max=most))
        return [item.read(v) for v in value]

    return Kind({"type": "array", "maxItems": most, "items": item.schema}, read)


def _level_code(value: Any) -> str:
    if not isinstance(value, str) or not LEVEL_PATTERN.fullmatch(value):
        raise Refused(problem("level_code"))
    return value


# A rating level's code; which codes an office offers is its config ([[ratings.levels]]).
LEVEL_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
LEVEL = Kind({"type": "string", "pattern": f"^{LEVEL_PATTERN.pattern}$"}, _level_code)

REQUIRED: Any = object()


@dataclass(frozen=True)
class Field:
    kind: Kind
    default: Any = REQUIRED     # an optional field's value when left out or null
    description: str = ""

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def schema(self) -> Schema:
        schema = self.kind.schema if self.required else \
            {"anyOf": [self.kind.schema, {"type": "null"}]}
        if not self.required and self.default is not None:
            schema = {**schema, "default": self.default}
        if self.description:
            schema = {**schema, "description": self.description}
        return schema


@dataclass(frozen=True)
class Body:
    fields: dict[str, Field]

    @property
    def required(self) -> bool:
        """Whether a request must send a body at all (no body reads as {})."""
        return any(f.required for f in self.fields.values())

    def schema(self) -> Schema:
        return {"type": "object",
                "properties": {name: f.schema() for name, f in self.fields.items()},
                "required": [name for name, f in self.fields.items() if f.required],
                "additionalProperties": False}

    def read(self, data: dict) -> dict[str, Any]:
        """Every field's value by name (defaults filled in); 422 naming the first wrong one."""
        for name in data:
            if name not in self.fields:
                raise Invalid("invalid_field", field=name[:60],
                              problem=problem("unknown_field", names=", ".join(self.fields)))
        values = {}
        for name, f in self.fields.items():
            value = data.get(name)
            if value is None:
                if f.required:
                    raise Invalid("invalid_field", field=name, problem=problem("required"))
                values[name] = f.default
                continue
            try:
                values[name] = f.kind.read(value)
            except Refused as e:
                raise Invalid("invalid_field", field=name, problem=e.problem) from None
        return values


# By the name of their schema in openapi.json.
BODIES: dict[str, Body] = {
    "LoginRequest": Body({"username": Field(text(1, 200)), "password": Field(text(1, 200))}),
    "IssueRequest": Body({
        "service_id": Field(ID),
        "priority": Field(text(1, 16), default=None,
                          description="a priority category code of the office; null: none"),
    }),
    "CallTicketRequest": Body({"ticket_id": Field(ID)}),
    "TransferRequest": Body({
        "service_id": Field(ID),
        "keep_time": Field(BOOLEAN, default=True, description="keep its original place in line"),
    }),
    "PauseRequest": Body({"reason": Field(text(0, 200, strip=True), default="")}),
    "RatingRequest": Body({
        "level": Field(LEVEL, description="one of the office's [[ratings.levels]] codes"),
        "reasons": Field(text_list(12, text(1, 200)), default=[],
                         description="why, when unhappy (the office's [ratings] reasons)"),
        "status_page_code": Field(text(1, 64), default=None,
                                  description="the code of the ticket's /t/… page, when "
                                              "rating from it (then no token)"),
    }),
    "DoneRequest": Body({"dossier_code": Field(
        DOSSIER_CODE, default=None,
        description="mã hồ sơ, typed or scanned: kept with the ticket, in its ticket.done "
                    "event and in the reports' export; blank: none")}),
    "DeviceStatusRequest": Body({
        "status": Field(one_of(DEVICE_STATUSES)),
        "message": Field(text(0, 500), default="",
                         description="for people: the console and the display show it"),
    }),
}


def read(name: str, data: dict) -> dict[str, Any]:
    """The values of a request body of schema `name`; 422 naming the first wrong field."""
    return BODIES[name].read(data)


def schemas() -> dict[str, Schema]:
    return {name: body.schema() for name, body in BODIES.items()}
