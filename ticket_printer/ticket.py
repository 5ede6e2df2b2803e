"""What a printed ticket says: plain data, built by the kiosk or from the server's JSON."""

from __future__ import annotations

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
    counters: list[str] = field(default_factory=list)  # e.g. ["Quầy 2", "Quầy 6"]

    @classmethod
    def from_api(
        cls, ticket: dict[str, Any], office: dict[str, Any], counters: list[str] | None = None
    ) -> TicketData:
        """Build from the server's ticket JSON and `GET /api/v1/office` (docs/API-EXTRAS.md)."""
        priority = ticket.get("priority_name") if ticket.get("priority") else None
        return cls(
            office_name=office.get("name") or "",
            office_unit=office.get("unit") or "",
            service_name=ticket.get("service_name") or "",
            number=str(ticket["number"]),
            issued_at=datetime.fromisoformat(ticket["issued_at"]),
            waiting_ahead=int(ticket.get("waiting_ahead") or 0),
            estimated_wait_s=ticket.get("estimated_wait_s"),
            priority_name=priority or None,
            qr_url=ticket.get("status_url") or None,
            footer=(office.get("ticket") or {}).get("footer") or None,
            counters=list(counters or []),
        )
