"""Who is calling: the `Authorization` header read the way the official emulator reads it.

`Bearer owner` (any case) and Google OAuth access tokens (`Bearer ya29.…`) are administrators
and bypass Security Rules. Any other bearer token must be a JWT of three URL-safe base64
segments whose first two decode to JSON objects; it is read without verification (any `alg`,
no expiry or audience check) and its claims become `request.auth.token`. Without a header the
caller is an unauthenticated end user. A token that is not such a JWT fails with
INVALID_ARGUMENT "invalid jwt"; a header that is not a bearer token fails with UNKNOWN and no
message (auth.json).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from firelab.server.core import Code, FirestoreError

__all__ = ["ANONYMOUS", "OWNER", "Identity", "identify"]

_SCHEME = "bearer "
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*=*")


@dataclass(frozen=True, slots=True)
class Identity:
    """The caller of one request.

    `owner` callers bypass rules. For everyone else `claims` is None for an unauthenticated
    caller and the token's claims otherwise.
    """

    owner: bool = False
    claims: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)
    token: str | None = None

    @property
    def uid(self) -> str | None:
        """The end user's ID (`sub`, else `user_id`), None when anonymous or absent."""
        if self.claims is None:
            return None
        uid = self.claims.get("sub", self.claims.get("user_id"))
        return uid if isinstance(uid, str) else None

    @property
    def authenticated(self) -> bool:
        """True for an owner or an end user with a token."""
        return self.owner or self.claims is not None


OWNER = Identity(owner=True, token="owner")
ANONYMOUS = Identity()


def invalid_jwt() -> FirestoreError:
    """The error for a bearer token that is neither an admin token nor a JWT."""
    return FirestoreError(Code.INVALID_ARGUMENT, "invalid jwt")


def _decode_segment(segment: str, *, require_object: bool) -> Any:
    if not _BASE64URL.fullmatch(segment):
        raise invalid_jwt()
    body = segment.rstrip("=")
    if require_object and not body:
        raise invalid_jwt()
    if len(body) % 4 == 1:
        raise invalid_jwt()
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as exc:
        raise invalid_jwt() from exc
    if not require_object:
        return None
    try:
        decoded = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise invalid_jwt() from exc
    if not isinstance(decoded, dict):
        raise invalid_jwt()
    return decoded


def identify(authorization: str | None) -> Identity:
    """The caller named by an `Authorization` header value (None when there is none)."""
    if authorization is None or "\t" in authorization:
        return ANONYMOUS
    if authorization[: len(_SCHEME)].lower() != _SCHEME:
        raise FirestoreError(Code.UNKNOWN, "")
    token = authorization[len(_SCHEME) :]
    lowered = token.lower()
    if lowered == "owner" or lowered.startswith("ya29."):
        return OWNER
    segments = token.split(".")
    if len(segments) != 3:
        raise invalid_jwt()
    _decode_segment(segments[0], require_object=True)
    claims = _decode_segment(segments[1], require_object=True)
    _decode_segment(segments[2], require_object=False)
    return Identity(claims=claims, token=token)
