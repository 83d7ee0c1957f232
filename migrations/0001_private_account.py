"""Private account: move each member's `security` map and rate-limit timestamps
(`lastRequestAt`, `lastOfferingAt`, `lastMessageAt`, `lastReportAt`) out of the user document,
which other members read, into `users/{uid}/private/account`, which only the member and
moderators read.

One member per transformation: the user document loses the moved fields and the account
document gains them, in the same commit. Values already in the account document win (functions
and clients write there once the expand release is deployed, so they are newer). `down` moves
them back and deletes an account document left empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCOPE = "users/{userId}"
READS = ("users/{userId}", "users/{userId}/private/account")
WRITES = ("users/{userId}", "users/{userId}/private/account")

# The fields as they were named when this migration was written; a migration is a record of
# one change, so it does not follow later renames in the models.
MOVED = ("security", "lastRequestAt", "lastOfferingAt", "lastMessageAt", "lastReportAt")

Document = dict[str, Any]


def related(path: str) -> tuple[str, ...]:
    """The member's account document beside their user document."""
    return (f"{path}/private/account",)


def _paths(documents: Mapping[str, Document | None]) -> tuple[str, str]:
    user = next(path for path in documents if path.count("/") == 1)
    return user, f"{user}/private/account"


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Move the fields from the user document into the account document."""
    user_path, account_path = _paths(documents)
    user, account = documents[user_path], documents[account_path]
    if user is None:
        return {}
    moved = {key: user[key] for key in MOVED if key in user}
    if not moved:
        return {}
    kept = {key: value for key, value in user.items() if key not in MOVED}
    return {user_path: kept, account_path: {**moved, **(account or {})}}


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Move the fields back into the user document."""
    user_path, account_path = _paths(documents)
    user, account = documents[user_path], documents[account_path]
    if user is None or account is None:
        return {}
    moved = {key: account[key] for key in MOVED if key in account}
    if not moved:
        return {}
    rest = {key: value for key, value in account.items() if key not in MOVED}
    return {user_path: {**user, **moved}, account_path: rest or None}
