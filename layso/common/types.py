"""The API's value types, spelled once for the server, the devices and the web pages."""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


# The roles this version serves (the contract adds the province roles).
ROLES_DEVICE = ("kiosk", "display", "rating")   # rating: the tablet at a counter
ROLES_USER = ("clerk", "admin", "leader")

# What a device reports with POST /devices/me/status; the printer's own codes
# (ticket_printer) are these same strings.
DEVICE_STATUSES = (
    "ok",               # working
    "paper_near_end",   # still prints, paper is low
    "paper_out",
    "cover_open",
    "offline",          # the printer does not answer
    "printer_error",    # cutter or mechanical error
    "no_answer",
    "connection_failed",
    "write_failed",
    "bad_uri",
    "unsupported",
    "disconnected",     # a display that lost the server
)
DEVICE_PROBLEMS = tuple(s for s in DEVICE_STATUSES if s not in ("ok", "paper_near_end"))
