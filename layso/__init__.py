"""LaySo (lấy số): one installable package; every part lives under this name.

Installed from a wheel, the parts are real subpackages (`layso/server`, `layso/kiosk`,
…). In a source checkout (tests, editable installs) they stay in their top-level folders
beside this one, so this package's search path also covers the checkout: the same
import names work in both, and nothing but `layso` is put into site-packages.
"""

from __future__ import annotations

import os

PARTS = ("common", "server", "kiosk", "counter_display", "ticket_printer", "config", "assets")

_here = os.path.dirname(os.path.abspath(__file__))
_checkout = os.path.dirname(_here)
if not os.path.isdir(os.path.join(_here, "server")) \
        and os.path.isfile(os.path.join(_checkout, "server", "__init__.py")):
    __path__.append(_checkout)  # type: ignore[name-defined]  # noqa: F821

__version__ = "0.2.0"
