"""The config keys of the reports, the rating devices and the status page, in one place.

    [server]
    public_url = "http://192.168.1.10:8080"   # base of the QR's status_url; default: the
                                              # address the request came to
    [office]
    kind = "rural"                            # urban | rural | remote → 1,600 / 1,200 / 800
    norm = 1200                               # optional: the province's own norm
    [ratings]
    timeout_s = 20                            # the rating tablet goes back to idle
    reasons = ["Chờ lâu", ...]                # offered when the level is unhappy
    [[ratings.levels]]
    code = "very_satisfied"
    name = "Rất hài lòng"
    name_en = "Very satisfied"
    unhappy = false

Read from the same TOML file as server/config.py, with the same kind of message (file,
key, problem). When the typed settings schema of the whole file lands, these models
move into it unchanged.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from layso.server.config import Config, ConfigError

NORMS = {"urban": 1600, "rural": 1200, "remote": 800}   # dossiers per staff per year
DEFAULT_REASONS = ("Chờ lâu", "Hướng dẫn chưa rõ", "Thái độ chưa tốt", "Giải quyết chậm")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RatingLevel(_Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")
    name: str = Field(min_length=1, max_length=60)
    name_en: str = Field(default="", max_length=60)
    unhappy: bool = False


DEFAULT_LEVELS = (
    RatingLevel(code="very_satisfied", name="Rất hài lòng", name_en="Very satisfied"),
    RatingLevel(code="satisfied", name="Hài lòng", name_en="Satisfied"),
    RatingLevel(code="unsatisfied", name="Không hài lòng", name_en="Not satisfied",
                unhappy=True),
)


class RatingSettings(_Strict):
    levels: tuple[RatingLevel, ...] = Field(default=DEFAULT_LEVELS, min_length=2,
                                            max_length=6)
    reasons: tuple[str, ...] = Field(default=DEFAULT_REASONS, max_length=12)
    timeout_s: int = Field(default=20, ge=5, le=600)

    @field_validator("levels")
    @classmethod
    def _codes_once(cls, levels: tuple[RatingLevel, ...]) -> tuple[RatingLevel, ...]:
        codes = [level.code for level in levels]
        if len(set(codes)) != len(codes):
            raise ValueError("a level code appears twice")
        return levels

    @field_validator("reasons")
    @classmethod
    def _short_reasons(cls, reasons: tuple[str, ...]) -> tuple[str, ...]:
        if any(not r.strip() or len(r) > 80 for r in reasons):
            raise ValueError("each reason must be 1–80 characters")
        return reasons

    def level(self, code: str) -> RatingLevel | None:
        return next((level for level in self.levels if level.code == code), None)


class ServerSettings(_Strict):
    public_url: str | None = Field(default=None, pattern=r"^https?://[^/\s?#]+(/[^\s?#]*)?$")


class OfficeKind(BaseModel):
    # Only the two keys of [office] this module reads; config.py reads the others.
    model_config = ConfigDict(extra="ignore", frozen=True)
    kind: Literal["urban", "rural", "remote"] = "urban"
    norm: int | None = Field(default=None, ge=1, le=100_000)


class PublicSettings(_Strict):
    server: ServerSettings = ServerSettings()
    ratings: RatingSettings = RatingSettings()
    office: OfficeKind = OfficeKind()

    @property
    def norm(self) -> int:
        """Dossiers one staff member should handle in a year (the province's norm)."""
        return self.office.norm or NORMS[self.office.kind]


def parse_public_settings(raw: dict[str, Any], path: Path) -> PublicSettings:
    tables = {name: raw[name] for name in ("server", "ratings", "office") if name in raw}
    try:
        return PublicSettings.model_validate(tables)
    except ValidationError as e:
        first = e.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"{path}: {key}: {first['msg']}") from None


def load_public_settings(config: Config) -> PublicSettings:
    """The keys above from the config file the server started with (defaults if none)."""
    try:
        raw = tomllib.loads(config.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return PublicSettings()   # config.py has already accepted or refused this file
    return parse_public_settings(raw, config.path)


def public_base_url() -> str:
    """Where a citizen's phone reaches this server: `[server] public_url`, else the
    address this request came to (the kiosk's own), else "" outside a request."""
    from flask import current_app, has_app_context, has_request_context, request

    if has_app_context():
        settings = current_app.extensions.get("layso.public")
        if settings is not None and settings.server.public_url:
            return settings.server.public_url.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return ""


def current() -> PublicSettings:
    """The running app's settings (defaults outside an app)."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.extensions.get("layso.public") or PublicSettings()
    return PublicSettings()
