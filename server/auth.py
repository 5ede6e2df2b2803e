"""Who is asking: device tokens, user logins, passwords, roles.

Tokens are random and stored only as SHA-256 hashes; passwords are hashed with
scrypt (Werkzeug). There is no built-in user or password: `layso user add` or the
first-run page makes the first admin.

`Credentials` keeps token → actor in memory, so a request does not ask the database
who it is; any committed change to what an actor is made of (a device revoked, a user
disabled or given another role or counters, a session ended by logout) clears it at
once and closes the open event streams whose credential no longer holds.
"""

from __future__ import annotations

import hashlib
import math
import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from itertools import chain
from time import monotonic
from typing import TYPE_CHECKING

from gevent.event import AsyncResult
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from layso.server.domain.errors import DomainError
from layso.server.login_throttle import LoginThrottle
from layso.server.operations import Actor, clerk_counter_ids
from layso.server.storage.db import Database, after_commit
from layso.server.storage.tables import AuthToken, Device, User, UserCounter, utc
from layso.server.workers import Workers, native_lock

if TYPE_CHECKING:
    from layso.server.broker import Broker, Subscription

TOKEN_LIFETIME = timedelta(hours=16)
MIN_PASSWORD = 8
CACHE_S = 60.0        # also bounds how late a change made by another process is seen
CACHE_LIMIT = 10_000
HASH_NICENESS = 10


def _lower_priority() -> None:
    """The hashing thread yields the CPU to every other thread of the machine (Linux)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICENESS)
    except (AttributeError, OSError):  # not on this system: the pool size still bounds it
        pass


# scrypt is CPU work that lets go of the GIL. It runs in its own small pool of threads at
# low priority, at most half the cores at once: a flood of logins leaves the rest of the
# machine to the kiosks and consoles, and only the logins themselves wait.
_HASHER = ThreadPoolExecutor(max(1, (os.cpu_count() or 2) // 2), "layso-hash",
                             initializer=_lower_priority)
# A hash no password matches, checked for unknown names so they cost what known ones do.
_DUMMY_HASH = ("scrypt:32768:8:1$Wo05fpfYmwzLUk3B$b3a4e927ccc1b6bf1dda9be85345d18020ddd128b3c5"
               "2926cf813d1fad466e76b60948b6f43c073240b9678b7f182370fd1cbf7bb0ab013dbbd797df878de340")


class Unauthorized(DomainError):
    status = 401


class TooManyLogins(DomainError):
    status = 429

    def __init__(self, seconds: float):
        self.retry_after = max(1, math.ceil(seconds))
        super().__init__("too_many_logins", seconds=self.retry_after)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return _HASHER.submit(generate_password_hash, password, method="scrypt").result()


def password_matches(stored_hash: str | None, password: str) -> bool:
    """The scrypt check; without a stored hash (no such user) the same work, then False."""
    matches = _HASHER.submit(check_password_hash, stored_hash or _DUMMY_HASH, password).result()
    return matches and stored_hash is not None


def user_actor(session: Session, user: User) -> Actor:
    counters = clerk_counter_ids(session, user.id) if user.role == "clerk" else frozenset()
    return Actor("user", user.id, user.office_id, user.role, user.username, counters)


def lookup(session: Session, digest: str, now: datetime) -> tuple[Actor, datetime | None] | None:
    """The device or logged-in user a token hash belongs to, and when it expires; or None."""
    device = session.scalar(select(Device).where(Device.token_hash == digest))
    if device is not None:
        if device.revoked:
            return None
        return Actor("device", device.id, device.office_id, device.role, device.name), None
    row = session.execute(select(AuthToken, User).join(User, User.id == AuthToken.user_id)
                          .where(AuthToken.token_hash == digest)).first()
    if row is None:
        return None
    auth, user = row
    expires = utc(auth.expires_at)
    if not user.active or expires <= now:
        return None
    return user_actor(session, user), expires


def same_credential(before: Actor | None, now: Actor | None) -> bool:
    """Whether a stream opened as `before` may go on as `now` (None: it ended)."""
    return before is not None and now is not None and \
        (before.kind, before.id, before.office_id, before.role) == \
        (now.kind, now.id, now.office_id, now.role)


class Credentials:
    def __init__(self, db: Database, clock: Callable[[], datetime], workers: Workers,
                 broker: Broker):
        self._db = db
        self._clock = clock
        self._workers = workers
        self._broker = broker
        self._lock = native_lock()
        self._cache: dict[str, tuple[Actor, datetime | None, float]] = {}
        self._pending: dict[str, AsyncResult] = {}  # lookups in flight, on the loop only
        self.generation = 0  # grows at every change; a lookup begun before it is not kept
        watch_credentials(db, self.changed)

    def actor(self, token: str) -> Actor | None:
        """Who this token is, from the cache or (off the loop) from the database."""
        return self.actor_by_digest(token_hash(token))

    def actor_by_digest(self, digest: str) -> Actor | None:
        with self._lock:
            entry = self._cache.get(digest)
        if entry is not None:
            actor, expires, until = entry
            if monotonic() < until and (expires is None or self._clock() < expires):
                return actor
        if not self._workers.on_loop():
            return self._load([digest])[digest]
        # On the loop, streams of one display token wake together: one lookup for all.
        pending = self._pending.get(digest)
        if pending is None:
            pending = self._pending[digest] = AsyncResult()
            try:
                pending.set(self._workers.run(self._load, [digest])[digest])
            except Exception as e:
                pending.set_exception(e)
            finally:
                del self._pending[digest]
        return pending.get()

    def _load(self, digests: list[str]) -> dict[str, Actor | None]:
        generation = self.generation
        with self._db.read() as session:
            now = self._clock()
            found = {digest: lookup(session, digest, now) for digest in digests}
        until = monotonic() + CACHE_S
        with self._lock:
            for digest, hit in found.items():
                if hit is None:
                    self._cache.pop(digest, None)
                elif generation == self.generation:
                    if len(self._cache) >= CACHE_LIMIT:
                        self._cache.clear()
                    self._cache[digest] = (hit[0], hit[1], until)
        return {digest: hit[0] if hit else None for digest, hit in found.items()}

    def cached(self, token: str) -> Actor | None:
        """The cached actor for this token, without asking the database (None: not cached)."""
        with self._lock:
            entry = self._cache.get(token_hash(token))
        return entry[0] if entry else None

    def changed(self) -> None:
        """An actor's rows changed (after commit): forget them all, look at open streams."""
        with self._lock:
            self.generation += 1
            self._cache.clear()
        self._workers.to_loop(self._recheck_streams)

    def _recheck_streams(self) -> None:
        if self._workers.started:
            import gevent
            gevent.spawn(self.close_ended_streams)
        else:
            self.close_ended_streams()

    def close_ended_streams(self, streams: list[Subscription] | None = None) -> int:
        """Close the streams (default: all open ones) whose credential no longer holds."""
        subs = [s for s in (streams or self._broker.streams()) if s.open and s.token_digest]
        if not subs:
            return 0
        actors = self._workers.run(self._load, sorted({s.token_digest for s in subs}))
        ended = {id(s) for s in subs if not same_credential(s.actor, actors[s.token_digest])}
        return self._broker.close_where(lambda s: id(s) in ended)

    def still_holds(self, stream: Subscription) -> bool:
        """A stream's periodic look at its own credential (expiry, another process)."""
        return same_credential(stream.actor, self.actor_by_digest(stream.token_digest))


# --- noticing that a credential changed ---------------------------------------------------

# What an Actor is made of; other columns (failed logins, a device's last status) change
# often and do not matter here.
_ACTOR_COLUMNS: dict[type, tuple[str, ...]] = {
    Device: ("revoked", "token_hash", "role", "office_id", "name"),
    User: ("active", "role", "office_id", "username", "password_hash"),
}
_ACTOR_TABLES = {"devices", "users", "auth_tokens", "user_counters"}


def watch_credentials(db: Database, changed: Callable[[], None]) -> None:
    """Call `changed()` after every write transaction that ended or altered a credential.

    Watching the rows, rather than asking each use case to say so, means a new way to
    revoke or disable cannot forget to end the sessions it ends.
    """
    def note(session: Session) -> None:
        if not session.info.get("credentials_changed"):
            session.info["credentials_changed"] = True
            after_commit(session, changed)

    @event.listens_for(db.write_sessions, "after_flush")
    def _flushed(session: Session, _context) -> None:
        for obj in chain(session.deleted, (o for o in session.new if isinstance(o, UserCounter))):
            if isinstance(obj, (AuthToken, Device, User, UserCounter)):
                return note(session)
        for obj in session.dirty:
            columns = _ACTOR_COLUMNS.get(type(obj))
            if columns and any(inspect(obj).attrs[name].history.has_changes()
                               for name in columns):
                return note(session)

    @event.listens_for(db.write_sessions, "do_orm_execute")
    def _bulk(state) -> None:
        table = getattr(state.statement, "table", None)
        if (state.is_delete or state.is_update) and getattr(table, "name", "") in _ACTOR_TABLES:
            note(state.session)


# --- logging in ---------------------------------------------------------------------------

class Logins:
    """Password logins, throttled per client address and per (address, typed name).

    An unknown name, a disabled user and a wrong password get the same answer after the
    same work; there is no account lock that one address could use against another.
    """

    def __init__(self, db: Database, clock: Callable[[], datetime],
                 throttle: LoginThrottle | None = None):
        self._db = db
        self._clock = clock
        self.throttle = throttle or LoginThrottle()

    def login(self, username: str, password: str, address: str) -> tuple[str, User]:
        """A new token for the user; Unauthorized, or TooManyLogins while throttled."""
        wait = self.throttle.attempt(address, username)
        if wait > 0:
            raise TooManyLogins(wait)
        with self._db.read() as session:
            user = session.scalar(select(User).where(User.username == username))
        known = user if user is not None and user.active else None
        # Outside any transaction: scrypt must not hold the write lock or a connection.
        if not password_matches(known.password_hash if known else None, password):
            raise Unauthorized("login_failed")
        token = new_token()
        with self._db.write() as session:
            now = self._clock()
            fresh = session.get(User, known.id)
            if fresh is None or not fresh.active or fresh.password_hash != known.password_hash:
                raise Unauthorized("login_failed")  # changed while we checked
            session.add(AuthToken(user_id=fresh.id, token_hash=token_hash(token),
                                  created_at=now, expires_at=now + TOKEN_LIFETIME))
        self.throttle.succeeded(address, username)
        return token, fresh
