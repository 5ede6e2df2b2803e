"""Reading HTML form fields into plain values; the settings schema then checks them.

Only what a browser cannot send typed is decided here (text into a whole number), with
the schema's own words; lengths and bounds are the schema's (`server.settings`).
"""

from __future__ import annotations

import re
import unicodedata

from werkzeug.datastructures import MultiDict

from layso.server.admin import refuse
from layso.server.settings_problems import shown, words

GUARD = 2000  # characters: more than any setting allows, refused before the schema sees it
WHOLE = re.compile(r"-?[0-9]{1,1000}")


def text(form: MultiDict, name: str, limit: int = GUARD) -> str:
    value = unicodedata.normalize("NFC", form.get(name, "")).strip()
    if len(value) > limit:
        raise refuse(name, *words("too_long", limit=limit, length=len(value)))
    return value


def integer(form: MultiDict, name: str, optional: bool = False) -> int | None:
    """A whole number as typed; "" is None when optional (the schema decides if allowed)."""
    raw = form.get(name, "").strip()
    if not raw and optional:
        return None
    if not WHOLE.fullmatch(raw):
        raise refuse(name, *words("whole", shown=shown(raw)))
    return int(raw)


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
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 15:
            raise refuse(name, "mã không hợp lệ", "bad id")
        out.append(int(raw))
    return out
