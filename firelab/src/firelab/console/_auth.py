"""The Auth emulator's accounts as the console shows them: uid, email, provider, disabled, and
the custom claims an admin (or a function) set; and an ID token for any of them, minted the way
the emulator accepts (unsigned), to try a request as that member."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from firelab.tokens import mock_id_token

__all__ = ["AuthAccounts"]


class AuthAccounts:
    """One project's accounts on an Auth emulator (`host:port`)."""

    def __init__(self, address: str, project: str) -> None:
        self._project = project
        self._url = (
            f"http://{address}/identitytoolkit.googleapis.com/v1/projects/{project}/accounts:query"
        )

    def users(self) -> list[dict[str, Any]]:
        """Every account, with `claims` parsed from its custom attributes."""
        request = urllib.request.Request(
            self._url,
            data=json.dumps({"returnUserInfo": True}).encode(),
            method="POST",
        )
        request.add_header("Authorization", "Bearer owner")
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read().decode() or "{}")
        users = []
        for info in answer.get("userInfo", []):
            attributes = info.get("customAttributes") or "{}"
            try:
                claims = json.loads(attributes)
            except ValueError:
                claims = {"(unreadable)": attributes}
            users.append(
                {
                    "uid": info.get("localId", ""),
                    "email": info.get("email", ""),
                    "emailVerified": bool(info.get("emailVerified", False)),
                    "displayName": info.get("displayName", ""),
                    "providers": [
                        p.get("providerId", "") for p in info.get("providerUserInfo", [])
                    ],
                    "disabled": bool(info.get("disabled", False)),
                    "claims": claims,
                }
            )
        return sorted(users, key=lambda user: str(user["uid"]))

    def token(self, uid: str) -> str:
        """An ID token for `uid` carrying its custom claims, email and `email_verified`, as the
        emulator's own tokens do."""
        claims: dict[str, Any] = {}
        for user in self.users():
            if user["uid"] == uid:
                claims = dict(user["claims"])
                if user["email"]:
                    claims.setdefault("email", user["email"])
                    claims.setdefault("email_verified", user["emailVerified"])
        return mock_id_token(uid, project=self._project, **claims)
