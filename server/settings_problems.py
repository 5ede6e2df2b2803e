"""What a refused setting says: the key and one problem, in Vietnamese then English.

The words of every settings mistake live here, once. The config loader prints them
after the file name (`layso.toml: services[2].prefix: … (…)`) and the admin pages show
the same words next to the form field, so a mistake reads alike in both places.

The schema (`server.settings`) raises `problem(...)` from its own checks; pydantic's
built-in refusals (a missing key, an unknown key, a wrong type) are turned into the
same kind of message by `first_problem`.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from datetime import time
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

PROBLEMS: dict[str, tuple[str, str]] = {
    "missing": ("bắt buộc, chưa có", "required, missing"),
    "few": ("chưa có; cần ít nhất một bảng [[{name}]]",
            "missing; add at least one [[{name}]] table"),
    "many": ("nhiều nhất {limit} mục, đang có {count}", "at most {limit} entries, not {count}"),
    "unknown_key": ("khóa không dùng được; các khóa dùng được: {known}",
                    "unknown key; expected one of {known}"),
    "unknown_key_guess": ("khóa không dùng được; có phải là {guess}?",
                          "unknown key; did you mean {guess}?"),
    "no_keys": ("khóa không dùng được ở đây", "unknown key; this table takes no keys"),
    "whole": ("phải là số nguyên, không phải {shown}", "must be a whole number, not {shown}"),
    "text": ("phải là chữ trong dấu ngoặc kép, không phải {shown}",
             "must be text in quotes, not {shown}"),
    "bool": ("phải là true hoặc false, không phải {shown}", "must be true or false, not {shown}"),
    "list": ("phải là danh sách […], không phải {shown}", "must be a list […], not {shown}"),
    "table": ("phải là bảng {table}, không phải {shown}", "must be a table {table}, not {shown}"),
    "choice": ("phải là {expected_vi}, không phải {shown}", "must be {expected}, not {shown}"),
    "range": ("phải từ {low} đến {high}, không phải {shown}",
              "must be from {low} to {high}, not {shown}"),
    "blank": ("không được để trống", "must not be empty"),
    "too_long": ("tối đa {limit} ký tự, đang có {length}",
                 "at most {limit} characters, not {length}"),
    "code": ("1–16 chữ cái không dấu, chữ số, - hoặc _, không phải {shown}",
             "1–16 letters, digits, - or _, not {shown}"),
    "office_code": ("1–40 chữ thường không dấu, chữ số, - hoặc _, không phải {shown}",
                    "1–40 lower-case letters, digits, - or _, not {shown}"),
    "prefix": ("tối đa 3 chữ cái không dấu hoặc chữ số, không phải {shown}",
               "at most 3 letters or digits, not {shown}"),
    "clock": ('phải là giờ dạng "07:30", không phải {shown}',
              'must be a time of day like "07:30", not {shown}'),
    "closing": ("phải sau giờ bắt đầu {opening}", "must be after the opening time {opening}"),
    "timezone": ('không có múi giờ {shown}; ví dụ "Asia/Ho_Chi_Minh"',
                 'unknown time zone {shown}; e.g. "Asia/Ho_Chi_Minh"'),
    "start_width": ("số bắt đầu {start} không vừa {width} chữ số: tối đa {top}",
                    "start {start} does not fit in {width} digits: at most {top}"),
    "token": ("cần từ 16 ký tự trở lên, một chuỗi ngẫu nhiên dài",
              "must be at least 16 characters, a long random string"),
    "template_needs": ("phải có {{number}} và {{counter}}",
                       "must contain {{number}} and {{counter}}"),
    "template_unknown": ("chỉ được dùng {{number}} và {{counter}}, không có {{{name}}}",
                         "only {{number}} and {{counter}} may be used, not {{{name}}}"),
    "status_url_removed": ("đã bỏ: mã QR trên phiếu dẫn tới trang trạng thái riêng của phiếu; "
                           "nếu điện thoại cần địa chỉ khác, đặt [server] public_url",
                           "removed: the QR carries the ticket's own status page; "
                           "set [server] public_url if phones need another address"),
    "public_url": ('phải là địa chỉ dạng "http://192.168.1.10:8080", không phải {shown}',
                   'must be an address like "http://192.168.1.10:8080", not {shown}'),
    "level_code": ("chữ thường không dấu, chữ số hoặc _, bắt đầu bằng chữ, tối đa 32, "
                   "không phải {shown}",
                   "lower-case letters, digits or _, starting with a letter, at most 32, "
                   "not {shown}"),
    "braces": ("dấu ngoặc nhọn {{ }} không khớp", "unbalanced curly braces {{ }}"),
    "duplicate": ("{shown} đã có ở {other}; không được trùng",
                  "{shown} is already used by {other}"),
    "duplicate_token": ("trùng mã với {other}; mỗi thiết bị một mã riêng",
                        "same token as {other}; each device needs its own"),
    "unknown_service": ("không có lĩnh vực mã {shown}", "no service with code {shown}"),
    "pick_service": ("chọn ít nhất một lĩnh vực", "pick at least one service"),
    "clash": ("trùng số với lĩnh vực {other}: cả hai đều có thể in số {number}; "
              "hãy đổi tiền tố, số chữ số, số bắt đầu hoặc tối đa mỗi ngày",
              "numbers would repeat with {other}: both can print {number}; "
              "change the prefix, width, start or daily cap"),
    "invalid": ("giá trị không dùng được: {detail}", "invalid value: {detail}"),
}


class SettingsError(ValueError):
    """One refused setting: where (`services[2].prefix`) and why, in both languages."""

    def __init__(self, key: str, vi: str, en: str):
        super().__init__(f"{key}: {vi} ({en})")
        self.key, self.vi, self.en = key, vi, en

    @property
    def field(self) -> str:
        """The key's last name (`prefix`): what an admin form calls the input."""
        return self.key.rsplit(".", 1)[-1].split("[", 1)[0]


def words(kind: str, /, **values: object) -> tuple[str, str]:
    """The problem `kind` in Vietnamese and in English, filled in."""
    vi, en = PROBLEMS[kind]
    return vi.format(**values), en.format(**values)


def problem(kind: str, /, at: tuple = (), **values: object) -> PydanticCustomError:
    """Raise inside a validator: the schema's refusal, `at` naming a key below the model."""
    vi, en = words(kind, **values)
    return PydanticCustomError("layso", "{en}", {"vi": vi, "en": en, "at": at})


def shown(value: object) -> str:
    """A value as the config file would spell it, short enough for one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value if len(value) <= 40 else value[:39] + "…", ensure_ascii=False)
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, dict):
        return "{…}"
    if isinstance(value, list | tuple):
        return "[…]"
    if isinstance(value, int) and not -10 ** 24 < value < 10 ** 24:
        return f"{str(value)[:20]}…"
    return str(value)


def key_of(loc: tuple) -> str:
    """("services", 2, "prefix") → "services[2].prefix"."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def first_problem(error: ValidationError, model: type[BaseModel]) -> SettingsError:
    """The first thing wrong, as one key and one problem (pydantic may find several)."""
    found = error.errors(include_url=False)[0]
    ctx = found.get("ctx") or {}
    loc = tuple(found["loc"]) + tuple(ctx.get("at", ()))
    if found["type"] == "layso":
        return SettingsError(key_of(loc), ctx["vi"], ctx["en"])
    vi, en = _builtin(found, loc, model)
    return SettingsError(key_of(loc), vi, en)


def error_loc(error: ValidationError) -> tuple:
    found = error.errors(include_url=False)[0]
    return tuple(found["loc"]) + tuple((found.get("ctx") or {}).get("at", ()))


_TYPES = {"int_type": "whole", "int_parsing": "whole", "int_from_float": "whole",
          "string_type": "text", "bool_type": "bool", "bool_parsing": "bool",
          "list_type": "list", "tuple_type": "list"}


def _builtin(found: dict, loc: tuple, model: type[BaseModel]) -> tuple[str, str]:
    kind, value, ctx = found["type"], found.get("input"), found.get("ctx") or {}
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if kind == "missing":
        if _is_list(_annotation_at(model, loc)):
            return words("few", name=name)
        return words("missing")
    if kind == "extra_forbidden":
        known = sorted(_fields_at(model, loc[:-1]))
        if not known:
            return words("no_keys")
        guess = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        if guess:
            return words("unknown_key_guess", guess=guess[0])
        return words("unknown_key", known=", ".join(known))
    if kind in _TYPES:
        return words(_TYPES[kind], shown=shown(value))
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        in_array = len(loc) > 1 and isinstance(loc[-1], int)
        table = f"[[{loc[-2]}]]" if in_array else f"[{key_of(loc)}]"
        return words("table", table=table, shown=shown(value))
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", '"')
        return words("choice", expected=expected, expected_vi=expected.replace(" or ", " hoặc "),
                     shown=shown(value))
    if kind == "too_short":
        return words("few", name=name)
    if kind == "too_long":
        return words("many", limit=ctx.get("max_length"), count=ctx.get("actual_length"))
    return words("invalid", detail=found.get("msg", kind))


def _inner(annotation: Any) -> list[Any]:
    """The types inside list[X], X | None, Annotated[X, ...]."""
    origin = typing.get_origin(annotation)
    if origin is None:
        return [annotation]
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    out = [annotation]
    if origin in (list, tuple, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            out.extend(_inner(arg))
    return out


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for t in _inner(annotation):
        if isinstance(t, type) and issubclass(t, BaseModel):
            return t
    return None


def _is_list(annotation: Any) -> bool:
    return any(typing.get_origin(t) is list for t in _inner(annotation))


def _annotation_at(model: type[BaseModel], loc: tuple) -> Any:
    """The declared type of the key at `loc` (list indexes skipped), or None."""
    owner: type[BaseModel] | None = model
    annotation: Any = None
    for part in loc:
        if isinstance(part, int):
            continue
        if owner is None or part not in owner.model_fields:
            return None
        annotation = owner.model_fields[part].annotation
        owner = _model_in(annotation)
    return annotation


def _fields_at(model: type[BaseModel], loc: tuple) -> set[str]:
    """The keys the table at `loc` takes."""
    inner = _model_in(_annotation_at(model, loc)) if loc else model
    return set(inner.model_fields) if inner is not None else set()
