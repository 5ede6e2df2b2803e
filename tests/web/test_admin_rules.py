"""The admin's use cases without a browser: what is refused, what is recorded, who is told."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape
from sqlalchemy import select

from layso.server import admin
from layso.server.app import create_app
from layso.server.config import load_config
from layso.server.domain.errors import DomainError
from layso.server.operations import Actor
from layso.server.settings_problems import words
from layso.server.storage.tables import AuditEntry, Counter, Service
from tests.config.cases import CASES, config_message, problem_of


@pytest.fixture
def app(tmp_path, test_config):
    return create_app(load_config(test_config), data_dir=tmp_path / "data")


@pytest.fixture
def ctx(app):
    return app.extensions["layso"]


def run(ctx, actor, use_case):
    with admin.change(ctx.queue, ctx.office_id, actor) as c:
        return use_case(c)


def make_admin(ctx, username: str = "quantri") -> Actor:
    user_id = run(ctx, None, lambda c: admin.add_user(c, username, "", "admin",
                                                      "mat-khau-dai-1", []))
    return Actor("user", user_id, ctx.office_id, "admin", username)


def published(ctx):
    subscription = ctx.broker.subscribe(ctx.office_id)

    def drain() -> list[dict]:
        out = []
        while (event := subscription.get(timeout=0.01)) is not None:
            out.append(event)
        return out
    return drain


def test_the_last_admin_can_neither_be_disabled_nor_demoted_nor_disable_themself(ctx):
    boss = make_admin(ctx)
    with pytest.raises(DomainError, match="invalid_field"):
        run(ctx, None, lambda c: admin.set_user_active(c, boss.id, False))
    with pytest.raises(DomainError):
        run(ctx, None, lambda c: admin.edit_user(c, boss.id, "", "clerk", []))
    deputy = make_admin(ctx, "phoquantri")
    with pytest.raises(DomainError):
        run(ctx, boss, lambda c: admin.set_user_active(c, boss.id, False))
    run(ctx, deputy, lambda c: admin.set_user_active(c, boss.id, False))  # now allowed


def test_disabling_a_clerk_ends_their_sessions_at_once(app, ctx):
    boss = make_admin(ctx)
    clerk = run(ctx, boss, lambda c: admin.add_user(c, "canbo9", "", "clerk",
                                                    "mat-khau-dai-2", []))
    client = app.test_client()
    token = client.post("/api/v1/auth/login",
                        json={"username": "canbo9", "password": "mat-khau-dai-2"}).json["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/services", headers=bearer).status_code == 200
    run(ctx, boss, lambda c: admin.set_user_active(c, clerk, False))
    assert client.get("/api/v1/services", headers=bearer).status_code == 401


def test_every_change_is_recorded_with_who_made_it(ctx):
    boss = make_admin(ctx)
    run(ctx, boss, lambda c: admin.set_policy(c, 3, 20, 10))
    run(ctx, boss, lambda c: admin.set_ticket_texts(c, "Xin cảm ơn quý khách.", "Nghỉ lễ 2/9"))
    with ctx.db.read() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.user_id) for e in entries[-2:]] == \
        [("settings.policy", boss.id), ("settings.ticket", boss.id)]
    assert entries[-2].details["changed"]["priority_run"] == [2, 3]


def test_moving_a_field_to_another_counter_tells_kiosks_and_displays(ctx):
    drain = published(ctx)
    boss = make_admin(ctx)
    with ctx.db.read() as s:
        counter_1 = s.scalar(select(Counter).where(Counter.number == 1))
        codes = {sv.code: sv.id for sv in s.scalars(select(Service))}
    run(ctx, boss, lambda c: admin.edit_counter(c, counter_1.id, "Quầy 1 – Hộ tịch",
                                                [codes["TP"], codes["VX"]]))
    events = {e["type"]: e["data"] for e in drain()}
    assert events["counter.updated"]["counter"]["name"] == "Quầy 1 – Hộ tịch"
    assert sorted(events["counter.updated"]["counter"]["service_ids"]) == \
        sorted([codes["TP"], codes["VX"]])
    vx = next(s for s in events["services.updated"]["services"] if s["code"] == "VX")
    assert 1 in vx["counters"]


def test_a_new_announcement_template_is_spoken_at_the_next_call(ctx):
    boss = make_admin(ctx)
    run(ctx, boss, lambda c: admin.set_announcement(
        c, "Mời công dân số {number} đến quầy {counter}", 3, "bốn", "lẻ", "ngàn", False))
    with pytest.raises(DomainError):
        run(ctx, boss, lambda c: admin.set_announcement(
            c, "Mời số {number}", 2, "tư", "linh", "nghìn", False))  # no {counter}
    with ctx.db.read() as s:
        tp = s.scalar(select(Service).where(Service.code == "TP")).id
        counter_1 = s.scalar(select(Counter).where(Counter.number == 1)).id
    kiosk = Actor("device", 1, ctx.office_id, "kiosk")
    ctx.queue.issue_ticket(kiosk, tp, None)
    drain = published(ctx)
    ctx.queue.call_next(boss, counter_1)
    called = next(e["data"] for e in drain() if e["type"] == "ticket.called")
    assert called["announcement"].startswith("Mời công dân số một ngàn không trăm lẻ một")


def test_a_new_priority_category_reaches_the_office_snapshot(app, ctx):
    drain = published(ctx)
    boss = make_admin(ctx)
    run(ctx, boss, lambda c: admin.add_category(c, "TE", "Trẻ em dưới 6 tuổi đi cùng"))
    update = next(e["data"] for e in drain() if e["type"] == "office.updated")
    assert {"code": "TE", "name": "Trẻ em dưới 6 tuổi đi cùng"} in \
        update["office"]["priority_categories"]
    with pytest.raises(DomainError):
        run(ctx, boss, lambda c: admin.add_category(c, "TE", "lần nữa"))


def test_a_service_start_must_fit_its_width(ctx):
    boss = make_admin(ctx)
    with pytest.raises(DomainError) as refused:
        run(ctx, boss, lambda c: admin.add_service(
            c, "QS", {"name": "Quân sự", "prefix": "9", "start": 1000, "width": 3}))
    assert refused.value.params["field"] == "start"


# --- the same mistakes as in the config file, the same words ---------------------------

def ids_of(ctx) -> dict:
    with ctx.db.read() as s:
        return {"services": {sv.code: sv.id for sv in s.scalars(select(Service))},
                "counters": {c.number: c.id for c in s.scalars(select(Counter))}}


def field(**values):
    """A new field QS as the add form sends it, with some values changed."""
    return {"name": "Quân sự", "prefix": "9", "start": 1, "width": 3, "daily_cap": None,
            "cutoff": None, "open": True, **values}


TEMPLATE = "Xin mời công dân có số thứ tự {number} đến quầy số {counter}"


def announce(template=TEMPLATE, repeat=2, four="tư", zero_tens="linh", thousand="nghìn"):
    return lambda c, ids: admin.set_announcement(c, template, repeat, four, zero_tens,
                                                 thousand, False)


SAME_MISTAKES = [
    ("prefix-long", "prefix", lambda c, ids: admin.add_service(c, "QS", field(prefix="ABCD"))),
    ("width-too-wide", "width", lambda c, ids: admin.add_service(c, "QS", field(width=7))),
    ("width-zero", "width", lambda c, ids: admin.add_service(c, "QS", field(width=0))),
    ("start-negative", "start", lambda c, ids: admin.add_service(c, "QS", field(start=-1))),
    ("start-beyond-width", "start",
     lambda c, ids: admin.add_service(c, "QS", field(start=1000))),
    ("daily-cap-huge", "daily_cap",
     lambda c, ids: admin.add_service(c, "QS", field(daily_cap=99999999999999999999))),
    ("daily-cap-zero", "daily_cap",
     lambda c, ids: admin.edit_service(c, ids["services"]["KD"], field(daily_cap=0))),
    ("cutoff-shape", "cutoff", lambda c, ids: admin.add_service(c, "QS", field(cutoff="25:00"))),
    ("max-wait-huge", "max_wait_minutes",
     lambda c, ids: admin.set_policy(c, 2, 9223372036854775807, 8)),
    ("priority-run-big", "priority_run", lambda c, ids: admin.set_policy(c, 21, 0, 8)),
    ("service-minutes-zero", "service_minutes", lambda c, ids: admin.set_policy(c, 2, 0, 0)),
    ("repeat-big", "repeat", announce(repeat=6)),
    ("four", "four", announce(four="bon")),
    ("template-no-counter", "template",
     announce(template="Xin mời công dân có số thứ tự {number} đến quầy")),
    ("template-unknown", "template", announce(template=TEMPLATE.replace("number", "numbr"))),
    ("opening-shape", "opening", lambda c, ids: admin.set_hours(c, "7h30", "17:00")),
    ("closing-before-opening", "closing", lambda c, ids: admin.set_hours(c, "07:30", "06:00")),
    ("counter-number-big", "counter_number",
     lambda c, ids: admin.add_counter(c, 1000, "Quầy 1000", [ids["services"]["TP"]])),
    ("counter-name-empty", "name",
     lambda c, ids: admin.edit_counter(c, ids["counters"][2], " ", [ids["services"]["TP"]])),
    ("counter-no-service", "services",
     lambda c, ids: admin.edit_counter(c, ids["counters"][2], "Quầy 2", [])),
    ("category-code", "code", lambda c, ids: admin.add_category(c, "N K T", "Người khuyết tật")),
    ("device-role", "device_role", lambda c, ids: admin.add_device(c, "kiosk-1", "printer")),
]


@pytest.mark.parametrize("case_id, input_name, mistake", SAME_MISTAKES,
                         ids=[m[0] for m in SAME_MISTAKES])
def test_the_admin_page_refuses_what_the_config_refuses_in_the_same_words(
        tmp_path, ctx, case_id, input_name, mistake):
    case = next(c for c in CASES if c.id == case_id)
    path = case.write(tmp_path)
    in_file = problem_of(config_message(path), path, case.key)
    ids = ids_of(ctx)
    with pytest.raises(DomainError) as refused:
        run(ctx, make_admin(ctx), lambda c: mistake(c, ids))
    vi, en = refused.value.params["problem"]
    assert refused.value.params["field"] == input_name
    assert f"{vi} ({en})" == in_file
    assert refused.value.status == 422


def test_two_fields_never_print_one_number_on_the_admin_page_either(ctx):
    boss = make_admin(ctx)
    ids = ids_of(ctx)
    tp = "TP – Tư pháp – Hộ tịch"
    for values, number in ((field(prefix="1"), "1001"),                 # the same prefix
                           (field(prefix="10", width=2), "1001"),       # one inside the other
                           (field(prefix="1", width=3, start=500), "1500")):
        with pytest.raises(DomainError) as refused:
            run(ctx, boss, lambda c, v=values: admin.add_service(c, "QS", v))
        assert refused.value.params["field"] == "prefix"
        assert refused.value.params["problem"] == words("clash", other=tp, number=number)
    # Editing a field into another's range is refused too; a field never clashes with itself.
    with pytest.raises(DomainError) as refused:
        run(ctx, boss, lambda c: admin.edit_service(c, ids["services"]["CT"],
                                                   field(name="Chứng thực", prefix="1")))
    assert "1001" in refused.value.params["problem"][0]
    run(ctx, boss, lambda c: admin.edit_service(c, ids["services"]["TP"],
                                               field(name="Tư pháp – Hộ tịch", prefix="1")))
    # Near but apart: TP moves to 1100–1999, then "10" width 2 (1001–1099) fits beside it.
    run(ctx, boss, lambda c: admin.edit_service(c, ids["services"]["TP"],
                                               field(name="Tư pháp – Hộ tịch", prefix="1",
                                                     start=100)))
    run(ctx, boss, lambda c: admin.add_service(c, "QS", field(prefix="10", width=2)))
    with ctx.db.read() as s:
        assert s.scalar(select(Service).where(Service.code == "QS")).prefix == "10"


def test_a_duplicate_code_reads_like_the_config_file(ctx):
    with pytest.raises(DomainError) as refused:
        run(ctx, make_admin(ctx), lambda c: admin.add_service(c, "TP", field(prefix="9")))
    assert refused.value.params["problem"] == words(
        "duplicate", shown='"TP"', other="Tư pháp – Hộ tịch")


def test_refused_changes_keep_what_was_stored(ctx):
    boss = make_admin(ctx)
    with pytest.raises(DomainError):
        run(ctx, boss, lambda c: admin.set_policy(c, 3, 9223372036854775807, 8))
    with ctx.db.read() as s:
        office = ctx.queue.office(s, ctx.office_id)
        assert office.settings.policy.priority_run == 2   # nothing half-applied
    run(ctx, boss, lambda c: admin.set_policy(c, 3, 600, 8))
    with ctx.db.read() as s:
        assert ctx.queue.office(s, ctx.office_id).settings.policy.max_wait_minutes == 600


# --- the page itself -----------------------------------------------------------------------

def logged_in_admin(app, ctx):
    make_admin(ctx)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    r = client.post("/login", data={"csrf": csrf, "username": "quantri",
                                    "password": "mat-khau-dai-1"})
    assert r.status_code in (302, 303)
    page = client.get("/admin/settings").get_data(as_text=True)
    return client, re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_the_page_shows_the_problem_next_to_the_refused_input(app, ctx):
    client, csrf = logged_in_admin(app, ctx)
    r = client.post("/admin/settings/policy", data={
        "csrf": csrf, "priority_run": "2", "max_wait_minutes": "9223372036854775807",
        "service_minutes": "8"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    vi, en = words("range", low=0, high=600, shown="9223372036854775807")
    problem = re.search(r'<input name="max_wait_minutes"[^>]*>\s*<span class="field-error" '
                        r'id="problem-max_wait_minutes"[^>]*>(.*?)</span></span>', html, re.S)
    assert problem, "the problem is not next to the input"
    assert problem.group(1) == f'{vi} <span lang="en">({en})'
    assert 'aria-invalid="true"' in html.split('name="max_wait_minutes"')[1].split(">")[0]
    assert 'value="9223372036854775807"' in html   # what was typed is kept

    r = client.post("/admin/services", data={"csrf": csrf, "code": "QS", "name": "Quân sự",
                                             "prefix": "10", "start": "1", "width": "2"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    vi, _en = words("clash", other="TP – Tư pháp – Hộ tịch", number="1001")
    assert f'id="problem-prefix" data-field="prefix">{vi}' in html
    # The schema's bounds are on the inputs.
    assert re.search(r'name="width" type="number" value="2" min="1" max="6"', html)


def test_a_number_typed_as_text_is_refused_in_the_schema_words(app, ctx):
    client, csrf = logged_in_admin(app, ctx)
    r = client.post("/admin/settings/policy", data={
        "csrf": csrf, "priority_run": "hai", "max_wait_minutes": "0", "service_minutes": "8"})
    assert r.status_code == 422
    vi, en = words("whole", shown='"hai"')
    html = r.get_data(as_text=True)
    assert str(escape(vi)) in html and str(escape(en)) in html
