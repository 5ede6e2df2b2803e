"""The Flask application factory: `create_app(config)` wires storage, rules and blueprints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from layso.server.auth import Credentials, Logins
from layso.server.broker import Broker
from layso.server.config import Config
from layso.server.operations import Queue
from layso.server.seed import seed_office
from layso.server.storage.db import Database, data_dir_path, database_url
from layso.server.workers import Workers

MAX_BODY = 64 * 1024


class IdConverter(IntegerConverter):
    """A row id in a URL: a positive integer small enough for every database."""

    def __init__(self, url_map, **kwargs):
        super().__init__(url_map, min=1, max=2 ** 53 - 1)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class LaySo:
    """What every request handler reaches through `current_app.extensions['layso']`."""

    config: Config
    db: Database
    queue: Queue
    broker: Broker
    office_id: int
    clock: Callable[[], datetime]
    workers: Workers          # blocking work off the gevent loop (started by serve())
    credentials: Credentials  # token → actor, cleared when a credential ends
    logins: Logins
    keepalive_s: float = 15.0


def create_app(config: Config, data_dir: str | Path | None = None,
               db_url: str | None = None, clock: Callable[[], datetime] = utc_now,
               keepalive_s: float = 15.0) -> Flask:
    url = db_url or database_url(config.database_url, data_dir_path(data_dir))
    db = Database(url)
    db.migrate()
    workers = Workers()
    broker = Broker(workers)
    queue = Queue(db, clock, broker.publish)
    with db.write() as session:
        office_id = seed_office(session, config, clock())
    queue.roll_day(office_id)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["layso"] = LaySo(
        config, db, queue, broker, office_id, clock, workers=workers,
        credentials=Credentials(db, clock, workers, broker), logins=Logins(db, clock),
        keepalive_s=keepalive_s)

    from layso.server import api, public, stream
    from layso.server.errors import register_error_handlers

    app.url_map.converters["id"] = IdConverter
    app.register_blueprint(api.bp)
    app.register_blueprint(stream.bp)
    public.register(app)  # status page API, ratings, reports (server/public.py)
    register_error_handlers(app)
    _register_web(app)
    return app


def _register_web(app: Flask) -> None:
    """The clerk console and admin pages, when that part of the server is installed."""
    try:
        from layso.server.web import register
    except ImportError:
        return
    register(app)
