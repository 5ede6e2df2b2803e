"""An in-process LaySo app per test module: the bundled commune, a fresh data directory,
the two test devices, one admin and one clerk. Requests go through Flask's test client."""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from server.app import create_app
from server.commands import cmd_user_add
from server.config import load_config
from server.storage.tables import Ticket
from tests.support.live_server import DISPLAY_TOKEN, KIOSK_TOKEN, write_test_config

ADMIN = ("admin", "admin-pass-123")
CLERK = ("canbo1", "canbo-pass-123")


@dataclass
class Office:
    app: Flask
    client: FlaskClient
    tokens: dict[str, str]          # role → bearer token

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def ticket_count(self) -> int:
        with self.app.extensions["layso"].db.read() as session:
            return session.scalar(select(func.count()).select_from(Ticket))

    def issue(self, service_id: int = 1) -> dict:
        r = self.client.post("/api/v1/tickets", json={"service_id": service_id},
                             headers=self.auth("kiosk"))
        assert r.status_code == 201, r.get_data(as_text=True)
        return r.get_json()


def add_user(config_path, data_dir, role: str, username: str, password: str) -> None:
    """`layso user add` as the technician runs it, password on standard input."""
    args = argparse.Namespace(name=username, role=role, counters="", full_name="",
                              config=str(config_path), data_dir=str(data_dir))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(password + "\n"))
        assert cmd_user_add(args) == 0


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Iterator[Office]:
    root = tmp_path_factory.mktemp("office")
    config_path = write_test_config(root / "layso.toml")
    data_dir = root / "data"
    app = create_app(load_config(config_path), data_dir=data_dir, keepalive_s=0.2)
    add_user(config_path, data_dir, "admin", *ADMIN)
    add_user(config_path, data_dir, "clerk", *CLERK)
    client = app.test_client()
    tokens = {"kiosk": KIOSK_TOKEN, "display": DISPLAY_TOKEN}
    for role, (username, password) in (("admin", ADMIN), ("clerk", CLERK)):
        r = client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert r.status_code == 200, r.get_data(as_text=True)
        tokens[role] = r.get_json()["token"]
    yield Office(app, client, tokens)
    app.extensions["layso"].db.dispose()
