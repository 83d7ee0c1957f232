"""Alias claims: `systemSettings/aliases/claims/{aliasKey}`, one per alias held.

An alias is unique platform-wide whatever its case and accents: its key (mitche.domain.aliases
.alias_key, computed identically by the rules) names the claim, which the member creates in the
batch that writes their profile. The rules let nobody else create, update or take over a claim
while it is held; its owner deletes it in the batch that moves them to another alias. Below a
settings document id because the platform has exactly thirteen top-level collections.
"""

from __future__ import annotations

from typing import Annotated, Final

from mitche.models._base import CLIENT_CREATE, MitcheModel, Timestamp, Uid

__all__ = ["ALIAS_CLAIMS", "AliasClaim"]

ALIAS_CLAIMS: Final = "systemSettings/aliases/claims"
"""Collection of the claims (below a settings document id that holds no fields)."""


class AliasClaim(MitcheModel):
    """Who holds an alias, and since when."""

    owner_id: Annotated[Uid, CLIENT_CREATE]
    """The member whose profile holds the alias; the signed-in member when created."""
    claimed_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the alias was claimed (request.time)."""
