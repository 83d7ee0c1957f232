"""Alias claims: `systemSettings/aliases/claims/{aliasKey}`, one per alias held.

An alias is unique platform-wide whatever its case and accents: its key (mitche.domain.aliases
.alias_key, computed identically by the rules) names the claim, which the member creates in the
batch that writes their profile. The rules let nobody else create, update or take over a claim
while it is held; its owner deletes it in the batch that moves them to another alias. Below a
settings document id because the platform has exactly thirteen top-level collections.

Members who joined before claims existed got theirs from migration `0013_alias_claims`: the
first member (by `createdAt`) to hold an alias no one had claimed keeps it; a member whose
alias is already held by another (or has no letter or digit to claim) is flagged on their
private account (`AliasConflict`) and asked to choose another.
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field

from mitche.models._base import CLIENT_CREATE, MitcheModel, Timestamp, Uid

__all__ = ["ALIAS_CLAIMS", "AliasClaim", "AliasConflict"]

ALIAS_CLAIMS: Final = "systemSettings/aliases/claims"
"""Collection of the claims (below a settings document id that holds no fields)."""


class AliasClaim(MitcheModel):
    """Who holds an alias, and since when."""

    owner_id: Annotated[Uid, CLIENT_CREATE]
    """The member whose profile holds the alias; the signed-in member when created."""
    claimed_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the alias was claimed (request.time)."""


class AliasConflict(MitcheModel):
    """An alias a member took before aliases were claimed and cannot keep: another member
    holds its claim (the first by `createdAt`, or one who claimed it through the rules since),
    or it has no letter or digit to claim. Written on `users/{uid}/private/account` by
    migration 0013; the app asks the member to choose another alias while their profile's
    alias still has this key (a flag whose key no longer matches means nothing)."""

    key: Annotated[str, Field(max_length=200)]
    """The claim key of the contested alias (empty: no letter or digit to claim)."""
