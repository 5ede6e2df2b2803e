"""A real server whose clock the test moves: the business day can end while clients watch.

Run as `python -m tests.support.clock_server --clock-file F --config C --data-dir D --port P`,
it is `layso server` with two differences, both made here and not in the product: the app
gets `create_app(config, clock=...)` with a clock reading "machine time + the seconds in
F" (read on every call, so rewriting F moves the office's time at once), and the
business-day check runs every `--day-check-s` seconds instead of every 20. Serving is the
real `serve()` (gevent pywsgi, pool threads, the day timer), as `layso server` runs it.

`ClockServer` starts it like `LiveServer` starts `layso server`, and moves its clock.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.live_server import LiveServer

DAY_CHECK_S = 0.2


class FileClock:
    """UTC now, shifted by the number of seconds the test wrote into a file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def offset_s(self) -> float:
        return float(self.path.read_text(encoding="ascii"))

    def __call__(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset_s())


def write_offset(path: Path, seconds: float) -> None:
    """Replace the offset in one step: the server never reads half a number."""
    part = path.with_suffix(".part")
    part.write_text(repr(seconds), encoding="ascii")
    os.replace(part, path)


class ClockServer(LiveServer):
    """A live server process whose office clock reads `start` now and then runs on."""

    def __init__(self, config: Path, data_dir: Path, start: datetime, **kwargs) -> None:
        super().__init__(config, data_dir, **kwargs)
        self.clock_file = data_dir.parent / f"{data_dir.name}-clock"
        self.move_to(start)

    def command(self) -> list[str]:
        return [sys.executable, "-m", "tests.support.clock_server",
                "--clock-file", str(self.clock_file), "--day-check-s", str(DAY_CHECK_S),
                "--port", str(self.port), "--config", str(self.config),
                "--data-dir", str(self.data_dir)]

    def move_to(self, when: datetime) -> None:
        """From now on the server's clock reads `when`, then runs on at the normal pace."""
        write_offset(self.clock_file, (when - datetime.now(UTC)).total_seconds())

    def now(self) -> datetime:
        return FileClock(self.clock_file)()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clock-file", required=True, type=Path)
    parser.add_argument("--day-check-s", type=float, default=DAY_CHECK_S)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--config", required=True)
    parser.add_argument("--data-dir", required=True)
    args = parser.parse_args(argv)

    from layso.server import serve as serving
    from layso.server import startup
    from layso.server.app import create_app
    from layso.server.commands import configure_logging
    from layso.server.config import load_config

    configure_logging()
    config = load_config(args.config)
    url = startup.database_url(config.database_url, args.data_dir)
    app = create_app(config, db_url=url, clock=FileClock(args.clock_file))
    serving.DAY_CHECK_S = args.day_check_s  # the timer reads it before each sleep
    serving.serve(app, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
