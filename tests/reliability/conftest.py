"""The reliability suite uses the real clients the other folders build: the kiosk (with a
printer on a socket) and the hall display's font. Chromium comes from tests/conftest.py."""

from tests.display.conftest import display_font  # noqa: F401
from tests.kiosk.conftest import fake_printer, make_kiosk  # noqa: F401
