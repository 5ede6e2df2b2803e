"""The office admin pages (`/admin/...`): forms in, `server.admin` use cases out.

Each POST runs one use case and goes back to its page (`?saved=1`); a refused value
shows the page again with the rule's message and what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from sqlalchemy import select

from layso.common.speech import CHOICES
from layso.common.types import ROLES_DEVICE
from layso.server import admin
from layso.server import settings as schema
from layso.server import snapshots as snap
from layso.server.domain.errors import DomainError
from layso.server.storage.tables import Device, PriorityCategory, User, UserCounter
from layso.server.web import forms
from layso.server.web.console import error_text, layso, page_errors
from layso.server.web.session import page
from layso.server.web.texts import AUDIT_ACTIONS, DEVICE_STATUS

bp = Blueprint("admin", __name__, url_prefix="/admin")
page_errors(bp)
ADMIN = ("admin",)

# The schema's bounds, put on the inputs (min, max, maxlength) of each form.
LIMITS = {name: schema.bounds(model) for name, model in {
    "office": schema.OfficeInfo, "service": schema.ServiceRow, "counter": schema.CounterSettings,
    "device": schema.DeviceSettings, "category": schema.CategorySettings,
    "policy": schema.PolicySettings, "announcement": schema.AnnouncementSettings,
    "ticket": schema.TicketSettings, "display": schema.DisplaySettings}.items()}
SERVICE_DEFAULTS = {name: info.default for name, info in schema.ServiceRow.model_fields.items()
                    if not info.is_required()}


# --- what each page shows ---------------------------------------------------------------

def _office_rows(s, office: snap.OfficeView) -> dict:
    return {"office": office.row,
            "services": snap.services_of(s, office),
            "counters": snap.counters_json(s, office),
            "waiting": snap.waiting_counts(s, office), "defaults": SERVICE_DEFAULTS}


def _users(s, office: snap.OfficeView) -> dict:
    users = list(s.scalars(select(User).where(User.office_id == office.id)
                           .order_by(User.role, User.username)))
    assigned: dict[int, set[int]] = {}
    for user_id, counter_id in s.execute(select(UserCounter.user_id, UserCounter.counter_id)):
        assigned.setdefault(user_id, set()).add(counter_id)
    return {"users": users, "assigned": assigned, "counters": snap.counters_json(s, office)}


def _devices(s, office: snap.OfficeView) -> dict:
    return {"devices": list(s.scalars(select(Device).where(Device.office_id == office.id)
                                      .order_by(Device.revoked, Device.role, Device.name))),
            "device_status": DEVICE_STATUS, "device_roles": ROLES_DEVICE}


def _settings(s, office: snap.OfficeView) -> dict:
    settings = office.settings
    return {"office": office.row, "policy": settings.policy,
            "announcement": settings.announcement, "choices": CHOICES,
            "ticket": settings.ticket, "display": settings.display,
            "categories": list(s.scalars(select(PriorityCategory).where(
                PriorityCategory.office_id == office.id)
                .order_by(PriorityCategory.position, PriorityCategory.id)))}


def _audit(s, office: snap.OfficeView) -> dict:
    return {"entries": admin.audit_entries(s, office.id), "actions": AUDIT_ACTIONS,
            "local": office.local}


PAGES: dict[str, tuple[str, Callable]] = {
    "services": ("admin/services.html", _office_rows),
    "counters": ("admin/counters.html", _office_rows),
    "users": ("admin/users.html", _users),
    "devices": ("admin/devices.html", _devices),
    "settings": ("admin/settings.html", _settings),
    "audit": ("admin/audit.html", _audit),
}


def show(section: str, status: int = 200, **extra: object):
    template, load = PAGES[section]
    values = layso().queue.read(g.web_actor.office_id, load)
    return render_template(template, section=section, saved=request.args.get("saved"),
                           form=extra.pop("form", {}), failed=extra.pop("failed", None),
                           limits=LIMITS, **values, **extra), status


def _failed(e: DomainError) -> dict | None:
    """Which input of which form was refused, and why: shown next to that input."""
    field, problem = e.params.get("field"), e.params.get("problem")
    if not field or not isinstance(problem, tuple):
        return None
    return {"field": field, "action": request.path, "vi": problem[0], "en": problem[1]}


def apply(section: str, use_case: Callable[[admin.Change], object]) -> Response | tuple:
    """Run one change; back to the section's page, or the page again with the refusal."""
    ctx = layso()
    try:
        with admin.change(ctx.queue, ctx.office_id, g.web_actor) as c:
            use_case(c)
    except DomainError as e:
        return show(section, 422 if e.status < 500 else e.status, error=error_text(e),
                    form=request.form, failed=_failed(e))
    return redirect(url_for(f"admin.{section}", saved=1), 303)


# --- pages ------------------------------------------------------------------------------

@bp.get("/")
@page(*ADMIN)
def home():
    return redirect(url_for("admin.services"))


@bp.get("/services")
@page(*ADMIN)
def services():
    return show("services")


@bp.get("/counters")
@page(*ADMIN)
def counters():
    return show("counters")


@bp.get("/users")
@page(*ADMIN)
def users():
    return show("users")


@bp.get("/devices")
@page(*ADMIN)
def devices():
    return show("devices")


@bp.get("/settings")
@page(*ADMIN)
def settings():
    return show("settings")


@bp.get("/audit")
@page(*ADMIN)
def audit():
    return show("audit")


# --- services and counters --------------------------------------------------------------

def _service_values() -> admin.ServiceValues:
    f = request.form
    values = {"name": forms.text(f, "name"), "prefix": forms.text(f, "prefix"),
              "start": forms.required_int(f, "start"), "width": forms.required_int(f, "width"),
              "daily_cap": forms.integer(f, "daily_cap", optional=True),
              "cutoff": forms.text(f, "cutoff") or None, "open": forms.checkbox(f, "open")}
    position = forms.integer(f, "position", optional=True)
    return values if position is None else {**values, "position": position}


@bp.post("/services")
@page(*ADMIN)
def add_service():
    return apply("services", lambda c: admin.add_service(
        c, forms.text(request.form, "code"), _service_values()))


@bp.post("/services/<id:service_id>")
@page(*ADMIN)
def edit_service(service_id: int):
    return apply("services", lambda c: admin.edit_service(c, service_id, _service_values()))


@bp.post("/counters")
@page(*ADMIN)
def add_counter():
    f = request.form
    return apply("counters", lambda c: admin.add_counter(
        c, forms.required_int(f, "counter_number"), forms.text(f, "name"),
        forms.ids(f, "services")))


@bp.post("/counters/<id:counter_id>")
@page(*ADMIN)
def edit_counter(counter_id: int):
    f = request.form
    return apply("counters", lambda c: admin.edit_counter(
        c, counter_id, forms.text(f, "name"), forms.ids(f, "services")))


# --- users and devices ------------------------------------------------------------------

@bp.post("/users")
@page(*ADMIN)
def add_user():
    f = request.form
    return apply("users", lambda c: admin.add_user(
        c, forms.text(f, "username", 64), forms.text(f, "full_name"), f.get("role", ""),
        f.get("password", ""), forms.ids(f, "counters"), f.get("password_again", "")))


@bp.post("/users/<id:user_id>")
@page(*ADMIN)
def edit_user(user_id: int):
    f = request.form
    return apply("users", lambda c: admin.edit_user(
        c, user_id, forms.text(f, "full_name"), f.get("role", ""), forms.ids(f, "counters")))


@bp.post("/users/<id:user_id>/password")
@page(*ADMIN)
def reset_password(user_id: int):
    return apply("users", lambda c: admin.reset_password(
        c, user_id, request.form.get("password", "")))


@bp.post("/users/<id:user_id>/active")
@page(*ADMIN)
def set_user_active(user_id: int):
    return apply("users", lambda c: admin.set_user_active(
        c, user_id, forms.checkbox(request.form, "active")))


@bp.post("/devices")
@page(*ADMIN)
def add_device():
    """The token is shown on this response only, never stored in clear, never redirected."""
    f = request.form
    made: list[str] = []
    result = apply("devices", lambda c: made.append(admin.add_device(
        c, forms.text(f, "device_name"), f.get("device_role", ""))))
    if not made:
        return result
    return show("devices", new_token=made[0], new_device=forms.text(f, "device_name"))


@bp.post("/devices/<id:device_id>/revoke")
@page(*ADMIN)
def revoke_device(device_id: int):
    return apply("devices", lambda c: admin.revoke_device(c, device_id))


# --- settings ---------------------------------------------------------------------------

@bp.post("/categories")
@page(*ADMIN)
def add_category():
    f = request.form
    return apply("settings", lambda c: admin.add_category(
        c, forms.text(f, "code"), forms.text(f, "name")))


@bp.post("/categories/<id:category_id>")
@page(*ADMIN)
def edit_category(category_id: int):
    f = request.form
    return apply("settings", lambda c: admin.edit_category(
        c, category_id, forms.text(f, "name"), forms.checkbox(f, "active")))


@bp.post("/settings/policy")
@page(*ADMIN)
def set_policy():
    f = request.form
    return apply("settings", lambda c: admin.set_policy(
        c, forms.required_int(f, "priority_run"), forms.required_int(f, "max_wait_minutes"),
        forms.required_int(f, "service_minutes")))


@bp.post("/settings/hours")
@page(*ADMIN)
def set_hours():
    f = request.form
    return apply("settings", lambda c: admin.set_hours(
        c, forms.text(f, "opening"), forms.text(f, "closing") or None))


@bp.post("/settings/announcement")
@page(*ADMIN)
def set_announcement():
    f = request.form
    return apply("settings", lambda c: admin.set_announcement(
        c, forms.text(f, "template"), forms.required_int(f, "repeat"),
        f.get("four", ""), f.get("zero_tens", ""), f.get("thousand", ""),
        forms.checkbox(f, "digit_by_digit")))


@bp.post("/settings/ticket")
@page(*ADMIN)
def set_ticket_texts():
    f = request.form
    return apply("settings", lambda c: admin.set_ticket_texts(
        c, forms.text(f, "footer"), forms.text(f, "notice")))
