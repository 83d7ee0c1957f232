"""Unsigned Firebase ID tokens, as the Auth emulator and rules-unit-testing mint them.

Emulators accept a JWT with `alg: none` and an empty signature; its claims become
`request.auth.token` in rules and `request.auth` in callables. Never accepted in production.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Mapping
from typing import Any

from firelab._errors import FirelabError

__all__ = ["TokenError", "mock_id_token"]


class TokenError(FirelabError, ValueError):
    """A token that cannot be minted: what the emulators would refuse to take."""


def _segment(value: Mapping[str, Any]) -> str:
    text = json.dumps(value, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(text).decode().rstrip("=")


def mock_id_token(uid: str, *, project: str, **claims: Any) -> str:
    """An ID token for `uid` in `project`, with extra (custom) claims merged in."""
    if not uid:
        raise TokenError("a mock ID token needs a non-empty uid")
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": f"https://securetoken.google.com/{project}",
        "aud": project,
        "iat": now,
        "exp": now + 3600,
        "auth_time": now,
        "sub": uid,
        "user_id": uid,
        "firebase": {"sign_in_provider": "custom", "identities": {}},
    }
    payload.update(claims)
    return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(payload)}."
