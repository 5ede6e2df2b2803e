"""The ticket's status-page code, printed in its QR: `/t/<id>-<mac>`.

The mac is 128 bits of HMAC-SHA256 of the ticket id under the office's secret
(`offices.status_secret`, made once and never shown), so a code cannot be guessed or
enumerated: changing one character of it gives a plain 404. The id in front only finds
the row; it proves nothing by itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

MAC_BYTES = 16                      # 128 bits
_CODE = re.compile(r"([1-9][0-9]{0,15})-([a-z2-7]{26})")


def _mac(secret: str, ticket_id: int) -> str:
    digest = hmac.new(secret.encode("ascii"), f"ticket:{ticket_id}".encode("ascii"),
                      hashlib.sha256).digest()[:MAC_BYTES]
    return base64.b32encode(digest).decode("ascii").rstrip("=").lower()


def status_code(secret: str, ticket_id: int) -> str:
    """The code of one ticket, e.g. `1042-mfrggzdfmztwq2lknnwg23tpoa`."""
    return f"{ticket_id}-{_mac(secret, ticket_id)}"


def ticket_id_of(code: str) -> int | None:
    """The ticket id a well-formed code names (not yet verified), or None."""
    match = _CODE.fullmatch(code)
    return int(match.group(1)) if match else None


def code_is_valid(secret: str, code: str) -> bool:
    ticket_id = ticket_id_of(code)
    return ticket_id is not None and hmac.compare_digest(code, status_code(secret, ticket_id))


def status_url(base_url: str, secret: str, ticket_id: int) -> str:
    return f"{base_url.rstrip('/')}/t/{status_code(secret, ticket_id)}"
