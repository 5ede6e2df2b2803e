"""`layso demo`: the whole office on one machine — server, kiosk, hall display — on the
embedded SQLite database, with a virtual printer that writes each ticket as a PNG."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="chạy thử toàn bộ trên một máy (everything on one machine)")
    p.add_argument("--data-dir", help="thư mục dữ liệu demo (default: the user data dir /demo)")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--no-gui", action="store_true",
                   help="chỉ chạy máy chủ (server only, e.g. on a machine with no screen)")
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from layso.demo_run import run_demo
    from layso.server.startup import one_line

    return one_line(run_demo)(args)
