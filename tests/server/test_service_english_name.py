"""A field's optional English name: from the config file (bounded like `name`), stored in
services.name_en, given by GET /services as `name_en` and documented there; an admin's edit
on the page (which has no such input) keeps it; a config that adds it later fills it in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from layso.server import admin
from layso.server.app import create_app
from layso.server.config import load_config
from layso.server.openapi import document
from layso.server.operations import Actor
from layso.server.seed import seed_office
from layso.server.settings import ServiceSettings, SettingsError, validate
from layso.server.storage.tables import Service
from tests.support.api_office import postgres_database
from tests.support.live_server import KIOSK_TOKEN, write_test_config


@pytest.fixture
def app(tmp_path, test_config):
    return create_app(load_config(test_config), data_dir=tmp_path / "data")


def services(app) -> dict[str, dict]:
    r = app.test_client().get("/api/v1/services",
                              headers={"Authorization": f"Bearer {KIOSK_TOKEN}"})
    assert r.status_code == 200, r.text
    return {s["code"]: s for s in r.get_json()}


def test_get_services_gives_the_english_names_of_the_config_as_documented(app):
    listed = services(app)
    assert listed["CT"]["name"] == "Chứng thực" and listed["CT"]["name_en"] == "Certification"
    doc = document()
    schema = {"$ref": "#/components/schemas/Service", "components": doc["components"]}
    for item in listed.values():
        Draft202012Validator(schema).validate(item)
    assert "name_en" in doc["components"]["schemas"]["Service"]["required"]


def test_an_english_name_is_bounded_like_the_name():
    base = {"code": "TP", "name": "Tư pháp"}
    assert validate(ServiceSettings, base).name_en == ""
    assert validate(ServiceSettings, {**base, "name_en": "x" * 200}).name_en == "x" * 200
    with pytest.raises(SettingsError) as refused:
        validate(ServiceSettings, {**base, "name_en": "x" * 201})
    assert refused.value.field == "name_en"
    assert str(refused.value) == ("name_en: tối đa 200 ký tự, đang có 201 "
                                  "(at most 200 characters, not 201)")


def test_an_admin_edit_keeps_the_english_name_and_a_new_field_has_none(app):
    ctx = app.extensions["layso"]
    with admin.change(ctx.queue, ctx.office_id, None) as c:
        boss_id = admin.add_user(c, "quantri", "", "admin", "mat-khau-dai-1", [])
    boss = Actor("user", boss_id, ctx.office_id, "admin", "quantri")
    ct = services(app)["CT"]
    form = {"name": "Chứng thực bản sao", "prefix": "2", "start": 1, "width": 3,
            "daily_cap": None, "cutoff": None, "open": True}
    with admin.change(ctx.queue, ctx.office_id, boss) as c:
        admin.edit_service(c, ct["id"], form)
    with admin.change(ctx.queue, ctx.office_id, boss) as c:
        admin.add_service(c, "QS", {**form, "name": "Quân sự", "prefix": "9"})
    listed = services(app)
    assert (listed["CT"]["name"], listed["CT"]["name_en"]) == ("Chứng thực bản sao",
                                                               "Certification")
    assert listed["QS"]["name_en"] == ""


def test_a_config_that_adds_english_names_later_fills_in_only_the_empty_ones(tmp_path):
    plain = write_test_config(tmp_path / "plain.toml")
    text = "\n".join(line for line in plain.read_text(encoding="utf-8").splitlines()
                     if not line.startswith("name_en"))
    plain.write_text(text, encoding="utf-8")
    app = create_app(load_config(plain), data_dir=tmp_path / "data")
    assert all(s["name_en"] == "" for s in services(app).values())
    ctx = app.extensions["layso"]
    with ctx.db.write() as s:
        s.scalar(select(Service).where(Service.code == "TP")).name_en = "Justice"
    later = load_config(write_test_config(tmp_path / "later.toml"))   # with name_en
    with ctx.db.write() as s:
        seed_office(s, later, datetime.now(UTC))
    listed = services(app)
    assert listed["CT"]["name_en"] == "Certification"
    assert listed["TP"]["name_en"] == "Justice"          # what was stored stays


@pytest.mark.postgres
def test_migration_0004_and_the_english_names_on_postgresql(tmp_path, test_config):
    with postgres_database() as url:
        app = create_app(load_config(test_config), data_dir=tmp_path / "data", db_url=url)
        try:
            assert services(app)["VX"]["name_en"] == "Culture – Education – Health"
        finally:
            app.extensions["layso"].db.dispose()
