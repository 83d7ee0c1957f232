"""Rate stamps: turn each member's bare rate-limit times on `users/{uid}/private/account`
(`lastRequestAt`, `lastOfferingAt`, `lastMessageAt`, `lastReportAt`) into stamps naming the
document they authorise (`lastRequest: {at, path}`...), so that one stamp can authorise one
document only (issue 21, hole 4: a batch of creates behind one stamp).

A migrated stamp keeps the time and names no document (`path` null): it throttles the next
creation exactly as the bare time did, and authorises nothing. A stamp the member's app already
wrote after the expand release is newer and wins. `down` turns the four stamps back into bare
times and drops the stamps of the kinds the earlier release did not limit (conversations,
events, registrations, stories, reviews, reveal consents, hearts): they only hold throttling
state, which the earlier models would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCOPE = "users/{userId}/private/account"
READS = ("users/{userId}/private/account",)
WRITES = ("users/{userId}/private/account",)

# The fields as they were named when this migration was written (a migration is a record).
RENAMED = {
    "lastRequestAt": "lastRequest",
    "lastOfferingAt": "lastOffering",
    "lastMessageAt": "lastMessage",
    "lastReportAt": "lastReport",
}
ADDED = (
    "lastConversation",
    "lastEvent",
    "lastRegistration",
    "lastStory",
    "lastReview",
    "lastRevealConsent",
    "lastHeart",
)

Document = dict[str, Any]


def _account(documents: Mapping[str, Document | None]) -> tuple[str, Document | None]:
    path = next(iter(documents))
    return path, documents[path]


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Each bare time becomes a stamp without a path, unless a newer stamp is there."""
    path, account = _account(documents)
    if account is None or not set(RENAMED) & set(account):
        return {}
    changed = {key: value for key, value in account.items() if key not in RENAMED}
    for bare, stamp in RENAMED.items():
        if bare not in account:
            continue
        current = account.get(stamp)
        stamped = current.get("at") if isinstance(current, dict) else None
        if stamped is not None and stamped >= account[bare]:
            continue
        changed[stamp] = {"at": account[bare], "path": None}
    return {path: changed}


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Each of the four stamps becomes a bare time again; the other stamps go."""
    path, account = _account(documents)
    stamps = set(RENAMED.values()) | set(ADDED)
    if account is None or not stamps & set(account):
        return {}
    changed = {key: value for key, value in account.items() if key not in stamps}
    for bare, stamp in RENAMED.items():
        value = account.get(stamp)
        if isinstance(value, dict) and value.get("at") is not None:
            changed[bare] = value["at"]
    return {path: changed}
