"""The TOML config file: read it and check it against the settings schema.

A bad file stops start-up with one line that names the file, the key and the problem,
in Vietnamese then English, e.g.
`layso.toml: services[2].prefix: tối đa 3 chữ cái không dấu hoặc chữ số, không phải "ABCD"
(at most 3 letters or digits, not "ABCD")`. The keys, defaults and bounds are those of
`server.settings`; this module only reads the file.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import PrivateAttr

from layso.common.types import ROLES_DEVICE, ROLES_USER  # noqa: F401  (re-exported)
from layso.server.settings import ConfigFile, SettingsError, validate

BUNDLED_CONFIG = Path(__file__).resolve().parent.parent / "config" / "layso.toml"


class ConfigError(Exception):
    """The config file cannot be used; the message (one line) starts with the file's path."""


class Config(ConfigFile):
    """A config file as loaded: its settings, and the file they came from."""

    _path: Path = PrivateAttr(default=BUNDLED_CONFIG)

    @property
    def path(self) -> Path:
        return self._path


def config_path(explicit: str | os.PathLike | None) -> Path:
    """--config, else $LAYSO_CONFIG, else the bundled file."""
    if explicit:
        return Path(explicit)
    if os.environ.get("LAYSO_CONFIG"):
        return Path(os.environ["LAYSO_CONFIG"])
    return BUNDLED_CONFIG


def load_config(path: str | os.PathLike | None = None) -> Config:
    path = config_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: không tìm thấy tệp cấu hình (config file not found)") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: là thư mục, không phải tệp cấu hình "
                          "(is a directory, not a config file)") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: tệp không phải UTF-8 (file is not UTF-8 text)") from None
    except OSError as e:
        raise ConfigError(f"{path}: không đọc được tệp cấu hình "
                          f"(cannot read the config file: {e.strerror or e})") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: lỗi cú pháp TOML (TOML syntax error): "
                          f"{_one_line(str(e))}") from None
    except ValueError as e:  # e.g. an integer of thousands of digits
        raise ConfigError(f"{path}: lỗi cú pháp TOML (TOML syntax error): "
                          f"{_one_line(str(e))}") from None
    return parse_config(raw, path)


def parse_config(raw: dict[str, Any], path: Path) -> Config:
    """The settings of a parsed TOML document; ConfigError names the first bad key."""
    try:
        config = validate(Config, raw)
    except SettingsError as e:
        raise ConfigError(_one_line(f"{path}: {e}")) from None
    config._path = path
    return config


def _one_line(text: str) -> str:
    return " ".join(text.split())
