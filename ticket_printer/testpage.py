"""The technician's test page and the sample ticket (`layso printer test` / `preview`)."""

from __future__ import annotations

import tomllib
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

from PIL import Image, ImageDraw

from layso.ticket_printer import messages as m
from layso.ticket_printer.layout import new_page, text_sizes, ticket_parts
from layso.ticket_printer.parts import Part
from layso.ticket_printer.ticket import TicketData

BUNDLED_CONFIG = Path(__file__).resolve().parents[1] / "config" / "layso.toml"
ALPHABET = "A Ă Â B C D Đ E Ê G H I K L M N O Ô Ơ P Q R S T U Ư V X Y"
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")  # ngang sắc huyền hỏi ngã nặng
SAMPLE_QR = "http://192.168.1.10:8080/t/5012"  # the shape of a [ticket].status_url


def tone_rows(upper: bool = False) -> list[str]:
    """"a á à ả ã ạ · ă ắ ằ ẳ ẵ ặ" ...: every vowel with every tone, two vowels a row."""
    vowels = VOWELS.upper() if upper else VOWELS
    groups = [" ".join(unicodedata.normalize("NFC", v + tone) for tone in TONES)
              for v in vowels]
    return [" · ".join(groups[i:i + 2]) for i in range(0, len(groups), 2)]


def vietnamese_lines() -> list[str]:
    """Every Vietnamese line the test page prints, in order."""
    return [ALPHABET, ALPHABET.lower(), *tone_rows(), *tone_rows(upper=True)]


def ruler(width_dots: int) -> Image.Image:
    """Full width: a tick every mm (8 dots at 203 dpi), longer every 5 mm and 10 mm,
    and a bar at both edges, so a cut-off margin shows at once."""
    image = Image.new("1", (width_dots, 28), 1)
    draw = ImageDraw.Draw(image)
    draw.line((0, 27, width_dots - 1, 27), fill=0)
    for x in range(0, width_dots, 8):
        tall = 20 if x % 80 == 0 else 12 if x % 40 == 0 else 6
        draw.line((x, 27 - tall, x, 27), fill=0)
    draw.rectangle((0, 0, 1, 27), fill=0)
    draw.rectangle((width_dots - 2, 0, width_dots - 1, 27), fill=0)
    return image


def build_test_page(width_dots: int, status_text: str, sample: TicketData) -> list[Part]:
    size = text_sizes(width_dots)
    page = new_page(width_dots)
    page.gap(8)
    page.paragraph(m.TEST_TITLE, "bold", size["service"])
    page.paragraph(m.TEST_WIDTH.format(dots=width_dots, mm=round(width_dots / 8)),
                   "regular", size["info"])
    page.gap(6)
    page.image(ruler(width_dots))
    page.gap(10)
    page.paragraph(m.TEST_ALPHABET_TITLE, "semibold", size["info"])
    for line in vietnamese_lines():
        page.paragraph(line, "regular", size["info"])
    page.gap(8)
    page.paragraph(m.TEST_STATUS.format(status=status_text), "semibold", size["info"])
    page.gap(12)
    page.paragraph(m.TEST_SAMPLE_TITLE, "semibold", size["info"])
    page.image(ruler(width_dots))
    return page.parts + ticket_parts(sample, width_dots)


def sample_ticket(config: Path | None = None) -> TicketData:
    """A ticket as the office's config would print it: its longest service name (to show
    the wrap), a priority mark, a QR and the footer."""
    with open(config or BUNDLED_CONFIG, "rb") as file:
        data = tomllib.load(file)
    office = data.get("office", {})
    services = [s["name"] for s in data.get("services", []) if s.get("name")] or ["Tư pháp"]
    priorities = [p["name"] for p in data.get("priority_categories", []) if p.get("name")]
    service = max(services, key=len)
    counters = [str(c["number"]) for c in data.get("counters", [])
                if any(s.get("name") == service and s.get("code") in c.get("services", [])
                       for s in data.get("services", []))]
    return TicketData(
        office_name=office.get("name", "UBND"),
        office_unit=office.get("unit", ""),
        service_name=service,
        number="5012",
        issued_at=datetime.now(timezone(timedelta(hours=7))).replace(microsecond=0),
        waiting_ahead=7,
        estimated_wait_s=900,
        priority_name=priorities[0] if priorities else None,
        qr_url=SAMPLE_QR,
        footer=data.get("ticket", {}).get("footer"),
        counters=counters,
    )
