"""The running server reads the office's stored settings through the same schema."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from layso.server import admin
from layso.server import snapshots as snap
from layso.server.app import create_app
from layso.server.config import ConfigError, load_config
from layso.server.operations import Actor
from layso.server.settings import OfficeSettings
from layso.server.settings_problems import words
from layso.server.storage.tables import Counter, Office, Service
from tests.support.live_server import DISPLAY_TOKEN


@pytest.fixture
def ctx(tmp_path, test_config):
    return create_app(load_config(test_config), data_dir=tmp_path / "data").extensions["layso"]


def boss(ctx) -> Actor:
    with admin.change(ctx.queue, ctx.office_id, None) as c:
        user_id = admin.add_user(c, "quantri", "", "admin", "mat-khau-dai-1", [])
    return Actor("user", user_id, ctx.office_id, "admin", "quantri")


def test_seeding_stores_every_section_with_its_defaults(ctx, test_config):
    with ctx.db.read() as s:
        stored = s.get(Office, ctx.office_id).settings
    assert stored == load_config(test_config).office_settings().stored()
    assert set(stored) == set(OfficeSettings.model_fields)
    assert stored["policy"] == {"priority_run": 2, "max_wait_minutes": 0, "service_minutes": 8}


def test_a_stored_value_the_schema_refuses_is_read_as_its_default_and_kept(ctx, caplog):
    # Written by an older version: max_wait_minutes this large made every call-next a 500.
    with ctx.db.write() as s:
        office = s.get(Office, ctx.office_id)
        office.settings = {**office.settings, "junk": {"a": 1},
                           "policy": {"priority_run": 1, "max_wait_minutes": 9223372036854775807},
                           "ticket": {"footer": "Cảm ơn", "status_url": "http://old/t/{id}"}}
        tp = s.scalar(select(Service.id).where(Service.code == "TP"))
        counter_1 = s.scalar(select(Counter.id).where(Counter.number == 1))
    kiosk = Actor("device", 1, ctx.office_id, "kiosk")
    first, _created = ctx.queue.issue_ticket(kiosk, tp, None)
    with caplog.at_level(logging.WARNING, logger="layso.settings"):
        called = ctx.queue.call_next(boss(ctx), counter_1)
    assert called["id"] == first["id"]
    assert any("policy.max_wait_minutes" in r.getMessage() for r in caplog.records)
    with ctx.db.read() as s:
        view = ctx.queue.office(s, ctx.office_id)
        policy, ticket = view.settings.policy, view.settings.ticket
        stored = view.row.settings
    assert (policy.priority_run, policy.max_wait_minutes, policy.service_minutes) == (1, 0, 8)
    assert ticket.footer == "Cảm ơn"
    assert stored["policy"]["max_wait_minutes"] == 9223372036854775807   # nothing stored is lost


def test_settings_are_parsed_once_per_transaction(ctx, monkeypatch):
    with ctx.db.read() as s:
        tp = s.scalar(select(Service.id).where(Service.code == "TP"))
    kiosk = Actor("device", 1, ctx.office_id, "kiosk")
    for _ in range(20):
        ctx.queue.issue_ticket(kiosk, tp, None)
    calls = []
    real = OfficeSettings.from_stored.__func__

    def counting(cls, raw):
        calls.append(1)
        return real(cls, raw)
    monkeypatch.setattr(OfficeSettings, "from_stored", classmethod(counting))

    def build(session, office):   # what GET /display reads, in one transaction
        return [snap.office_json(session, office), snap.services_json(session, office),
                snap.counters_json(session, office), office.settings.display.notice]
    ctx.queue.read(ctx.office_id, build)
    assert len(calls) == 1


def test_the_display_reads_the_typed_settings(tmp_path, test_config):
    app = create_app(load_config(test_config), data_dir=tmp_path / "data")
    r = app.test_client().get("/api/v1/display",
                              headers={"Authorization": f"Bearer {DISPLAY_TOKEN}"})
    assert r.status_code == 200
    assert r.json["announce_repeat"] == 2
    assert r.json["notice"].startswith("Giờ tiếp nhận hồ sơ")


def test_a_field_the_file_adds_must_not_repeat_the_numbers_of_one_made_on_the_page(
        tmp_path, test_config, ctx):
    with admin.change(ctx.queue, ctx.office_id, None) as c:
        admin.add_service(c, "QS", {"name": "Quân sự", "prefix": "9"})
    later = tmp_path / "later.toml"
    later.write_text(test_config.read_text(encoding="utf-8")
                     + '\n[[services]]\ncode = "BH"\nname = "Bảo hiểm"\nprefix = "9"\n',
                     encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        create_app(load_config(later), data_dir=tmp_path / "data")
    vi, en = words("clash", other="QS – Quân sự", number="9001")
    assert str(refused.value) == f"{later}: services[8].prefix: {vi} ({en})"
    with ctx.db.read() as s:
        assert s.scalar(select(Service).where(Service.code == "BH")) is None
