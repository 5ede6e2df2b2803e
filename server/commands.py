"""`layso server`, `user`, `device`, `backup`, `restore`: the server-side subcommands.

Every command that touches the database takes the same --config and --data-dir.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

from layso.server import startup
from layso.server.config import ROLES_DEVICE, ROLES_USER, Config, config_path, load_config
from layso.server.console_address import serving_lines
from layso.server.startup import fail, one_line, step

log = logging.getLogger("layso")


def add_db_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", help="tệp cấu hình TOML (config file; default "
                                         "$LAYSO_CONFIG or the bundled config/layso.toml)")
    parser.add_argument("--data-dir", help="thư mục dữ liệu (data directory; default "
                                           "$LAYSO_DATA_DIR or the user data directory)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("server", help="chạy máy chủ (run the queue server)")
    p.add_argument("--host", default="127.0.0.1",
                   help="địa chỉ lắng nghe (default 127.0.0.1; 0.0.0.0 for the office LAN)")
    p.add_argument("--port", type=int, default=8080)
    add_db_args(p)
    p.set_defaults(func=cmd_server)

    user = sub.add_parser("user", help="quản lý người dùng (manage users)")
    user_sub = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_sub.add_parser("add", help="thêm người dùng; mật khẩu đọc từ stdin "
                                          "(add a user; password from standard input)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES_USER)
    add.add_argument("--counters", default="",
                     help="số quầy được phân công, ví dụ 1,2 (assigned counters; default any)")
    add.add_argument("--full-name", default="")
    add_db_args(add)
    add.set_defaults(func=cmd_user_add)

    device = sub.add_parser("device", help="quản lý thiết bị (manage kiosks and displays)")
    device_sub = device.add_subparsers(dest="device_command", required=True, metavar="ACTION")
    dadd = device_sub.add_parser("add", help="tạo mã thiết bị (make a device token, shown once)")
    dadd.add_argument("name")
    dadd.add_argument("--role", required=True, choices=ROLES_DEVICE)
    add_db_args(dadd)
    dadd.set_defaults(func=cmd_device_add)

    backup = sub.add_parser("backup", help="sao lưu cơ sở dữ liệu, kể cả khi máy chủ đang chạy "
                                           "(back up the database, also while the server runs)")
    backup.add_argument("out", help="tệp đích (output file)")
    add_db_args(backup)
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="khôi phục từ bản sao lưu; máy chủ phải dừng "
                                             "(restore a backup; the server must be stopped)")
    restore.add_argument("file", help="bản sao lưu do layso backup tạo ra (a layso backup file)")
    add_db_args(restore)
    restore.set_defaults(func=cmd_restore)


def load(args: argparse.Namespace) -> Config:
    with step("config", config_path(args.config)):
        return load_config(args.config)


def open_office(args: argparse.Namespace):
    """Config, database (checked, migrated) and the office id, as `layso server` sees them."""
    from layso.server.seed import seed_office
    from layso.server.storage.db import Database

    config = load(args)
    url = startup.database_url(config.database_url, args.data_dir)
    with step("database", startup.describe(url)):
        db = Database(url)
        db.migrate()
        with db.write() as session:
            office_id = seed_office(session, config, datetime.now(UTC))
    return config, db, office_id


def configure_logging() -> None:
    """INFO lines on stderr. `force`: python-escpos calls logging.basicConfig() when it is
    imported, which would otherwise leave the root logger at WARNING and hide ours."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s",
                        force=True)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin list on every start


@one_line
def cmd_server(args: argparse.Namespace) -> int:
    configure_logging()
    config = load(args)
    address = f"{args.host}:{args.port}"
    startup.check_address(args.host, args.port)  # before the database is touched
    url = startup.database_url(config.database_url, args.data_dir)
    owner = startup.own_database(url, f"layso server {address}")  # one server per SQLite file
    try:
        from layso.server.app import create_app
        from layso.server.serve import serve

        with step("database", startup.describe(url)):
            app = create_app(config, db_url=url)
        for line in serving_lines(args.host, args.port, first_run=not _admin_exists(app)):
            log.info(line)
        with step("address", address):
            serve(app, args.host, args.port)
    finally:
        if owner is not None:
            owner.release()
    return 0


def _admin_exists(app) -> bool:
    """The rule the /setup page follows: it makes the first admin while there is none."""
    from layso.server.admin import admin_exists

    ctx = app.extensions["layso"]
    with ctx.db.read() as session:
        return admin_exists(session, ctx.office_id)


def read_password(prompt: str = "Mật khẩu (password): ") -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Nhập lại (again): ") != first:
            raise ValueError("hai lần nhập không khớp (the two entries differ)")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def _admin_change(db, office_id: int):
    """The admin pages' use cases, run from the command line (audited, no live stream)."""
    from layso.server.admin import change
    from layso.server.app import utc_now
    from layso.server.operations import Queue

    return change(Queue(db, utc_now, lambda _office, _event: None), office_id, actor=None)


def _refused(e) -> int:
    from layso.server.messages import message

    return fail(f"{message(e.code, 'vi', **e.params)} ({message(e.code, 'en', **e.params)})")


@one_line
def cmd_user_add(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from layso.server import admin
    from layso.server.domain.errors import DomainError
    from layso.server.storage.tables import Counter

    _config, db, office_id = open_office(args)
    try:
        password = read_password()
        numbers = [int(n) for n in args.counters.split(",") if n.strip()]
    except ValueError as e:
        return fail(str(e))
    try:
        with _admin_change(db, office_id) as c:
            counters = dict(c.session.execute(select(Counter.number, Counter.id).where(
                Counter.office_id == office_id, Counter.number.in_(numbers))).all())
            missing = [n for n in numbers if n not in counters]
            if missing:
                return fail(f"không có quầy số {missing[0]} (no counter {missing[0]})")
            admin.add_user(c, args.name, args.full_name, args.role, password,
                           [counters[n] for n in numbers])
    except DomainError as e:
        return _refused(e)
    print(f"Đã thêm {args.role} {args.name} (user added)")
    return 0


@one_line
def cmd_device_add(args: argparse.Namespace) -> int:
    from layso.server import admin
    from layso.server.domain.errors import DomainError

    _config, db, office_id = open_office(args)
    try:
        with _admin_change(db, office_id) as c:
            token = admin.add_device(c, args.name, args.role)
    except DomainError as e:
        return _refused(e)
    print(f"Mã thiết bị {args.name} ({args.role}) — chỉ hiện một lần (shown once):")
    print(token)
    return 0


@one_line
def cmd_backup(args: argparse.Namespace) -> int:
    from layso.server import backup

    config = load(args)
    url = startup.resolve_database_url(config.database_url, args.data_dir)
    out = Path(args.out)
    backup.backup(url, out)
    print(f"Đã sao lưu {startup.describe(url)} vào {out} (backed up)")
    return 0


@one_line
def cmd_restore(args: argparse.Namespace) -> int:
    from layso.server import backup
    from layso.server.storage.db import data_dir_path

    config = load(args)
    url = startup.resolve_database_url(config.database_url, args.data_dir)
    source = Path(args.file)
    aside = backup.restore(url, source, data_dir_path(args.data_dir))
    kept = (f"; bản cũ để ở {aside} (the replaced database is kept at {aside})"
            if aside is not None else "")
    print(f"Đã khôi phục {startup.describe(url)} từ {source} (restored){kept}")
    return 0


def stop_on_sigterm(stop) -> None:
    signal.signal(signal.SIGTERM, lambda *_: stop())
