"""Kiosks built exactly as `layso kiosk --windowed` builds them, and a printer on a socket."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from layso.kiosk.app import build_kiosk, make_app
from layso.kiosk.controller import Kiosk
from layso.kiosk.settings import KioskSettings
from tests.kiosk.fake_printer import FakePrinter

PIN = "2580"


@pytest.fixture
def fake_printer() -> Iterator[FakePrinter]:
    printer = FakePrinter()
    yield printer
    printer.close()


@pytest.fixture
def make_kiosk(qtbot, tmp_path) -> Iterator[Callable[..., Kiosk]]:
    made: list[Kiosk] = []

    def make(server_url: str = "http://127.0.0.1:9", token: str = "t" * 24,
             printer_uri: str = "", size: tuple[int, int] = (1280, 800)) -> Kiosk:
        make_app()
        settings = KioskSettings(server_url=server_url, token=token, printer_uri=printer_uri,
                                 path=tmp_path / f"kiosk{len(made)}.json")
        settings.set_pin(PIN)
        kiosk = build_kiosk(settings, windowed=True, size=size)
        qtbot.addWidget(kiosk.window)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.stop()
