"""Who is calling, and whether storage.rules let them.

The Authorization header is read as the official emulator reads it (firebase-tools
`emulator/storage/rules/utils.js` and `runtime.js`): `Bearer owner` and `Firebase owner` are
administrators and bypass rules; otherwise the second word is a JWT decoded without
verification, its claims become `request.auth.token` and `user_id` (else `sub`) is
`request.auth.uid`; a missing or undecodable token is a signed-out caller. The web SDK sends
`Firebase <ID token>`, google-cloud-storage `Bearer <access token>`.

Rules are compiled by `firelab.rules`. One ruleset applies to every bucket unless rules were
loaded per bucket (the `resource` of each file in `/internal/setRules`,
`firebase.storage/<bucket>`). A method is judged as production names it: uploading over an
existing object is an `update`.
"""

from __future__ import annotations

import base64
import binascii
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from firelab.rules import Auth, DocumentLookup, Rules, RulesRequest, RulesSyntaxError

__all__ = [
    "ADMIN",
    "Caller",
    "RulesIssue",
    "StorageRules",
    "caller_from_header",
]

_ADMIN_HEADERS = ("Bearer owner", "Firebase owner")

Method = Literal["get", "list", "create", "update", "delete"]


@dataclass(frozen=True, slots=True)
class Caller:
    """The caller of one request: an administrator, a signed-in user, or signed out."""

    admin: bool = False
    claims: Mapping[str, Any] | None = field(default=None, compare=False)

    @property
    def uid(self) -> str | None:
        """The user's ID (`user_id`, else `sub`), None when signed out."""
        if self.claims is None:
            return None
        uid = self.claims.get("user_id", self.claims.get("sub"))
        return uid if isinstance(uid, str) else None


ADMIN = Caller(admin=True)
_SIGNED_OUT = Caller()


def _decode_claims(token: str) -> Mapping[str, Any] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1]
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        claims = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return claims if isinstance(claims, dict) else None


def caller_from_header(authorization: str | None) -> Caller:
    """The caller an Authorization header names (None: signed out)."""
    if authorization is None:
        return _SIGNED_OUT
    if authorization in _ADMIN_HEADERS:
        return ADMIN
    words = authorization.split(" ")
    if len(words) < 2 or not words[1]:
        return _SIGNED_OUT
    claims = _decode_claims(words[1])
    return _SIGNED_OUT if claims is None else Caller(claims=claims)


@dataclass(frozen=True, slots=True)
class RulesIssue:
    """A problem in a rules file: where, and what."""

    line: int
    column: int
    description: str


class StorageRules:
    """The loaded storage.rules (per bucket or for all) and the Firestore they may read."""

    def __init__(self, documents: DocumentLookup | None = None) -> None:
        self._lock = threading.Lock()
        self._default: Rules | None = None
        self._per_bucket: dict[str, Rules] = {}
        self.documents = documents

    def load(self, files: list[tuple[str, str, str | None]]) -> list[RulesIssue]:
        """Compile `(name, source, resource)` files and install them; nothing changes when
        any file has an error. A resource `firebase.storage/<bucket>` scopes a file."""
        compiled: list[tuple[Rules, str | None]] = []
        for name, source, resource in files:
            try:
                compiled.append((Rules.from_source(source, name), resource))
            except RulesSyntaxError as error:
                return [RulesIssue(error.line, error.column, error.message)]
        with self._lock:
            if len(compiled) == 1 and compiled[0][1] is None:
                self._default, self._per_bucket = compiled[0][0], {}
            else:
                self._default = None
                self._per_bucket = {
                    (resource or "").removeprefix("firebase.storage/"): rules
                    for rules, resource in compiled
                }
        return []

    def clear(self) -> None:
        """Unload every ruleset (every client request is then denied)."""
        with self._lock:
            self._default, self._per_bucket = None, {}

    def ruleset(self, bucket: str) -> Rules | None:
        """The rules judging requests on `bucket`, None when none are loaded."""
        with self._lock:
            return self._per_bucket.get(bucket, self._default)

    def allows(
        self,
        caller: Caller,
        method: Method,
        bucket: str,
        path: str,
        *,
        resource: Mapping[str, object] | None = None,
        request_resource: Mapping[str, object] | None = None,
    ) -> bool:
        """Whether `caller` may perform `method` on object (or listed prefix) `path`."""
        if caller.admin:
            return True
        rules = self.ruleset(bucket)
        if rules is None:
            return False
        auth = None if caller.claims is None else Auth(caller.uid or "", dict(caller.claims))
        request = RulesRequest(
            service="firebase.storage",
            method=method,
            path="/" + "/".join(part for part in ("b", bucket, "o", *path.split("/")) if part),
            auth=auth,
            time=datetime.now(UTC),
            resource=resource,
            request_resource=request_resource,
            bucket=bucket,
        )
        return rules.evaluate(request, self.documents).allowed
