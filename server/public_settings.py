"""The config keys of the reports, the rating devices and the status page, in one place.

    [server]
    public_url = "http://192.168.1.10:8080"   # base of the QR's status_url; default: the
                                              # address the request came to
    [office]
    kind = "rural"                            # urban | rural | remote → 1,600 / 1,200 / 800
    norm = 1200                               # optional: the province's own norm
    [ratings]
    timeout_s = 20                            # the rating tablet goes back to idle
    reasons = ["Chờ lâu", ...]                # offered when the level is unhappy
    [[ratings.levels]]
    code = "very_satisfied"
    name = "Rất hài lòng"
    name_en = "Very satisfied"
    unhappy = false

They are tables of the settings schema (`server/settings.py`: `ServerSettings`,
`RatingSettings`, `OfficeKind` inside `[office]`), checked with the rest of the file;
this module hands the running app the values its config file set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from layso.server.config import Config, parse_config
from layso.server.settings import (  # noqa: F401  (re-exported for the reports)
    DEFAULT_LEVELS,
    DEFAULT_REASONS,
    NORMS,
    OfficeKind,
    RatingLevel,
    RatingSettings,
    Section,
    ServerSettings,
)


class PublicSettings(Section):
    server: ServerSettings = ServerSettings()
    ratings: RatingSettings = RatingSettings()
    office: OfficeKind = OfficeKind()

    @property
    def norm(self) -> int:
        """Dossiers one staff member should handle in a year (the province's norm)."""
        return self.office.staffing_norm


def parse_public_settings(raw: dict[str, Any], path: Path) -> PublicSettings:
    """From a whole parsed config file (ConfigError names the first bad key)."""
    return load_public_settings(parse_config(raw, path))


def load_public_settings(config: Config) -> PublicSettings:
    """The keys above as the config file the server started with set them."""
    return PublicSettings(server=config.server, ratings=config.ratings,
                          office=OfficeKind(kind=config.office.kind, norm=config.office.norm))


def public_base_url() -> str:
    """Where a citizen's phone reaches this server: `[server] public_url`, else the
    address this request came to (the kiosk's own), else "" outside a request."""
    from flask import current_app, has_app_context, has_request_context, request

    if has_app_context():
        settings = current_app.extensions.get("layso.public")
        if settings is not None and settings.server.public_url:
            return settings.server.public_url.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return ""


def current() -> PublicSettings:
    """The running app's settings (defaults outside an app)."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.extensions.get("layso.public") or PublicSettings()
    return PublicSettings()
