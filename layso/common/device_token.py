"""Where `layso kiosk` and `layso display` take their device token from.

A token on the command line is seen by anyone who runs `ps` on the machine, so it can
also come from a file or the environment. The first that is given wins:

1. `--token TOKEN`
2. `--token-file FILE` (the token alone; a trailing newline is fine)
3. `$LAYSO_TOKEN`
4. the token saved in the device's settings file

Only `--token` is written into the settings file; a token from a file or the environment
is read again at every start and never copied elsewhere.
"""

from __future__ import annotations

import argparse
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENV = "LAYSO_TOKEN"

# "Vietnamese (English)": a technician's one-line error.
_MESSAGES = {
    "unreadable": ("không đọc được tệp mã thiết bị {path}: {why}",
                   "cannot read the device token file {path}: {why}"),
    "empty": ("tệp mã thiết bị {path} trống", "the device token file {path} is empty"),
    "not_one": ("tệp mã thiết bị {path} phải chứa đúng một mã, không có khoảng trắng",
                "the device token file {path} must hold one token and no spaces"),
    "env_not_one": ("biến môi trường ${env} phải chứa đúng một mã, không có khoảng trắng",
                    "${env} must hold one token and no spaces"),
}


class TokenSourceError(Exception):
    """The token file cannot be used; the message names it and says why, in one line."""

    def __init__(self, key: str, **values: object) -> None:
        vi, en = (unicodedata.normalize("NFC", t.format(**values)) for t in _MESSAGES[key])
        super().__init__(f"{vi} ({en})")


@dataclass(frozen=True)
class GivenToken:
    token: str
    source: str          # "--token", "--token-file", "$LAYSO_TOKEN"

    @property
    def from_flag(self) -> bool:
        """Given as --token: the one source saved in the settings file."""
        return self.source == "--token"


def add_token_options(parser: argparse.ArgumentParser, device: str) -> None:
    """--token and --token-file for `layso kiosk` / `layso display`."""
    parser.add_argument("--token", help=f"this {device}'s device token (visible in `ps`: "
                                        "prefer --token-file or $LAYSO_TOKEN)")
    parser.add_argument("--token-file", metavar="FILE",
                        help=f"read this {device}'s device token from FILE; else ${ENV}, "
                             "else the saved settings")


def given_token(flag: str | None, token_file: str | None,
                environ: Mapping[str, str] = os.environ) -> GivenToken | None:
    """The token given for this start (see the module's order), or None: use the saved one."""
    if flag is not None:
        return GivenToken(flag, "--token")
    if token_file is not None:
        return GivenToken(read_token_file(Path(token_file).expanduser()), "--token-file")
    value = environ.get(ENV, "").strip()
    if value:
        if len(value.split()) != 1:
            raise TokenSourceError("env_not_one", env=ENV)
        return GivenToken(value, f"${ENV}")
    return None


def read_token_file(path: Path) -> str:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or str(exc)
        raise TokenSourceError("unreadable", path=path, why=why) from None
    words = raw.split()
    if not words:
        raise TokenSourceError("empty", path=path)
    if len(words) != 1:
        raise TokenSourceError("not_one", path=path)
    return words[0]
