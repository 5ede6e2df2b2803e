"""Everything an office is configured with: one typed schema, each default and bound once.

The config file (`server.config`), the admin pages (`server.admin`), seeding
(`server.seed`) and the running server (`OfficeView.settings`) all read and check
settings through these models, so a key, a default or a bound cannot differ between
them. Every model refuses unknown keys and wrong types; a refusal is one
`SettingsError` naming the key and the problem (`server.settings_problems`).

What the office stores as JSON (`offices.settings`) is `OfficeSettings`: one section per
table. Adding a section is one small class and one line:

    class KioskSettings(Section):
        # [kiosk]
        idle_s: whole(10, 600) = 60      # the bound and the default, written here only

    class OfficeSettings(Section):
        ...
        kiosk: KioskSettings = KioskSettings()

The config file then takes `[kiosk]`, seeding stores it, the server reads
`office.settings.kiosk.idle_s`, and a stored row without it reads the default. A table
the server reads from the file only (like `[server]`, `[ratings]`) is one line on
`ConfigFile` instead; a key of `[office]` is one line on `OfficeInfo`.
"""

from __future__ import annotations

import json
import logging
import re
import string
from datetime import time, timedelta
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    Field,
    ValidationError,
    model_validator,
)

from layso.common.speech import CHOICES, TEMPLATE_FIELDS, SpeechOptions
from layso.common.types import ROLES_DEVICE
from layso.server.domain.numbering import ServiceRules, shared_number
from layso.server.settings_problems import (
    SettingsError,
    error_loc,
    first_problem,
    problem,
    shown,
    words,
)
from layso.server.settings_types import (
    Bounds,
    Clock,
    Section,
    bounds,
    clock_text,
    nfc,
    shaped,
    text,
    unique,
    whole,
)

__all__ = ["Bounds", "Section", "SettingsError", "bounds", "clock_text", "validate"]

log = logging.getLogger("layso.settings")

M = TypeVar("M", bound=BaseModel)

# --- the bounds ---------------------------------------------------------------------------
# No commune office comes near these; they keep every number inside what the database,
# the ticket and a timedelta can hold.
MAX_WIDTH = 6                      # digits after the prefix: up to 999 999 numbers a day
MAX_SEQ = 10 ** MAX_WIDTH - 1
MAX_SERVICES, MAX_COUNTERS, MAX_DEVICES, MAX_CATEGORIES = 100, 200, 500, 50


Code = shaped(r"[A-Za-z0-9_-]{1,16}", "code", 16)
Prefix = shaped(r"[A-Za-z0-9]{0,3}", "prefix", 3)


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise problem("timezone", shown=shown(value)) from None
    return value


def _public_url(value: str) -> str:
    if not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", value):
        raise problem("public_url", shown=shown(value))
    return value


def _choice(option: str) -> Any:
    """One of the spoken-number options, as the speech module allows them."""
    return Annotated[Literal[CHOICES[option]], BeforeValidator(nfc)]


def _placeholders(value: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        raise problem("braces", at=("template",)) from None


# --- the office ---------------------------------------------------------------------------

class OfficeHours(Section):
    opening: Clock = time(7, 30)          # the business day starts (numbers reset) here
    closing: Clock | None = None          # no new numbers after this

    @model_validator(mode="after")
    def _closing_after_opening(self) -> OfficeHours:
        if self.closing is not None and self.closing <= self.opening:
            raise problem("closing", at=("closing",), opening=clock_text(self.opening))
        return self


NORMS = {"urban": 1600, "rural": 1200, "remote": 800}   # dossiers per staff member a year


class OfficeKind(Section):
    """What the reports compare the office's work with (the province's staffing norm)."""

    kind: Literal["urban", "rural", "remote"] = "urban"
    norm: whole(1, 100_000) | None = None    # the province's own norm, instead of the kind's

    @property
    def staffing_norm(self) -> int:
        return self.norm or NORMS[self.kind]


class OfficeInfo(OfficeHours, OfficeKind):
    """[office]"""

    code: shaped(r"[a-z0-9][a-z0-9_-]{0,39}", "office_code", 40) = "office"
    name: text(200)
    unit: text(200) = "Trung tâm Phục vụ hành chính công"
    timezone: Annotated[text(64), AfterValidator(_zone)] = "Asia/Ho_Chi_Minh"


# --- fields, counters, devices, priority categories ---------------------------------------

class ServiceSettings(Section):
    """[[services]]: a field (lĩnh vực) and how its numbers are printed."""

    code: Code
    name: text(200)
    name_en: text(200, blank=True) = ""   # shown in English mode (kiosk, display, ticket)
    prefix: Prefix = ""
    start: whole(0, MAX_SEQ) = 1
    width: whole(1, MAX_WIDTH) = 3
    daily_cap: whole(1, MAX_SEQ) | None = None
    cutoff: Clock | None = None
    open: bool = True

    @model_validator(mode="after")
    def _start_fits(self) -> ServiceSettings:
        top = 10 ** self.width - 1
        if self.start > top:
            raise problem("start_width", at=("start",), start=self.start, width=self.width, top=top)
        return self

    @property
    def rules(self) -> ServiceRules:
        return ServiceRules(prefix=self.prefix, start=self.start, width=self.width,
                            daily_cap=self.daily_cap, cutoff=self.cutoff, open=self.open)


class ServiceRow(ServiceSettings):
    """A field as the admin page edits it: its settings and its place in the kiosk's list."""

    position: whole(0, 999) = 0


def _some_services(codes: list[str]) -> list[str]:
    if not codes:
        raise problem("pick_service")
    if len(codes) > MAX_SERVICES:
        raise problem("many", limit=MAX_SERVICES, count=len(codes))
    return codes


COUNTER_NAME = "Quầy {number}"


class CounterSettings(Section):
    """[[counters]]"""

    number: whole(1, 999)
    name: text(100)
    services: Annotated[list[Code], AfterValidator(_some_services)]

    @model_validator(mode="before")
    @classmethod
    def _default_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and "name" not in data and isinstance(data.get("number"), int):
            return {**data, "name": COUNTER_NAME.format(number=data["number"])}
        return data


def _long_token(value: str) -> str:
    if len(value) < 16:
        raise problem("token")
    return value


class DeviceSettings(Section):
    """[[devices]]: a kiosk or a hall display and the token it signs in with."""

    name: text(100)
    role: Literal[ROLES_DEVICE]
    token: Annotated[text(200), AfterValidator(_long_token)] = Field(repr=False)


class CategorySettings(Section):
    """[[priority_categories]]: who may take a priority ticket."""

    code: Code
    name: text(200)


DEFAULT_CATEGORIES = [
    CategorySettings(code="NCT", name="Người cao tuổi (từ 75 tuổi)"),
    CategorySettings(code="NKT", name="Người khuyết tật"),
    CategorySettings(code="PNMT", name="Phụ nữ mang thai, người có con dưới 6 tuổi"),
    CategorySettings(code="NCC", name="Người có công với cách mạng"),
]


# --- what the office stores (offices.settings) ----------------------------------------------

class PolicySettings(Section):
    """[policy]: who is called next."""

    priority_run: whole(0, 20) = 2          # priority tickets in a row while a normal one waits
    max_wait_minutes: whole(0, 600) = 0     # 0 = off; a normal ticket waiting longer goes first
    service_minutes: whole(1, 240) = 8      # estimate per citizen until today's figures exist

    @property
    def max_wait(self) -> timedelta | None:
        return timedelta(minutes=self.max_wait_minutes) if self.max_wait_minutes else None


_SPEECH = SpeechOptions()


class AnnouncementSettings(Section):
    """[announcement]: the sentence the hall hears (words from `layso.common.speech`)."""

    template: text(300) = _SPEECH.template
    repeat: whole(1, 5) = 2
    four: _choice("four") = _SPEECH.four
    zero_tens: _choice("zero_tens") = _SPEECH.zero_tens
    thousand: _choice("thousand") = _SPEECH.thousand
    digit_by_digit: bool = _SPEECH.digit_by_digit

    @model_validator(mode="after")
    def _template_names_both(self) -> AnnouncementSettings:
        names = _placeholders(self.template)
        unknown = names - TEMPLATE_FIELDS
        if unknown:
            raise problem("template_unknown", at=("template",), name=min(unknown))
        if names != TEMPLATE_FIELDS:
            raise problem("template_needs", at=("template",))
        return self

    @property
    def speech(self) -> SpeechOptions:
        return SpeechOptions(template=self.template, four=self.four, zero_tens=self.zero_tens,
                             thousand=self.thousand, digit_by_digit=self.digit_by_digit)


class TicketSettings(Section):
    """[ticket]: what the printed ticket adds."""

    footer: text(300, blank=True) = ""

    @model_validator(mode="before")
    @classmethod
    def _no_status_url(cls, data: Any) -> Any:
        if isinstance(data, dict) and "status_url" in data:
            raise problem("status_url_removed", at=("status_url",))
        return data


class DisplaySettings(Section):
    """[display]: the hall screen."""

    notice: text(500, blank=True) = ""     # the line that scrolls along the bottom


class OfficeSettings(Section):
    """The office's settings as stored in its row and read by the running server."""

    policy: PolicySettings = PolicySettings()
    announcement: AnnouncementSettings = AnnouncementSettings()
    ticket: TicketSettings = TicketSettings()
    display: DisplaySettings = DisplaySettings()

    @classmethod
    def from_stored(cls, raw: object) -> OfficeSettings:
        """The stored JSON, checked (about 12 µs: read it once per transaction).

        Stored settings never stop the server: a value the schema refuses (written by an
        older version, or by hand) is logged and read as its default; the row is kept.
        """
        try:
            return cls.model_validate(raw or {})
        except ValidationError:
            return _lenient(cls, raw)

    def stored(self) -> dict:
        return self.model_dump(mode="json")

    def replace(self, section: str, **values: object) -> OfficeSettings:
        """These settings with some values of one section changed, checked."""
        current = getattr(self, section)
        changed = validate(type(current), {**current.model_dump(), **values})
        return self.model_copy(update={section: changed})


def _lenient(cls: type[OfficeSettings], raw: object) -> OfficeSettings:
    data = json.loads(json.dumps(raw)) if isinstance(raw, dict) else {}
    for _attempt in range(50):
        try:
            return cls.model_validate(data)
        except ValidationError as e:
            loc = error_loc(e)
            log.warning("offices.settings: %s; using the default", first_problem(e, cls))
            if not loc:
                break
            _drop(data, loc)
    return cls()


def _drop(data: dict, loc: tuple) -> None:
    """Remove the value at `loc` (or the table holding it, if that is what is wrong)."""
    node = data
    for part in loc[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            node.pop(part, None)
            return
        node = child
    node.pop(loc[-1], None)


# --- the server and the rating tablets (read from the file, not stored) ---------------------

class ServerSettings(Section):
    """[server]"""

    # Where phones reach the status page of a ticket's QR; default: the address the
    # request came to.
    public_url: Annotated[text(300), AfterValidator(_public_url)] | None = None


class RatingLevel(Section):
    """[[ratings.levels]]: one answer on the rating tablet."""

    code: shaped(r"[a-z][a-z0-9_]{0,31}", "level_code", 32)
    name: text(60)
    name_en: text(60, blank=True) = ""
    unhappy: bool = False          # then the tablet offers the reasons


DEFAULT_LEVELS = [
    RatingLevel(code="very_satisfied", name="Rất hài lòng", name_en="Very satisfied"),
    RatingLevel(code="satisfied", name="Hài lòng", name_en="Satisfied"),
    RatingLevel(code="unsatisfied", name="Không hài lòng", name_en="Not satisfied",
                unhappy=True),
]
DEFAULT_REASONS = ["Chờ lâu", "Hướng dẫn chưa rõ", "Thái độ chưa tốt", "Giải quyết chậm"]


class RatingSettings(Section):
    """[ratings]: the rating tablet (/rate/<counter>)."""

    levels: Annotated[list[RatingLevel], Field(min_length=2, max_length=6)] = DEFAULT_LEVELS
    reasons: Annotated[list[text(80)], Field(max_length=12)] = DEFAULT_REASONS
    timeout_s: whole(5, 600) = 20      # back to idle after this

    @model_validator(mode="after")
    def _codes_once(self) -> RatingSettings:
        unique(self.levels, "levels", "code")
        return self

    def level(self, code: str) -> RatingLevel | None:
        return next((level for level in self.levels if level.code == code), None)


# --- the whole config file ------------------------------------------------------------------

class ConfigFile(OfficeSettings):
    """A single-office config file: the stored sections plus what seeds the tables."""

    database_url: text(500) | None = None
    server: ServerSettings = ServerSettings()
    ratings: RatingSettings = RatingSettings()
    office: OfficeInfo
    services: Annotated[list[ServiceSettings], Field(min_length=1, max_length=MAX_SERVICES)]
    counters: Annotated[list[CounterSettings], Field(min_length=1, max_length=MAX_COUNTERS)]
    devices: Annotated[list[DeviceSettings], Field(max_length=MAX_DEVICES)] = []
    priority_categories: Annotated[list[CategorySettings], Field(max_length=MAX_CATEGORIES)] = \
        DEFAULT_CATEGORIES

    @model_validator(mode="after")
    def _consistent(self) -> ConfigFile:
        unique(self.services, "services", "code")
        unique(self.counters, "counters", "number")
        unique(self.devices, "devices", "name")
        unique(self.priority_categories, "priority_categories", "code")
        tokens: dict[str, int] = {}
        for i, device in enumerate(self.devices):
            if device.token in tokens:
                raise problem("duplicate_token", at=("devices", i, "token"),
                              other=f"devices[{tokens[device.token]}]")
            tokens[device.token] = i
        codes = {s.code for s in self.services}
        for i, counter in enumerate(self.counters):
            for code in counter.services:
                if code not in codes:
                    raise problem("unknown_service", at=("counters", i, "services"),
                                  shown=shown(code))
        for j, later in enumerate(self.services):
            for i, earlier in enumerate(self.services[:j]):
                number = shared_number(earlier.rules, later.rules)
                if number is not None:
                    raise problem("clash", at=("services", j, "prefix"), number=number,
                                  other=f"services[{i}] {earlier.code} – {earlier.name}")
        return self

    def office_settings(self) -> OfficeSettings:
        """The sections the office stores, as this file sets them."""
        return OfficeSettings(**{name: getattr(self, name) for name in OfficeSettings.model_fields})


def validate(model: type[M], data: object) -> M:
    """`model` from plain values, or one SettingsError naming the first bad key."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        raise first_problem(e, model) from None


def clash(candidate: ServiceRules, others: list[tuple[str, ServiceRules]]) -> SettingsError | None:
    """The refusal for a field whose numbers another field (label, rules) could also print."""
    for label, rules in others:
        number = shared_number(rules, candidate)
        if number is not None:
            return SettingsError("prefix", *words("clash", other=label, number=number))
    return None
