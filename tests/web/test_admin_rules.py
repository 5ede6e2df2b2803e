"""The admin's use cases without a browser: what is refused, what is recorded, who is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from layso.server import admin
from layso.server.app import create_app
from layso.server.config import load_config
from layso.server.domain.errors import DomainError
from layso.server.operations import Actor
from layso.server.storage.tables import AuditEntry, Counter, Service


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
            c, "QS", admin.ServiceValues(name="Quân sự", prefix="9", start=1000, width=3)))
    assert refused.value.params["field"] == "start"
