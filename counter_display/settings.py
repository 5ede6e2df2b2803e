"""A display's saved settings (which server, its token, hall or counter, which voice),
so a TV that boots needs no flags; command-line flags override them.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_SERVER = "http://127.0.0.1:8080"


def default_settings_file() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("layso", appauthor=False)) / "display.json"


@dataclass(frozen=True)
class DisplaySettings:
    server: str = DEFAULT_SERVER
    token: str = ""
    counter: int | None = None        # None: the hall display; a number: that desk's screen
    voice: str | None = None          # "tts", "tts:VOICE_ID", a voice-pack folder, "none"
    windowed: bool = False
    language: str = "vi"
    highlight_seconds: float = 8.0
    # the office's time zone as the server last gave it: the hall clock keeps showing
    # office time while the server cannot be reached, even right after a restart
    timezone: str | None = None

    @property
    def voice_spec(self) -> str | None:
        """The voice to speak with, or None for silence (a desk screen is silent by default)."""
        spec = self.voice if self.voice is not None else ("none" if self.counter else "tts")
        return None if spec.lower() in ("", "none", "off") else spec

    def overridden(self, **flags: object) -> DisplaySettings:
        """These settings with every flag that was given (not None) put over them."""
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in flags.items() if k in known and v is not None})


def load_settings(path: Path) -> DisplaySettings:
    """The saved settings, or the defaults when the file is missing or unreadable."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DisplaySettings()
    except (OSError, ValueError) as exc:
        log.warning("ignoring display settings %s: %s", path, exc)
        return DisplaySettings()
    if not isinstance(raw, dict):
        log.warning("ignoring display settings %s: not a JSON object", path)
        return DisplaySettings()
    return DisplaySettings().overridden(**raw)


def remember_timezone(path: Path, zone: str) -> None:
    """Write the office's time zone into the settings file, leaving the rest as it is."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    except (OSError, ValueError) as exc:
        log.warning("not remembering the time zone in %s: %s", path, exc)
        return
    if not isinstance(raw, dict) or raw.get("timezone") == zone:
        return
    raw["timezone"] = zone
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(raw, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # a power cut never leaves half a file


def save_settings(settings: DisplaySettings, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = {k: v for k, v in asdict(settings).items() if k != "windowed"}
    path.write_text(json.dumps(saved, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
