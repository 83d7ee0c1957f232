"""Reward facts: `users/{userId}/rewardFacts/{factId}`, server-only, never expired.

A reward is owed for a fact, not for an event: "Amina's offering was accepted on request R",
"Bob attended event E", "Chen reviewed resource S". The fact is named by the document it is
about, what happened, and who benefits; its marker's id is a hash of the first two, stored
below the beneficiary. The hope points trigger creates the marker in the same transaction as
the award, so the fact pays once however the documents are toggled, deleted and re-created,
and however often or concurrently the event is delivered. Unlike the TTL markers of
`processedEvents` (which guard one delivery), facts are kept for good: a resource toggled
back to active a year later must still pay nothing.

Nobody but Cloud Functions reads or writes them; the rules deny every client.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Final

from pydantic import Field

from mitche.models._base import SERVER, MitcheModel, Timestamp
from mitche.models.requests import HelpCategory

__all__ = [
    "REWARD_FACTS",
    "RewardFact",
    "reward_fact_id",
]

REWARD_FACTS: Final = "rewardFacts"
"""Collection id of the facts, below the beneficiary's user document."""

_FactName = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[a-zA-Z][a-zA-Z0-9]*$")]


def reward_fact_id(subject: str, fact: str) -> str:
    """The marker id of `fact` ("offeringAccepted") about document `subject` (a path): a hash,
    so any path makes a valid, bounded id, prefixed by the fact for readable listings."""
    if not subject or not fact:
        raise ValueError("a reward fact needs a subject document and a fact name")
    digest = hashlib.sha256(f"{subject}\x00{fact}".encode()).hexdigest()[:40]
    return f"{fact}-{digest}"


class RewardFact(MitcheModel):
    """The record that the member was rewarded (or counted) once for a fact."""

    fact: Annotated[_FactName, SERVER]
    """What happened ("offeringAccepted", "eventAttended")."""
    subject: Annotated[Annotated[str, Field(min_length=1, max_length=1500)], SERVER]
    """The document the fact is about (the request an offering answered, the event...)."""
    event_id: Annotated[Annotated[str, Field(min_length=1, max_length=200)], SERVER]
    """Id of the trigger event that recorded it."""
    recorded_at: Annotated[Timestamp, SERVER]
    """When the fact was recorded."""
    category: Annotated[HelpCategory | None, SERVER] = None
    """For a rating received (`feedbackReceived`), the kind of help it was counted in
    (`stats.ratingsByCategory`); absent when it moved the overall rating alone. Migration
    0014 counts the ratings of facts without it, and sets it, so no rating counts twice."""
