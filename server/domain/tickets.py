"""Ticket states and which state may follow which.

waiting → called → done | no_show; called → waiting on transfer (same number);
waiting → cancelled; no_show → waiting when reactivated; anything unfinished → expired
at the daily reset. A recall keeps a called ticket called.
"""

from __future__ import annotations

from layso.common.types import TicketStatus
from layso.server.domain.errors import Conflict

Status = TicketStatus  # the shared spelling (layso.common.types)

UNFINISHED = (Status.WAITING, Status.CALLED)

# action → (states it may start from, state it leads to)
ACTIONS: dict[str, tuple[tuple[Status, ...], Status]] = {
    "call": ((Status.WAITING,), Status.CALLED),
    "recall": ((Status.CALLED,), Status.CALLED),
    "done": ((Status.CALLED,), Status.DONE),
    "no_show": ((Status.CALLED,), Status.NO_SHOW),
    "transfer": ((Status.CALLED, Status.WAITING), Status.WAITING),
    "cancel": ((Status.WAITING,), Status.CANCELLED),
    "reactivate": ((Status.NO_SHOW,), Status.WAITING),
    "expire": (UNFINISHED, Status.EXPIRED),
}


def next_status(action: str, current: str, number: str) -> Status:
    """The state `action` leads to from `current`; Conflict (409) when it may not."""
    allowed, target = ACTIONS[action]
    if current not in allowed:
        raise Conflict("ticket_state", number=number, status=current, action=action)
    return target
