from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from layso.ticket_printer import TicketData
from tests.printer.fake_printer import READY, SerialPrinter, TcpPrinter

CONFIG = Path(__file__).resolve().parents[2] / "config" / "layso.toml"
OFFICE_TZ = timezone(timedelta(hours=7))


def longest_service_name() -> str:
    with open(CONFIG, "rb") as file:
        return max((s["name"] for s in tomllib.load(file)["services"]), key=len)


@pytest.fixture
def ticket() -> TicketData:
    """A priority citizen for the field with the longest name, with QR and footer."""
    return TicketData(
        office_name="UBND phường Sài Gòn",
        office_unit="Trung tâm Phục vụ hành chính công",
        service_name=longest_service_name(),
        number="5012",
        issued_at=datetime(2026, 11, 22, 8, 15, 3, tzinfo=OFFICE_TZ),
        waiting_ahead=7,
        estimated_wait_s=900,
        priority_name="Phụ nữ mang thai, người có con dưới 6 tuổi",
        qr_url="http://192.168.1.10:8080/t/1234",
        footer="Cảm ơn công dân đã đến làm thủ tục. Xin vui lòng chờ đến lượt.",
        counters=["5"],
    )


@pytest.fixture
def tcp_printer(request):
    printer = TcpPrinter(getattr(request, "param", READY))
    yield printer
    printer.close()


@pytest.fixture
def serial_printer(request):
    printer = SerialPrinter(getattr(request, "param", READY))
    yield printer
    printer.close()
