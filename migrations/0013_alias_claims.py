"""Alias claims: give every member who took an alias before claims existed the claim
`systemSettings/aliases/claims/{key}` of their alias, so that aliases are unique for every
member, not only for those who joined since (issue 21, hole 17).

Members are visited in `createdAt` order (`ORDER`), so among members whose aliases share a key
and nobody had claimed, the first to join keeps it: their claim is created (`claimedAt` is
their `createdAt`, the earliest they can have held it). A claim already held is never taken,
whoever holds it (the rules promise a held claim is never reassigned, and its holder claimed it
through them). A member who cannot have their claim (held by another member, or an alias with
no letter or digit to claim) gets `aliasConflict: {key}` on `users/{uid}/private/account`:
the app asks them to choose another alias, which the rules let them claim as any member does
(they hold no claim to release). Members without an alias are left alone.

`down` removes the flags and keeps the claims: the release before this one already honours
claims, and a claim made here cannot be told from one a member made.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

SCOPE = "users/{userId}"
ORDER = "createdAt"
READS = (
    "users/{userId}",
    "users/{userId}/private/account",
    "systemSettings/aliases/claims/{key}",
)
WRITES = ("users/{userId}/private/account", "systemSettings/aliases/claims/{key}")

# The key as the rules computed it when this migration was written (a migration is a record:
# it does not follow later changes of mitche.domain.aliases).
FOLDS = (
    ("[àáâãäåāăą]", "a"),
    ("[çćč]", "c"),
    ("[èéêëēėęě]", "e"),
    ("[ìíîïīį]", "i"),
    ("[ñń]", "n"),
    ("[òóôõöøō]", "o"),
    ("[ùúûüūů]", "u"),
    ("[ýÿ]", "y"),
)
CLAIMS = "systemSettings/aliases/claims"
CONFLICT = "aliasConflict"

Document = dict[str, Any]


def alias_key(alias: str) -> str:
    """Lower case, common accents folded, letters and digits only."""
    folded = alias.lower()
    for characters, letter in FOLDS:
        folded = re.sub(characters, letter, folded)
    return re.sub("[^a-z0-9]", "", folded)


def _alias(user: Mapping[str, Any] | None) -> str | None:
    profile = (user or {}).get("profile")
    alias = profile.get("anonymousAlias") if isinstance(profile, Mapping) else None
    return alias if isinstance(alias, str) and alias else None


def related(path: str, data: Document | None) -> tuple[str, ...]:
    """The member's account, and the claim their alias names (when it has a key)."""
    alias = _alias(data)
    key = alias_key(alias) if alias is not None else ""
    claim = (f"{CLAIMS}/{key}",) if key else ()
    return (f"{path}/private/account", *claim)


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """The member's claim when their alias is free; otherwise the flag on their account."""
    user_path = next(path for path in documents if path.count("/") == 1)
    account_path = f"{user_path}/private/account"
    user, account = documents[user_path], documents[account_path]
    alias = _alias(user)
    if user is None or alias is None:
        return {}
    uid = user_path.split("/")[1]
    key = alias_key(alias)
    claim_path = f"{CLAIMS}/{key}"
    claim = documents.get(claim_path) if key else None
    if key and claim is None:
        return {claim_path: {"ownerId": uid, "claimedAt": user["createdAt"]}}
    if claim is not None and claim.get("ownerId") == uid:
        return {}
    if (account or {}).get(CONFLICT) == {"key": key}:
        return {}
    return {account_path: {**(account or {}), CONFLICT: {"key": key}}}


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Remove the member's flag; claims stay."""
    user_path = next(path for path in documents if path.count("/") == 1)
    account_path = f"{user_path}/private/account"
    account = documents[account_path]
    if account is None or CONFLICT not in account:
        return {}
    return {account_path: {key: value for key, value in account.items() if key != CONFLICT}}
