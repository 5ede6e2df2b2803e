"""Who is asking: device tokens, user logins, passwords, roles.

Tokens are random and stored only as SHA-256 hashes; passwords are hashed with
scrypt (Werkzeug). There is no built-in user or password: `layso user add` or the
first-run page makes the first admin.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from layso.server.domain.errors import DomainError
from layso.server.operations import Actor, clerk_counter_ids
from layso.server.storage.tables import AuthToken, Device, User, utc

TOKEN_LIFETIME = timedelta(hours=16)
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8


class Unauthorized(DomainError):
    status = 401


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def actor_for_token(session: Session, token: str, now: datetime) -> Actor | None:
    """The device or logged-in user a bearer token belongs to, or None."""
    digest = token_hash(token)
    device = session.scalar(select(Device).where(Device.token_hash == digest))
    if device is not None:
        if device.revoked:
            return None
        return Actor("device", device.id, device.office_id, device.role, device.name)
    row = session.execute(select(AuthToken, User).join(User, User.id == AuthToken.user_id)
                          .where(AuthToken.token_hash == digest)).first()
    if row is None:
        return None
    auth, user = row
    if not user.active or utc(auth.expires_at) <= now:
        return None
    return user_actor(session, user)


def user_actor(session: Session, user: User) -> Actor:
    counters = clerk_counter_ids(session, user.id) if user.role == "clerk" else frozenset()
    return Actor("user", user.id, user.office_id, user.role, user.username, counters)


def login(session: Session, username: str, password: str, now: datetime) -> tuple[str, User]:
    """A new token for the user; Unauthorized on a wrong password or a locked account."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        # Same work as a real check, so timing does not tell which usernames exist.
        check_password_hash(_DUMMY_HASH, password)
        raise Unauthorized("login_failed")
    if user.locked_until is not None and utc(user.locked_until) > now:
        minutes = int((utc(user.locked_until) - now).total_seconds() // 60) + 1
        raise Unauthorized("account_locked", minutes=minutes)
    if not check_password_hash(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        raise Unauthorized("login_failed")
    user.failed_logins = 0
    user.locked_until = None
    token = new_token()
    session.add(AuthToken(user_id=user.id, token_hash=token_hash(token), created_at=now,
                          expires_at=now + TOKEN_LIFETIME))
    return token, user


_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")
