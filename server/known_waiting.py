"""The waiting tickets as this server last saw them, so a kiosk's issue need not read the
whole line again to tell the citizen how many are ahead.

Every ticket transition writes an event row (recording.py), so the newest event id says
whether the waiting tickets can have changed: the office's row is read with that id
(office_rows.office), and while it is the one kept here, so are the tickets. A
transaction that moves tickets through the hot paths says what it moved (`moved`);
once it has committed, and its events follow the kept id directly (no other process
wrote in between), the tickets as it left them are kept under its last event id. Any
other move (a transfer, a reactivation, the day's reset) forgets them: the next read
fetches them again. The call rule itself never looks here: the lines are still made by
domain/line.py from these candidates.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from layso.server.domain.policy import Candidate
from layso.server.lines import fetch_waiting
from layso.server.storage.db import after_commit
from layso.server.workers import native_lock

if TYPE_CHECKING:
    from layso.server.snapshots import OfficeView

ByField = dict[int, list[Candidate]]  # field → its waiting tickets, oldest first
_EVENT_IDS = "layso_event_ids"        # session.info: the ids its events were stored with


class KnownWaiting:
    """Per office: (newest event id, business day, the waiting tickets by field)."""

    def __init__(self) -> None:
        self._lock = native_lock()
        self._kept: dict[int, tuple[int, date, ByField]] = {}

    def get(self, office_id: int, event_id: int, day: date) -> ByField | None:
        with self._lock:
            kept = self._kept.get(office_id)
        if kept is None or kept[0] != event_id or kept[1] != day:
            return None
        return kept[2]

    def put(self, office_id: int, event_id: int, day: date, waiting: ByField) -> None:
        with self._lock:
            kept = self._kept.get(office_id)
            if kept is None or kept[0] <= event_id:
                self._kept[office_id] = (event_id, day, waiting)

    def forget(self, office_id: int) -> None:
        with self._lock:
            self._kept.pop(office_id, None)


def waiting_now(session: Session, office: OfficeView) -> ByField:
    """This transaction's waiting tickets by field (kept ones, else read once)."""
    memo = office.memo
    if "waiting_now" not in memo:
        kept = None if memo.get("moved") else _kept(office)
        if kept is None:
            kept = _by_field(fetch_waiting(session, office.id, office.today))
            if not memo.get("moved") and _says_event_id(office):  # as of that event id
                office.known.put(office.id, office.row.last_event_id, office.today, kept)
        memo["waiting_now"] = dict(kept)  # lists are replaced, never changed in place
    return memo["waiting_now"]


def waiting_in(session: Session, office: OfficeView, fields: frozenset[int] | None
               ) -> list[Candidate]:
    """The waiting tickets of these fields (None: of all), by field, each oldest first."""
    by_field = waiting_now(session, office)
    chosen = by_field if fields is None else (f for f in sorted(fields) if f in by_field)
    return [c for f in chosen for c in by_field[f]]


def moved(session: Session, office: OfficeView, added: Candidate | None = None,
          removed: tuple[int, int] | None = None) -> None:
    """A hot path moved a ticket: `added` began to wait, `removed` = (field, id) stopped."""
    memo = office.memo
    if "waiting_now" not in memo and not memo.get("moved"):
        kept = _kept(office)  # as before this move: the change is applied to it below
        if kept is not None:
            memo["waiting_now"] = dict(kept)
    memo["moved"] = True
    state = memo.get("waiting_now")
    if state is not None:
        if added is not None:
            queue = list(state.get(added.service_id, ()))
            insort(queue, added, key=Candidate.order.fget)
            state[added.service_id] = queue
        if removed is not None:
            field_id, ticket_id = removed
            state[field_id] = [c for c in state.get(field_id, ()) if c.id != ticket_id]
    if not memo.get("keep_registered"):
        memo["keep_registered"] = True
        ids = session.info.setdefault(_EVENT_IDS, [])
        after_commit(session, _keep_after_commit(office, ids))


def unknown_move(office: OfficeView) -> None:
    """A move this module is not told the details of: read the tickets again."""
    office.memo.pop("waiting_now", None)
    office.memo["moved"] = office.memo["unknown"] = True
    office.known.forget(office.id)


def stored_events(session: Session, ids: list[int]) -> None:
    """recording.py tells the ids its events got (before commit)."""
    holder = session.info.get(_EVENT_IDS)
    if holder is not None:
        holder.extend(ids)


def _keep_after_commit(office: OfficeView, ids: list[int]) -> Callable[[], None]:
    def keep() -> None:
        state = office.memo.get("waiting_now")
        base = office.row.last_event_id
        follows = ids and ids == list(range(base + 1, base + 1 + len(ids)))
        if state is None or office.memo.get("unknown") or not follows \
                or not _says_event_id(office):
            office.known.forget(office.id)
        else:
            office.known.put(office.id, ids[-1], office.today, state)
    return keep


def _says_event_id(office: OfficeView) -> bool:
    return getattr(office.row, "last_event_id", None) is not None  # not an ORM row


def _kept(office: OfficeView) -> ByField | None:
    if not _says_event_id(office):
        return None
    return office.known.get(office.id, office.row.last_event_id, office.today)


def _by_field(waiting: list[Candidate]) -> ByField:
    found: ByField = {}
    for candidate in waiting:
        found.setdefault(candidate.service_id, []).append(candidate)
    return found
