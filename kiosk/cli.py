"""`layso kiosk`: the touchscreen where citizens take a number."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from layso.common.device_token import TokenSourceError, add_token_options, given_token


def register(sub: argparse._SubParsersAction) -> None:
    """Add `layso kiosk` to `layso`."""
    p = sub.add_parser(
        "kiosk", help="máy lấy số cảm ứng (touchscreen kiosk: take and print a number)",
        description="Máy lấy số: full screen; flags override and are saved to the settings "
                    "file. Technician settings: hold the top-left corner for 3 seconds.")
    p.add_argument("--server", metavar="URL", help="server URL, e.g. http://192.168.1.10:8080")
    add_token_options(p, "kiosk")
    p.add_argument("--printer", metavar="URI",
                   help="tcp://host:9100, serial:///dev/ttyUSB0, usb://VID:PID, file:///path, "
                        "preview:/dir; empty string for none")
    p.add_argument("--width", type=int, choices=(384, 576),
                   help="paper width in dots: 384 (58 mm) or 576 (80 mm)")
    p.add_argument("--windowed", action="store_true", help="a window, not full screen (testing)")
    p.add_argument("--settings", metavar="FILE",
                   help="the kiosk's settings file (default: kiosk.json in the user config dir)")
    p.set_defaults(func=run_kiosk)


def run_kiosk(args: argparse.Namespace) -> int:
    from layso.kiosk.settings import SettingsError, load_settings

    try:
        settings = load_settings(Path(args.settings).expanduser() if args.settings else None)
        given = given_token(args.token, args.token_file)
    except (SettingsError, TokenSourceError) as exc:
        print(f"layso kiosk: {exc}", file=sys.stderr)
        return 2
    overrides = {"server_url": args.server, "token": args.token,
                 "printer_uri": args.printer, "paper_width": args.width}
    changed = False
    for key, value in overrides.items():
        if value is not None and getattr(settings, key) != value:
            setattr(settings, key, value)
            changed = True
    problem = settings.problem()
    if problem is not None:
        print(f"layso kiosk: {problem}", file=sys.stderr)
        return 2
    if changed:
        settings.save()
    if given is not None and not given.from_flag:
        settings.use_token(given.token)  # for this run only: never written into the file

    from layso.kiosk.app import run

    return run(settings, windowed=args.windowed)
