"""What a printed ticket says: plain data, built by the kiosk or from the server's JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class TicketData:
    office_name: str
    office_unit: str
    service_name: str
    number: str
    issued_at: datetime  # aware, already in the office's time zone
    waiting_ahead: int
    estimated_wait_s: int | None
    priority_name: str | None = None
    qr_url: str | None = None
    footer: str | None = None
    counters: list[str] = field(default_factory=list)  # their numbers, e.g. ["2", "6"]
    lang: str = "vi"  # "en": the lines in English, for a citizen who chose English

    @classmethod
    def from_api(
        cls, ticket: dict[str, Any], office: dict[str, Any],
        counters: Sequence[int | str] | None = None,
        lang: str = "vi", service_name: str | None = None,
    ) -> TicketData:
        """Build from the server's ticket JSON and `GET /api/v1/office` (docs/API-EXTRAS.md);
        `service_name` replaces the ticket's (the field's English name, say)."""
        priority = ticket.get("priority_name") if ticket.get("priority") else None
        return cls(
            office_name=office.get("name") or "",
            office_unit=office.get("unit") or "",
            service_name=service_name or ticket.get("service_name") or "",
            number=str(ticket["number"]),
            issued_at=datetime.fromisoformat(ticket["issued_at"]),
            waiting_ahead=int(ticket.get("waiting_ahead") or 0),
            estimated_wait_s=ticket.get("estimated_wait_s"),
            priority_name=priority or None,
            qr_url=ticket.get("status_url") or None,
            footer=(office.get("ticket") or {}).get("footer") or None,
            counters=[str(c) for c in counters or []],
            lang=lang,
        )
