"""The TOML config file: read, check, and turn into plain objects.

A bad file stops start-up with one message that names the file, the key and the
problem, e.g. `layso.toml: services[2].prefix: must be text of at most 3 characters`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from layso.common.types import ROLES_DEVICE, ROLES_USER  # noqa: F401  (re-exported)

BUNDLED_CONFIG = Path(__file__).resolve().parent.parent / "config" / "layso.toml"


DEFAULT_CATEGORIES = (
    ("NCT", "Người cao tuổi (từ 75 tuổi)"),
    ("NKT", "Người khuyết tật"),
    ("PNMT", "Phụ nữ mang thai, người có con dưới 6 tuổi"),
    ("NCC", "Người có công với cách mạng"),
)
DEFAULT_TEMPLATE = "Xin mời công dân có số thứ tự {number} đến quầy số {counter}"


class ConfigError(Exception):
    """The config file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class OfficeConfig:
    code: str
    name: str
    unit: str
    timezone: str
    opening: time
    closing: time | None


@dataclass(frozen=True)
class ServiceConfig:
    code: str
    name: str
    prefix: str
    start: int = 1
    width: int = 3
    daily_cap: int | None = None
    cutoff: time | None = None
    open: bool = True


@dataclass(frozen=True)
class CounterConfig:
    number: int
    name: str
    services: tuple[str, ...]


@dataclass(frozen=True)
class DeviceConfig:
    name: str
    role: str
    token: str


@dataclass(frozen=True)
class PolicyConfig:
    priority_run: int = 2
    max_wait_minutes: int = 0
    service_minutes: int = 8


@dataclass(frozen=True)
class Config:
    path: Path
    office: OfficeConfig
    services: tuple[ServiceConfig, ...]
    counters: tuple[CounterConfig, ...]
    devices: tuple[DeviceConfig, ...] = ()
    priority_categories: tuple[tuple[str, str], ...] = DEFAULT_CATEGORIES
    policy: PolicyConfig = PolicyConfig()
    announcement: dict[str, Any] = field(default_factory=dict)
    ticket: dict[str, Any] = field(default_factory=dict)
    display: dict[str, Any] = field(default_factory=dict)
    database_url: str | None = None


def config_path(explicit: str | os.PathLike | None) -> Path:
    """--config, else $LAYSO_CONFIG, else the bundled file."""
    if explicit:
        return Path(explicit)
    if os.environ.get("LAYSO_CONFIG"):
        return Path(os.environ["LAYSO_CONFIG"])
    return BUNDLED_CONFIG


def load_config(path: str | os.PathLike | None = None) -> Config:
    path = config_path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: không tìm thấy tệp cấu hình (config file not found)") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: tệp không phải UTF-8 (file is not UTF-8 text)") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: lỗi cú pháp TOML (TOML syntax error): {e}") from None
    return parse_config(raw, path)


def parse_config(raw: dict[str, Any], path: Path) -> Config:
    r = _Reader(path)
    known_top = {"database_url", "office", "policy", "announcement", "ticket", "display",
                 "priority_categories", "services", "counters", "devices",
                 "server", "ratings"}  # these two: server/public_settings.py
    for key in raw:
        if key not in known_top:
            r.fail(key, f"unknown key; expected one of {', '.join(sorted(known_top))}")

    office_t = r.table(raw, "office", required=True)
    tz = r.text(office_t, "office.timezone", default="Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        r.fail("office.timezone", f"unknown time zone {tz!r}")
    office = OfficeConfig(
        code=r.text(office_t, "office.code", default="office", pattern=r"[a-z0-9][a-z0-9_-]{0,39}"),
        name=r.text(office_t, "office.name"),
        unit=r.text(office_t, "office.unit", default="Trung tâm Phục vụ hành chính công"),
        timezone=tz,
        opening=r.clock(office_t, "office.opening", default="07:30"),
        closing=r.clock(office_t, "office.closing", default=None),
    )

    services = []
    for i, t in enumerate(r.array(raw, "services", required=True)):
        key = f"services[{i}]"
        services.append(ServiceConfig(
            code=r.text(t, f"{key}.code", pattern=r"[A-Za-z0-9_-]{1,16}"),
            name=r.text(t, f"{key}.name"),
            prefix=r.text(t, f"{key}.prefix", default="", pattern=r"[A-Za-z0-9]{0,3}"),
            start=r.integer(t, f"{key}.start", default=1, low=0),
            width=r.integer(t, f"{key}.width", default=3, low=1, high=6),
            daily_cap=r.integer(t, f"{key}.daily_cap", default=None, low=1),
            cutoff=r.clock(t, f"{key}.cutoff", default=None),
            open=r.boolean(t, f"{key}.open", default=True),
        ))
        r.only(t, key, {"code", "name", "prefix", "start", "width", "daily_cap", "cutoff", "open"})
    r.unique([s.code for s in services], "services", "code")
    for i, s in enumerate(services):
        if s.start >= 10 ** s.width:
            r.fail(f"services[{i}].start", f"{s.start} does not fit in width {s.width}")

    codes = {s.code for s in services}
    counters = []
    for i, t in enumerate(r.array(raw, "counters", required=True)):
        key = f"counters[{i}]"
        served = r.text_list(t, f"{key}.services")
        for code in served:
            if code not in codes:
                r.fail(f"{key}.services", f"unknown service code {code!r}")
        counters.append(CounterConfig(
            number=r.integer(t, f"{key}.number", low=1, high=999),
            name=r.text(t, f"{key}.name", default=f"Quầy {t.get('number')}"),
            services=tuple(served),
        ))
        r.only(t, key, {"number", "name", "services"})
    r.unique([c.number for c in counters], "counters", "number")

    devices = []
    for i, t in enumerate(r.array(raw, "devices")):
        key = f"devices[{i}]"
        role = r.text(t, f"{key}.role")
        if role not in ROLES_DEVICE:
            r.fail(f"{key}.role", f"must be one of {', '.join(ROLES_DEVICE)}, not {role!r}")
        token = r.text(t, f"{key}.token")
        if len(token) < 16:
            r.fail(f"{key}.token", "must be at least 16 characters (a long random string)")
        devices.append(DeviceConfig(name=r.text(t, f"{key}.name"), role=role, token=token))
    r.unique([d.name for d in devices], "devices", "name")
    r.unique([d.token for d in devices], "devices", "token")

    categories = []
    cat_tables = r.array(raw, "priority_categories")
    for i, t in enumerate(cat_tables):
        key = f"priority_categories[{i}]"
        categories.append((r.text(t, f"{key}.code", pattern=r"[A-Za-z0-9_-]{1,16}"),
                           r.text(t, f"{key}.name")))
    r.unique([c for c, _ in categories], "priority_categories", "code")

    policy_t = r.table(raw, "policy")
    policy = PolicyConfig(
        priority_run=r.integer(policy_t, "policy.priority_run", default=2, low=0, high=100),
        max_wait_minutes=r.integer(policy_t, "policy.max_wait_minutes", default=0, low=0),
        service_minutes=r.integer(policy_t, "policy.service_minutes", default=8, low=1, high=600),
    )

    announcement = dict(r.table(raw, "announcement"))
    announcement.setdefault("template", DEFAULT_TEMPLATE)
    template = r.text(announcement, "announcement.template")
    if "{number}" not in template or "{counter}" not in template:
        r.fail("announcement.template", "must contain {number} and {counter}")
    announcement["repeat"] = r.integer(announcement, "announcement.repeat", default=2, low=1, high=5)
    _check_speech(r, announcement)

    ticket = dict(r.table(raw, "ticket"))
    r.text(ticket, "ticket.footer", default="", allow_empty=True)
    if "status_url" in ticket:
        r.fail("ticket.status_url", "removed: the QR carries the ticket's own status page; "
                                    "set [server] public_url if phones need another address")
    display = dict(r.table(raw, "display"))
    r.text(display, "display.notice", default="", allow_empty=True)

    database_url = raw.get("database_url")
    if database_url is not None:
        database_url = r.text(raw, "database_url")

    return Config(
        path=path, office=office, services=tuple(services), counters=tuple(counters),
        devices=tuple(devices),
        priority_categories=tuple(categories) if cat_tables else DEFAULT_CATEGORIES,
        policy=policy, announcement=announcement, ticket=ticket, display=display,
        database_url=database_url,
    )


def _check_speech(r: _Reader, table: dict[str, Any]) -> None:
    try:
        from layso.common.speech import SpeechOptions
    except ImportError:  # the speech module lands separately; its own checks apply then
        return
    try:
        SpeechOptions.from_config(table)
    except ValueError as e:
        r.fail("announcement", str(e))


_MISSING = object()


class _Reader:
    """Typed look-ups that raise ConfigError naming the file and key."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, problem: str) -> None:
        raise ConfigError(f"{self.path}: {key}: {problem}")

    def table(self, parent: dict, key: str, required: bool = False) -> dict:
        name = key.rsplit(".", 1)[-1]
        value = parent.get(name)
        if value is None:
            if required:
                self.fail(key, "missing table")
            return {}
        if not isinstance(value, dict):
            self.fail(key, "must be a table ([" + key + "])")
        return value

    def array(self, parent: dict, key: str, required: bool = False) -> list[dict]:
        value = parent.get(key)
        if value is None:
            if required:
                self.fail(key, f"missing; add at least one [[{key}]] table")
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, f"must be an array of tables ([[{key}]])")
        if required and not value:
            self.fail(key, f"add at least one [[{key}]] table")
        return value

    def _get(self, parent: dict, key: str, default: Any) -> Any:
        name = key.rsplit(".", 1)[-1]
        if name in parent:
            return parent[name]
        if default is _MISSING:
            self.fail(key, "missing")
        return default

    def text(self, parent: dict, key: str, default: Any = _MISSING, pattern: str | None = None,
             allow_empty: bool = False) -> Any:
        value = self._get(parent, key, default)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, f"must be text in quotes, not {type(value).__name__}")
        if not value.strip() and not allow_empty and pattern is None:
            self.fail(key, "must not be empty")
        if pattern is not None and not re.fullmatch(pattern, value):
            self.fail(key, f"{value!r} does not match {pattern}")
        return value

    def text_list(self, parent: dict, key: str) -> list[str]:
        value = self._get(parent, key, _MISSING)
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            self.fail(key, 'must be a non-empty list of service codes, e.g. ["TP", "DD"]')
        return value

    def integer(self, parent: dict, key: str, default: Any = _MISSING, low: int | None = None,
                high: int | None = None) -> Any:
        value = self._get(parent, key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, f"must be a whole number, not {value!r}")
        if low is not None and value < low:
            self.fail(key, f"must be at least {low}, not {value}")
        if high is not None and value > high:
            self.fail(key, f"must be at most {high}, not {value}")
        return value

    def boolean(self, parent: dict, key: str, default: bool) -> bool:
        value = self._get(parent, key, default)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, not {value!r}")
        return value

    def clock(self, parent: dict, key: str, default: str | None) -> time | None:
        value = self._get(parent, key, default)
        if value is None:
            return None
        if isinstance(value, time):
            return value
        if not isinstance(value, str) or not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            self.fail(key, f'must be a time of day like "07:30", not {value!r}')
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))

    def unique(self, values: list, key: str, what: str) -> None:
        seen = set()
        for v in values:
            if v in seen:
                self.fail(key, f"{what} {v!r} appears twice")
            seen.add(v)

    def only(self, table: dict, key: str, allowed: set[str]) -> None:
        for name in table:
            if name not in allowed:
                self.fail(f"{key}.{name}", f"unknown key; expected one of {', '.join(sorted(allowed))}")

