"""The `layso` command: one entry point, a subcommand per job.

Each package registers its own subcommands (`register(subparsers)`), so this file
only assembles them; heavy imports (Qt, Flask) happen inside the commands.
"""

from __future__ import annotations

import argparse
import sys


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="layso",
        description="LaySo — hệ thống lấy số thứ tự cho Bộ phận Một cửa "
                    "(queue numbers for one-stop offices)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    from layso import demo
    from layso.counter_display import cli as display_cli
    from layso.counter_display import voice_cli
    from layso.kiosk import cli as kiosk_cli
    from layso.server import commands as server_commands
    from layso.ticket_printer import cli as printer_cli

    server_commands.register(sub)
    demo.register(sub)
    kiosk_cli.register(sub)
    display_cli.register(sub)
    voice_cli.register(sub)
    printer_cli.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # The server is not monkey-patched: its blocking work runs in real OS threads
    # beside the gevent loop (server/workers.py), which need real locks.
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
