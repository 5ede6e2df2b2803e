"""The kiosk's own settings file: where the server is, its token, the printer, the PIN.

JSON, by default `kiosk.json` in the user config directory (`--settings FILE` to move it).
The technician PIN is stored only as a salted PBKDF2 hash. An installer may write a
plain `"technician_pin": "2580"` into the file instead: the kiosk hashes it on the
next start and removes the plain value. With neither, the kiosk asks for a new PIN
on its first start (the technician is standing there installing it).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import get_type_hints
from urllib.parse import urlsplit

from platformdirs import user_config_dir

from layso.kiosk import messages as m

PAPER_WIDTHS = (384, 576)  # dots: 58 mm and 80 mm paper
_PBKDF2_ROUNDS = 200_000


def default_settings_path() -> Path:
    return Path(user_config_dir("layso")) / "kiosk.json"


class SettingsError(Exception):
    """The settings file cannot be read; the message names the file and the key."""


@dataclass
class KioskSettings:
    server_url: str = "http://127.0.0.1:8080"
    token: str = ""
    printer_uri: str = ""
    paper_width: int = 576
    pin_hash: str = ""  # "pbkdf2_sha256$rounds$salt_hex$hash_hex"
    path: Path | None = field(default=None, repr=False, compare=False)
    # `token` came from --token-file or $LAYSO_TOKEN for this run: the file keeps this one
    stored_token: str | None = field(default=None, repr=False, compare=False)

    @property
    def api_base(self) -> str:
        """The API root whether the technician typed the server or the /api/v1 URL."""
        url = self.server_url.rstrip("/")
        return url if url.endswith("/api/v1") else url + "/api/v1"

    @property
    def has_pin(self) -> bool:
        return bool(self.pin_hash)

    def set_pin(self, pin: str) -> None:
        if not (pin.isdigit() and 4 <= len(pin) <= 8):
            raise ValueError("the PIN must be 4 to 8 digits")
        salt = secrets.token_bytes(16)
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, _PBKDF2_ROUNDS)
        self.pin_hash = f"pbkdf2_sha256${_PBKDF2_ROUNDS}${salt.hex()}${digest.hex()}"

    def check_pin(self, pin: str) -> bool:
        try:
            scheme, rounds, salt, expected = self.pin_hash.split("$")
        except ValueError:
            return False
        if scheme != "pbkdf2_sha256":
            return False
        digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(rounds))
        return hmac.compare_digest(digest.hex(), expected)

    def problem(self) -> str | None:
        """The first value that is wrong (see `value_problem`), or None."""
        for f in fields(self):
            if f.name not in ("path", "stored_token"):
                found = value_problem(f.name, getattr(self, f.name))
                if found is not None:
                    return found
        return None

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("path")
        stored = data.pop("stored_token")
        if stored is not None:
            data["token"] = stored
        return data

    def use_token(self, token: str) -> None:
        """Run with `token` (from a token file or the environment) without saving it."""
        if self.stored_token is None:
            self.stored_token = self.token
        self.token = token

    def save(self, path: Path | None = None) -> Path:
        target = Path(path or self.path or default_settings_path())
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n",
                       encoding="utf-8")
        os.replace(tmp, target)  # a power cut never leaves half a file
        self.path = target
        return target


def value_problem(key: str, value: object) -> str | None:
    """What is wrong with `value` for the setting `key` (Vietnamese and English), or None.

    The types come from `KioskSettings` itself; the file, the technician's page and the
    command-line flags all ask here.
    """
    want = get_type_hints(KioskSettings).get(key)
    if want in (str, int):
        wrong_type = isinstance(value, bool) or not isinstance(value, want)
        if wrong_type:
            name = want.__name__
            return m.both("settings.type", name=key, value=json.dumps(value, ensure_ascii=False),
                          want_vi=m.text(f"type.{name}", m.VI),
                          want_en=m.text(f"type.{name}", m.EN))
    if key == "server_url" and value:
        url = urlsplit(str(value))
        if url.scheme not in ("http", "https") or not url.hostname:
            return m.both("settings.url", value=json.dumps(value, ensure_ascii=False))
    if key == "paper_width" and value not in PAPER_WIDTHS:
        return m.both("settings.paper_width", value=json.dumps(value))
    return None


def load_settings(path: Path | None = None) -> KioskSettings:
    """Read the settings file; a missing file gives the defaults (first start)."""
    target = Path(path or default_settings_path())
    if not target.exists():
        return KioskSettings(path=target)
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SettingsError(f"{target}: {m.both('settings.unreadable', detail=exc)}") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"{target}: {m.both('settings.not_object')}")
    plain_pin = data.pop("technician_pin", None)
    known = {f.name for f in fields(KioskSettings)} - {"path", "stored_token"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(f"{target}: " + m.both("settings.unknown", name=unknown[0],
                                                   known=", ".join(sorted(known))))
    for key, value in data.items():
        problem = value_problem(key, value)
        if problem is not None:
            raise SettingsError(f"{target}: {problem}")
    settings = KioskSettings(**data, path=target)
    if plain_pin is not None:
        try:
            settings.set_pin(str(plain_pin))
        except ValueError as exc:
            raise SettingsError(f"{target}: {m.both('settings.pin')}") from exc
        settings.save()
    return settings
