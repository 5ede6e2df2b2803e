"""Reading HTML form fields into typed values; a bad one is a 422 naming the field."""

from __future__ import annotations

import unicodedata

from werkzeug.datastructures import MultiDict

from layso.server.admin import refuse


def text(form: MultiDict, name: str, limit: int = 200) -> str:
    value = unicodedata.normalize("NFC", form.get(name, "")).strip()
    if len(value) > limit:
        raise refuse(name, f"tối đa {limit} ký tự", f"at most {limit} characters")
    return value


def integer(form: MultiDict, name: str, optional: bool = False) -> int | None:
    raw = form.get(name, "").strip()
    if not raw and optional:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise refuse(name, "phải là số nguyên", "must be a whole number") from None
    if not -(2 ** 31) < value < 2 ** 31:
        raise refuse(name, "số quá lớn", "number too large")
    return value


def required_int(form: MultiDict, name: str) -> int:
    value = integer(form, name)
    assert value is not None  # integer() raises for a missing required value
    return value


def checkbox(form: MultiDict, name: str) -> bool:
    return form.get(name) in ("on", "1", "true")


def ids(form: MultiDict, name: str) -> list[int]:
    """Ticked checkboxes that carry row ids."""
    out = []
    for raw in form.getlist(name):
        if not raw.isdigit():
            raise refuse(name, "mã không hợp lệ", "bad id")
        out.append(int(raw))
    return out
