"""`layso display`: the hall display, or with --counter N the screen above one desk."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from layso.common.device_token import TokenSourceError, add_token_options, given_token


def register(sub: argparse._SubParsersAction) -> None:
    """Add this package's subcommands to `layso`."""
    p = sub.add_parser(
        "display",
        help="hall display / counter display (màn hình sảnh, màn hình quầy)",
        description="Show the calls on the hall TV and announce them; with --counter N, "
                    "the small screen above counter N. Flags override the saved settings.",
    )
    p.add_argument("--server", help="server address, e.g. http://192.168.1.10:8080")
    add_token_options(p, "display")
    p.add_argument("--counter", type=int, metavar="N",
                   help="show only counter N (a desk screen; silent unless --voice is given)")
    p.add_argument("--voice", metavar="SPEC",
                   help='"tts", "tts:VOICE_ID", a voice-pack folder, or "none"')
    p.add_argument("--windowed", action="store_true", default=None,
                   help="a window instead of full screen (testing, desktops)")
    p.add_argument("--language", choices=["vi", "en"], help="screen language (default vi)")
    p.add_argument("--settings", type=Path, metavar="FILE",
                   help="saved settings file (default: the user config dir's display.json)")
    p.add_argument("--save", action="store_true",
                   help="remember the given flags in the settings file for the next start")
    p.set_defaults(func=run_display)


def run_display(args: argparse.Namespace) -> int:
    from layso.counter_display.settings import default_settings_file, load_settings, save_settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: "
                                                   "%(message)s")
    path = args.settings or default_settings_file()
    try:
        given = given_token(args.token, args.token_file)
    except TokenSourceError as exc:
        print(f"layso display: {exc}", file=sys.stderr)
        return 2
    settings = load_settings(path).overridden(
        server=args.server, token=args.token, counter=args.counter, voice=args.voice,
        windowed=args.windowed, language=args.language)
    if args.save:
        save_settings(settings, path)
        logging.getLogger(__name__).info("settings saved to %s", path)
    if given is not None and not given.from_flag:
        settings = settings.overridden(token=given.token)  # never written to the file
    if not settings.token:
        print(f"layso display: không có mã thiết bị (no device token): give --token-file FILE, "
              f"$LAYSO_TOKEN or --token, or save one in {path}", file=sys.stderr)
        return 2

    from layso.counter_display.app import run

    return run(settings, settings_file=path)
