"""The office admin's use cases: one plain function per change, over an open session.

Each change is checked here (not in the pages), written to `audit_log` (who, when, what:
the values before and after), and, when kiosks or displays show what changed, told to
them through the event stream: `services.updated`, `counter.updated`, and
`office.updated` (`{"office": as GET /api/v1/office}`) for settings they read.

    with admin.change(queue, office_id, actor) as c:
        admin.add_service(c, "QS", {"name": "Quân sự", "prefix": "9"})

Values are checked by the settings schema (`server.settings`), the same models the config
file goes through, so a refusal reads as it does in the file (`refused`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from layso.common.types import ROLES_USER
from layso.server import auth
from layso.server import settings as schema
from layso.server import snapshots as snap
from layso.server.domain.errors import Conflict, Invalid, NotFound
from layso.server.operations import Actor, Queue
from layso.server.settings_problems import SettingsError, shown, words
from layso.server.storage.tables import (
    AuditEntry,
    AuthToken,
    Counter,
    CounterService,
    Device,
    PriorityCategory,
    Service,
    User,
    UserCounter,
)

USERNAME = re.compile(r"[A-Za-z0-9._-]{2,64}")


def refuse(field: str, vi: str, en: str) -> Invalid:
    """422 naming the form field (its key; the page shows the field's label)."""
    return Invalid("invalid_field", field=field, problem=(vi, en))


M = TypeVar("M", bound=BaseModel)


def refused(error: SettingsError, rename: Mapping[str, str] | None = None) -> Invalid:
    """The schema's refusal as a form error: the same words as in the config file."""
    field = error.field
    return refuse((rename or {}).get(field, field), error.vi, error.en)


def checked(model: type[M], data: Mapping[str, object],
            rename: Mapping[str, str] | None = None) -> M:
    """Values from a form, checked by the settings schema (`rename`: schema key → input)."""
    try:
        return schema.validate(model, dict(data))
    except SettingsError as e:
        raise refused(e, rename) from None


def _taken(field: str, value: object, other: str) -> Invalid:
    return refuse(field, *words("duplicate", shown=shown(value), other=other))


@dataclass
class Change:
    """One admin change in progress: its transaction, office, who makes it, the queue."""

    session: Session
    office: snap.OfficeView
    actor: Actor | None
    queue: Queue

    def audit(self, action: str, **details: object) -> None:
        self.session.add(AuditEntry(
            office_id=self.office.id, at=self.office.now, action=action, details=details,
            user_id=self.actor.id if self.actor and self.actor.kind == "user" else None))

    def services_updated(self) -> None:
        self.session.flush()
        self.queue._services_updated(self.session, self.office)

    def office_updated(self) -> None:
        self.session.flush()
        self.queue._event(self.session, self.office, "office.updated",
                          {"office": snap.office_json(self.session, self.office)})


@contextmanager
def change(queue: Queue, office_id: int, actor: Actor | None) -> Iterator[Change]:
    with queue.db.write() as session:
        yield Change(session, queue.office(session, office_id), actor, queue)


def _get(c: Change, table: type, row_id: int, what: str):
    row = c.session.get(table, row_id)
    if row is None or row.office_id != c.office.id:
        raise NotFound("not_found", what=what, id=row_id)
    return row


def _diff(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


# --- services ---------------------------------------------------------------------------

ServiceValues = Mapping[str, object]
"""A field's values as a form gives them (keys of `settings.ServiceRow`; absent: default)."""


def _service_row(c: Change, code: str, values: ServiceValues,
                 service_id: int | None) -> schema.ServiceRow:
    """The field's values checked, and refused when its numbers could repeat another's."""
    row = checked(schema.ServiceRow, {**values, "code": code})
    others = c.session.scalars(select(Service).where(Service.office_id == c.office.id,
                                                     Service.id != (service_id or 0)))
    clash = schema.clash(row.rules, [(f"{s.code} – {s.name}", snap.service_rules(s))
                                     for s in others])
    if clash is not None:
        raise refused(clash)
    return row


def _service_columns(row: schema.ServiceRow) -> dict:
    """The row's columns as stored (cutoff as "16:30")."""
    return row.model_dump(mode="json", exclude={"code"})


def add_service(c: Change, code: str, values: ServiceValues) -> int:
    existing = c.session.scalar(select(Service.name).where(Service.office_id == c.office.id,
                                                           Service.code == code))
    if existing is not None:
        raise _taken("code", code, existing)
    row = _service_row(c, code, values, None)
    columns = _service_columns(row)
    if not row.position:
        columns["position"] = (c.session.scalar(select(func.max(Service.position)).where(
            Service.office_id == c.office.id)) or 0) + 1
    service = Service(office_id=c.office.id, code=row.code, **columns)
    c.session.add(service)
    c.session.flush()
    c.audit("service.add", service=row.code, **columns)
    c.services_updated()
    return service.id


def edit_service(c: Change, service_id: int, values: ServiceValues) -> None:
    service = _get(c, Service, service_id, "service")
    # a form without the English name (set in the config file) keeps the stored one
    values = {"name_en": service.name_en, **values}
    columns = _service_columns(_service_row(c, service.code, values, service.id))
    before = {k: getattr(service, k) for k in columns}
    for key, value in columns.items():
        setattr(service, key, value)
    c.audit("service.edit", service=service.code, changed=_diff(before, columns))
    c.services_updated()


# --- counters ---------------------------------------------------------------------------

COUNTER_FORM = {"number": "counter_number"}


def _service_codes(c: Change, service_ids: list[int]) -> list[str]:
    return sorted({_get(c, Service, i, "service").code for i in service_ids})


def _set_counter_services(c: Change, counter: Counter, service_ids: list[int]) -> None:
    c.session.execute(delete(CounterService).where(CounterService.counter_id == counter.id))
    c.session.add_all(CounterService(counter_id=counter.id, service_id=s) for s in
                      sorted(set(service_ids)))


def add_counter(c: Change, number: int, name: str, service_ids: list[int]) -> int:
    row = checked(schema.CounterSettings, {"number": number, "name": name,
                                           "services": _service_codes(c, service_ids)},
                  COUNTER_FORM)
    existing = c.session.scalar(select(Counter.name).where(Counter.office_id == c.office.id,
                                                           Counter.number == row.number))
    if existing is not None:
        raise _taken("counter_number", row.number, existing)
    counter = Counter(office_id=c.office.id, number=row.number, name=row.name, status="open",
                      priority_streak=0)
    c.session.add(counter)
    c.session.flush()
    _set_counter_services(c, counter, service_ids)
    c.audit("counter.add", counter=row.number, name=row.name, services=row.services)
    c.queue._counter_updated(c.session, c.office, counter, c.actor, action="edit")
    c.services_updated()
    return counter.id


def edit_counter(c: Change, counter_id: int, name: str, service_ids: list[int]) -> None:
    counter = _get(c, Counter, counter_id, "counter")
    row = checked(schema.CounterSettings, {"number": counter.number, "name": name,
                                           "services": _service_codes(c, service_ids)},
                  COUNTER_FORM)
    before_codes = sorted(c.session.scalars(
        select(Service.code).join(CounterService, CounterService.service_id == Service.id)
        .where(CounterService.counter_id == counter.id)))
    before_name, counter.name = counter.name, row.name
    _set_counter_services(c, counter, service_ids)
    c.audit("counter.edit", counter=counter.number,
            changed=_diff({"name": before_name, "services": before_codes},
                          {"name": row.name, "services": row.services}))
    c.queue._counter_updated(c.session, c.office, counter, c.actor, action="edit")
    c.services_updated()


# --- users ------------------------------------------------------------------------------

def _check_password(password: str, again: str | None = None) -> None:
    if again is not None and password != again:
        raise refuse("password_again", "hai lần nhập không khớp", "the two entries differ")
    if len(password) < auth.MIN_PASSWORD:
        raise refuse("password", f"cần ít nhất {auth.MIN_PASSWORD} ký tự",
                     f"needs at least {auth.MIN_PASSWORD} characters")
    if len(password) > 200:
        raise refuse("password", "tối đa 200 ký tự", "at most 200 characters")


def _set_user_counters(c: Change, user: User, counter_ids: list[int]) -> list[int]:
    numbers = sorted(_get(c, Counter, i, "counter").number for i in set(counter_ids))
    c.session.execute(delete(UserCounter).where(UserCounter.user_id == user.id))
    c.session.add_all(UserCounter(user_id=user.id, counter_id=i) for i in sorted(set(counter_ids)))
    return numbers


def _end_sessions(c: Change, user: User) -> None:
    c.session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))


def add_user(c: Change, username: str, full_name: str, role: str, password: str,
             counter_ids: list[int], again: str | None = None) -> int:
    if not USERNAME.fullmatch(username):
        raise refuse("username", "2–64 chữ cái không dấu, chữ số, . _ -",
                     "2–64 letters, digits, . _ -")
    if role not in ROLES_USER:
        raise refuse("role", "không hợp lệ", "unknown role")
    if c.session.scalar(select(User.id).where(User.username == username)):
        raise refuse("username", f"{username} đã có", f"{username} exists")
    _check_password(password, again)
    user = User(office_id=c.office.id, username=username, full_name=full_name[:200],
                password_hash=auth.hash_password(password), role=role, active=True,
                failed_logins=0, created_at=c.office.now)
    c.session.add(user)
    c.session.flush()
    numbers = _set_user_counters(c, user, counter_ids if role == "clerk" else [])
    c.audit("user.add", username=username, role=role, counters=numbers)
    return user.id


def _other_active_admins(c: Change, user: User) -> int:
    return c.session.scalar(select(func.count()).select_from(User).where(
        User.office_id == c.office.id, User.role == "admin", User.active.is_(True),
        User.id != user.id)) or 0


def edit_user(c: Change, user_id: int, full_name: str, role: str,
              counter_ids: list[int]) -> None:
    user = _get(c, User, user_id, "user")
    if role not in ROLES_USER:
        raise refuse("role", "không hợp lệ", "unknown role")
    if user.role == "admin" and role != "admin" and not _other_active_admins(c, user):
        raise Conflict("invalid_field", field="role",
                       problem=("đây là quản trị viên cuối cùng", "this is the last admin"))
    before = {"full_name": user.full_name, "role": user.role}
    user.full_name, user.role = full_name[:200], role
    numbers = _set_user_counters(c, user, counter_ids if role == "clerk" else [])
    if before["role"] != role:
        _end_sessions(c, user)  # the new role applies from the next login
    c.audit("user.edit", username=user.username, counters=numbers,
            changed=_diff(before, {"full_name": user.full_name, "role": role}))


def reset_password(c: Change, user_id: int, password: str) -> None:
    user = _get(c, User, user_id, "user")
    _check_password(password)
    user.password_hash = auth.hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    _end_sessions(c, user)
    c.audit("user.password", username=user.username)


def set_user_active(c: Change, user_id: int, active: bool) -> None:
    user = _get(c, User, user_id, "user")
    if not active and c.actor is not None and c.actor.id == user.id:
        raise Conflict("invalid_field", field="active", problem=(
            "không thể tự khoá tài khoản đang dùng", "you cannot disable yourself"))
    if not active and user.role == "admin" and not _other_active_admins(c, user):
        raise Conflict("invalid_field", field="active",
                       problem=("đây là quản trị viên cuối cùng", "this is the last admin"))
    user.active = active
    user.failed_logins, user.locked_until = 0, None
    if not active:
        _end_sessions(c, user)
    c.audit("user.active", username=user.username, active=active)


def admin_exists(session: Session, office_id: int) -> bool:
    return session.scalar(select(User.id).where(
        User.office_id == office_id, User.role == "admin").limit(1)) is not None


def create_first_admin(c: Change, username: str, full_name: str, password: str,
                       again: str) -> int:
    """The first-run page: only while the office has no admin at all."""
    if admin_exists(c.session, c.office.id):
        raise Conflict("invalid_field", field="username",
                       problem=("đã có quản trị viên", "an admin already exists"))
    user_id = add_user(c, username, full_name, "admin", password, [], again)
    c.audit("user.first_admin", username=username)
    return user_id


# --- devices ----------------------------------------------------------------------------

def add_device(c: Change, name: str, role: str) -> str:
    """A new kiosk or display; returns its token, which is stored only as a hash."""
    token = auth.new_token()
    row = checked(schema.DeviceSettings, {"name": name, "role": role, "token": token},
                  {"name": "device_name", "role": "device_role"})
    if c.session.scalar(select(Device.id).where(Device.office_id == c.office.id,
                                                Device.name == row.name)):
        raise _taken("device_name", row.name, c.office.row.name)
    c.session.add(Device(office_id=c.office.id, name=row.name, role=row.role,
                         token_hash=auth.token_hash(token), created_at=c.office.now))
    c.audit("device.add", device=row.name, role=row.role)
    return token


def revoke_device(c: Change, device_id: int) -> None:
    device = _get(c, Device, device_id, "device")
    device.revoked = True
    c.audit("device.revoke", device=device.name, role=device.role)


# --- priority categories ----------------------------------------------------------------

def add_category(c: Change, code: str, name: str) -> int:
    category = checked(schema.CategorySettings, {"code": code, "name": name})
    existing = c.session.scalar(select(PriorityCategory.name).where(
        PriorityCategory.office_id == c.office.id, PriorityCategory.code == category.code))
    if existing is not None:
        raise _taken("code", category.code, existing)
    position = (c.session.scalar(select(func.max(PriorityCategory.position)).where(
        PriorityCategory.office_id == c.office.id)) or 0) + 1
    row = PriorityCategory(office_id=c.office.id, code=category.code, name=category.name,
                           position=position, active=True)
    c.session.add(row)
    c.session.flush()
    c.audit("category.add", code=category.code, name=category.name)
    c.office_updated()
    return row.id


def edit_category(c: Change, category_id: int, name: str, active: bool) -> None:
    row = _get(c, PriorityCategory, category_id, "category")
    category = checked(schema.CategorySettings, {"code": row.code, "name": name})
    before = {"name": row.name, "active": row.active}
    row.name, row.active = category.name, active
    c.audit("category.edit", code=row.code,
            changed=_diff(before, {"name": category.name, "active": active}))
    c.office_updated()


# --- office settings --------------------------------------------------------------------

def _store(c: Change, changes: Mapping[str, Mapping[str, object]], action: str) -> None:
    """Change some values of some sections (checked), store them, record before/after."""
    before = c.office.settings
    after = before
    for section, values in changes.items():
        try:
            after = after.replace(section, **values)
        except SettingsError as e:
            raise refused(e) from None
    old, new = before.stored(), after.stored()
    changed: dict = {}
    for section in changes:
        changed.update(_diff(old[section], new[section]))
    c.office.row.settings = new
    c.audit(action, changed=changed)


def set_policy(c: Change, priority_run: int, max_wait_minutes: int, service_minutes: int) -> None:
    _store(c, {"policy": {"priority_run": priority_run, "max_wait_minutes": max_wait_minutes,
                          "service_minutes": service_minutes}}, "settings.policy")
    c.services_updated()  # waiting-time estimates follow service_minutes


def set_hours(c: Change, opening: str, closing: str | None) -> None:
    hours = checked(schema.OfficeHours, {"opening": opening, "closing": closing})
    row = c.office.row
    before = {"opening": row.opening, "closing": row.closing}
    row.opening, row.closing = schema.clock_text(hours.opening), schema.clock_text(hours.closing)
    c.audit("settings.hours", changed=_diff(before, {"opening": row.opening,
                                                     "closing": row.closing}))
    c.services_updated()
    c.office_updated()


def set_announcement(c: Change, template: str, repeat: int, four: str, zero_tens: str,
                     thousand: str, digit_by_digit: bool) -> None:
    _store(c, {"announcement": {"template": template, "repeat": repeat, "four": four,
                                "zero_tens": zero_tens, "thousand": thousand,
                                "digit_by_digit": digit_by_digit}}, "settings.announcement")
    c.office_updated()


def set_ticket_texts(c: Change, footer: str, notice: str) -> None:
    _store(c, {"ticket": {"footer": footer}, "display": {"notice": notice}}, "settings.ticket")
    c.office_updated()


# --- reading for the pages --------------------------------------------------------------

def audit_entries(session: Session, office_id: int,
                  limit: int = 200) -> list[tuple[AuditEntry, str]]:
    """The latest changes, newest first, with the username of who made them."""
    rows = session.execute(
        select(AuditEntry, User.username).outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.office_id == office_id)
        .order_by(AuditEntry.id.desc()).limit(limit)).all()
    return [(entry, username or "") for entry, username in rows]
