"""The office admin's use cases: one plain function per change, over an open session.

Each change is checked here (not in the pages), written to `audit_log` (who, when, what:
the values before and after), and, when kiosks or displays show what changed, told to
them through the event stream: `services.updated`, `counter.updated`, and
`office.updated` (`{"office": as GET /api/v1/office}`) for settings they read.

    with admin.change(queue, office_id, actor) as c:
        admin.add_service(c, ServiceValues(...))
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from layso.common.speech import SpeechOptions
from layso.server import auth
from layso.server import snapshots as snap
from layso.server.domain.errors import Conflict, Invalid, NotFound
from layso.server.operations import Actor, Queue
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

USER_ROLES = ("clerk", "admin", "leader")
DEVICE_ROLES = ("kiosk", "display")
CODE = re.compile(r"[A-Za-z0-9_-]{1,16}")
PREFIX = re.compile(r"[A-Za-z0-9]{0,3}")
USERNAME = re.compile(r"[A-Za-z0-9._-]{2,64}")
CLOCK = re.compile(r"([01]\d|2[0-3]):[0-5]\d")


def refuse(field: str, vi: str, en: str) -> Invalid:
    """422 naming the form field (its key; the page shows the field's label)."""
    return Invalid("invalid_field", field=field, problem=(vi, en))


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


def check_clock(field: str, value: str | None, required: bool) -> str | None:
    if not value:
        if required:
            raise refuse(field, "bắt buộc, dạng 07:30", 'required, like "07:30"')
        return None
    if not CLOCK.fullmatch(value):
        raise refuse(field, "phải là giờ dạng 07:30", 'must be a time like "07:30"')
    return value


# --- services ---------------------------------------------------------------------------

@dataclass
class ServiceValues:
    name: str
    prefix: str
    start: int = 1
    width: int = 3
    daily_cap: int | None = None
    cutoff: str | None = None
    open: bool = True
    position: int = 0


def _check_service(c: Change, values: ServiceValues, service_id: int | None) -> None:
    if not values.name.strip() or len(values.name) > 200:
        raise refuse("name", "bắt buộc, tối đa 200 ký tự", "required, at most 200 characters")
    if not PREFIX.fullmatch(values.prefix):
        raise refuse("prefix", "tối đa 3 chữ cái hoặc chữ số", "at most 3 letters or digits")
    if not 1 <= values.width <= 6:
        raise refuse("width", "từ 1 đến 6", "from 1 to 6")
    if not 0 <= values.start < 10 ** values.width:
        raise refuse("start", f"từ 0 đến {10 ** values.width - 1}",
                     f"from 0 to {10 ** values.width - 1}")
    if values.daily_cap is not None and values.daily_cap < 1:
        raise refuse("daily_cap", "phải lớn hơn 0", "must be above 0")
    check_clock("cutoff", values.cutoff, required=False)
    clash = c.session.scalar(select(Service.name).where(
        Service.office_id == c.office.id, Service.prefix == values.prefix,
        Service.id != (service_id or 0)))
    if clash is not None:
        raise refuse("prefix", f"đã dùng cho lĩnh vực {clash}; số sẽ trùng nhau",
                     f"already used by {clash}; numbers would repeat")


def add_service(c: Change, code: str, values: ServiceValues) -> int:
    if not CODE.fullmatch(code):
        raise refuse("code", "1–16 chữ cái, chữ số, - hoặc _", "1–16 letters, digits, - or _")
    if c.session.scalar(select(Service.id).where(Service.office_id == c.office.id,
                                                 Service.code == code)):
        raise refuse("code", f"mã {code} đã có", f"code {code} exists")
    _check_service(c, values, None)
    if not values.position:
        values.position = (c.session.scalar(select(func.max(Service.position)).where(
            Service.office_id == c.office.id)) or 0) + 1
    service = Service(office_id=c.office.id, code=code, **asdict(values))
    c.session.add(service)
    c.session.flush()
    c.audit("service.add", service=code, **asdict(values))
    c.services_updated()
    return service.id


def edit_service(c: Change, service_id: int, values: ServiceValues) -> None:
    service = _get(c, Service, service_id, "service")
    _check_service(c, values, service.id)
    before = {k: getattr(service, k) for k in asdict(values)}
    for key, value in asdict(values).items():
        setattr(service, key, value)
    c.audit("service.edit", service=service.code, changed=_diff(before, asdict(values)))
    c.services_updated()


# --- counters ---------------------------------------------------------------------------

def _set_counter_services(c: Change, counter: Counter, service_ids: list[int]) -> list[str]:
    codes = []
    for service_id in service_ids:
        codes.append(_get(c, Service, service_id, "service").code)
    c.session.execute(delete(CounterService).where(CounterService.counter_id == counter.id))
    c.session.add_all(CounterService(counter_id=counter.id, service_id=s) for s in
                      sorted(set(service_ids)))
    return sorted(codes)


def _check_counter_name(name: str) -> None:
    if not name.strip() or len(name) > 100:
        raise refuse("name", "bắt buộc, tối đa 100 ký tự", "required, at most 100 characters")


def add_counter(c: Change, number: int, name: str, service_ids: list[int]) -> int:
    if not 1 <= number <= 999:
        raise refuse("counter_number", "từ 1 đến 999", "from 1 to 999")
    if c.session.scalar(select(Counter.id).where(Counter.office_id == c.office.id,
                                                 Counter.number == number)):
        raise refuse("counter_number", f"quầy số {number} đã có", f"counter {number} exists")
    _check_counter_name(name)
    counter = Counter(office_id=c.office.id, number=number, name=name, status="open",
                      priority_streak=0)
    c.session.add(counter)
    c.session.flush()
    codes = _set_counter_services(c, counter, service_ids)
    c.audit("counter.add", counter=number, name=name, services=codes)
    c.queue._counter_updated(c.session, c.office, counter, c.actor, action="edit")
    c.services_updated()
    return counter.id


def edit_counter(c: Change, counter_id: int, name: str, service_ids: list[int]) -> None:
    counter = _get(c, Counter, counter_id, "counter")
    _check_counter_name(name)
    before_codes = sorted(c.session.scalars(
        select(Service.code).join(CounterService, CounterService.service_id == Service.id)
        .where(CounterService.counter_id == counter.id)))
    before_name, counter.name = counter.name, name
    codes = _set_counter_services(c, counter, service_ids)
    c.audit("counter.edit", counter=counter.number,
            changed=_diff({"name": before_name, "services": before_codes},
                          {"name": name, "services": codes}))
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
    if role not in USER_ROLES:
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
    if role not in USER_ROLES:
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
    if not name.strip() or len(name) > 100:
        raise refuse("device_name", "bắt buộc, tối đa 100 ký tự",
                     "required, at most 100 characters")
    if role not in DEVICE_ROLES:
        raise refuse("device_role", "phải là kiosk hoặc display", "must be kiosk or display")
    if c.session.scalar(select(Device.id).where(Device.office_id == c.office.id,
                                                Device.name == name)):
        raise refuse("device_name", f"{name} đã có", f"{name} exists")
    token = auth.new_token()
    c.session.add(Device(office_id=c.office.id, name=name, role=role,
                         token_hash=auth.token_hash(token), created_at=c.office.now))
    c.audit("device.add", device=name, role=role)
    return token


def revoke_device(c: Change, device_id: int) -> None:
    device = _get(c, Device, device_id, "device")
    device.revoked = True
    c.audit("device.revoke", device=device.name, role=device.role)


# --- priority categories ----------------------------------------------------------------

def _check_category_name(name: str) -> None:
    if not name.strip() or len(name) > 200:
        raise refuse("name", "bắt buộc, tối đa 200 ký tự", "required, at most 200 characters")


def add_category(c: Change, code: str, name: str) -> int:
    if not CODE.fullmatch(code):
        raise refuse("code", "1–16 chữ cái, chữ số, - hoặc _", "1–16 letters, digits, - or _")
    if c.session.scalar(select(PriorityCategory.id).where(
            PriorityCategory.office_id == c.office.id, PriorityCategory.code == code)):
        raise refuse("code", f"mã {code} đã có", f"code {code} exists")
    _check_category_name(name)
    position = (c.session.scalar(select(func.max(PriorityCategory.position)).where(
        PriorityCategory.office_id == c.office.id)) or 0) + 1
    row = PriorityCategory(office_id=c.office.id, code=code, name=name, position=position,
                           active=True)
    c.session.add(row)
    c.session.flush()
    c.audit("category.add", code=code, name=name)
    c.office_updated()
    return row.id


def edit_category(c: Change, category_id: int, name: str, active: bool) -> None:
    row = _get(c, PriorityCategory, category_id, "category")
    _check_category_name(name)
    before = {"name": row.name, "active": row.active}
    row.name, row.active = name, active
    c.audit("category.edit", code=row.code, changed=_diff(before, {"name": name, "active": active}))
    c.office_updated()


# --- office settings --------------------------------------------------------------------

def _set_section(c: Change, section: str, values: dict, action: str) -> None:
    before = c.office.section(section)
    c.office.row.settings = {**c.office.settings, section: {**before, **values}}
    c.audit(action, changed=_diff(before, values))


def set_policy(c: Change, priority_run: int, max_wait_minutes: int, service_minutes: int) -> None:
    if not 0 <= priority_run <= 100:
        raise refuse("priority_run", "từ 0 đến 100", "from 0 to 100")
    if not 0 <= max_wait_minutes <= 24 * 60:
        raise refuse("max_wait_minutes", "từ 0 đến 1440", "from 0 to 1440")
    if not 1 <= service_minutes <= 600:
        raise refuse("service_minutes", "từ 1 đến 600", "from 1 to 600")
    _set_section(c, "policy", {"priority_run": priority_run, "max_wait_minutes": max_wait_minutes,
                               "service_minutes": service_minutes}, "settings.policy")
    c.services_updated()  # waiting-time estimates follow service_minutes


def set_hours(c: Change, opening: str, closing: str | None) -> None:
    check_clock("opening", opening, required=True)
    check_clock("closing", closing, required=False)
    row = c.office.row
    before = {"opening": row.opening, "closing": row.closing}
    row.opening, row.closing = opening, closing
    c.audit("settings.hours", changed=_diff(before, {"opening": opening, "closing": closing}))
    c.services_updated()
    c.office_updated()


def set_announcement(c: Change, template: str, repeat: int, four: str, zero_tens: str,
                     thousand: str, digit_by_digit: bool) -> None:
    if not 1 <= repeat <= 5:
        raise refuse("repeat", "từ 1 đến 5", "from 1 to 5")
    if "{counter}" not in template:
        raise refuse("template", "phải có {counter}", "must contain {counter}")
    values = {"template": template, "four": four, "zero_tens": zero_tens, "thousand": thousand,
              "digit_by_digit": digit_by_digit}
    try:
        SpeechOptions(**values)
    except ValueError as e:
        field = str(e).split(":", 1)[0]
        raise refuse(field if field in values else "template", str(e), str(e)) from None
    _set_section(c, "announcement", values | {"repeat": repeat}, "settings.announcement")
    c.office_updated()


def set_ticket_texts(c: Change, footer: str, notice: str) -> None:
    if len(footer) > 300:
        raise refuse("footer", "tối đa 300 ký tự", "at most 300 characters")
    if len(notice) > 500:
        raise refuse("notice", "tối đa 500 ký tự", "at most 500 characters")
    before_ticket = c.office.section("ticket")
    before_display = c.office.section("display")
    c.office.row.settings = {**c.office.settings,
                             "ticket": {**before_ticket, "footer": footer},
                             "display": {**before_display, "notice": notice}}
    c.audit("settings.ticket", changed=_diff(
        {"footer": before_ticket.get("footer"), "notice": before_display.get("notice")},
        {"footer": footer, "notice": notice}))
    c.office_updated()


# --- reading for the pages --------------------------------------------------------------

def audit_entries(session: Session, office_id: int, limit: int = 200) -> list[tuple[AuditEntry, str]]:
    """The latest changes, newest first, with the username of who made them."""
    rows = session.execute(
        select(AuditEntry, User.username).outerjoin(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.office_id == office_id)
        .order_by(AuditEntry.id.desc()).limit(limit)).all()
    return [(entry, username or "") for entry, username in rows]
