"""Completing a mutual reveal: grants both ways, `completedAt` on both consents, summaries.

When a consent is written (`users/{A}/revealConsents/{B}`), one transaction reads it and its
mirror (`users/{B}/revealConsents/{A}`) as they are now, and the two members' documents. If both
say `consented` and neither is complete, it writes `users/A/revealGrants/B` and
`users/B/revealGrants/A` (the rules then let each read the other's identity), stamps
`completedAt` on both consents (the rules freeze a completed consent) and counts the reveal in
both members' `reveal` summaries. Reading both consents inside the transaction is what makes a
withdrawal win a race: if A withdraws before the transaction reads, nothing completes; if after,
the consent was already complete and the rules refuse the withdrawal. Idempotent: a redelivery
finds `completedAt` set and writes nothing.

Every change of A's consent also moves B's `reveal.pendingIncoming` (counterparts who consented
and wait for B's answer): the handler recounts it (two count aggregations over the
`revealConsents` collection group: consents to B, minus the completed ones) rather than adding
and subtracting, so a redelivery, a withdrawal or a completion leaves it exact. The count is
written only when it differs, conditioned on B's document as read before counting: a concurrent
recount that wrote meanwhile sends this one round again, so the last write holds the latest
count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from google.api_core.exceptions import FailedPrecondition
from google.cloud import firestore

from mitche.errors import AbortedError
from mitche.handler_names import HandlerName
from mitche.handlers._awards import user_path
from mitche.handlers._context import Deps, DocumentChange, decode
from mitche.models import RevealConsent, RevealConsentStatus, RevealGrant
from mitche.queries import query_for
from mitche.services import CostSample, Unit, log_info, record_cost, run_transaction

__all__ = [
    "RevealOutcome",
    "complete_reveal",
    "consent_path",
    "grant_path",
    "recount_pending_incoming",
]

HANDLER: Final = HandlerName.REVEAL_COMPLETE
_RECOUNT_ATTEMPTS: Final = 5


def consent_path(user_id: str, counterpart_id: str) -> str:
    """`users/{userId}/revealConsents/{counterpartId}`."""
    return f"{user_path(user_id)}/revealConsents/{counterpart_id}"


def grant_path(user_id: str, counterpart_id: str) -> str:
    """`users/{userId}/revealGrants/{counterpartId}`: the counterpart may read the identity."""
    return f"{user_path(user_id)}/revealGrants/{counterpart_id}"


@dataclass(frozen=True, slots=True)
class RevealOutcome:
    """What a run did."""

    completed: bool = False


def _open(consent: RevealConsent | None) -> bool:
    return (
        consent is not None
        and consent.status is RevealConsentStatus.CONSENTED
        and consent.completed_at is None
    )


def _count(query: Any) -> int:
    """The number of documents a query matches (an aggregation: one read per 1,000 entries)."""
    results: Any = query.count(alias="n").get()
    return int(results[0][0].value)


def recount_pending_incoming(deps: Deps, member_id: str) -> int | None:
    """Store how many consents to `member_id` wait for their answer; the count written, or
    None when it was already right (or the member has no document)."""
    client = deps.client
    for _ in range(_RECOUNT_ATTEMPTS):
        snapshot = client.document(user_path(member_id)).get()
        if not snapshot.exists:
            record_cost(CostSample(HANDLER, 1, 0))
            return None
        consented = _count(query_for(client, "functions.consentsTo", uid=member_id))
        completed = _count(query_for(client, "functions.completedConsentsTo", uid=member_id))
        pending = max(0, consented - completed)
        summary = (snapshot.to_dict() or {}).get("reveal") or {}
        stored = summary.get("pendingIncoming", 0)
        if stored == pending:
            record_cost(CostSample(HANDLER, 3, 0))
            return None
        try:
            client.document(user_path(member_id)).update(
                {"reveal.pendingIncoming": pending},
                option=client.write_option(last_update_time=snapshot.update_time),
            )
        except FailedPrecondition:
            continue
        record_cost(CostSample(HANDLER, 3, 1))
        return pending
    raise AbortedError(
        f"{user_path(member_id)} kept changing while its reveals were recounted; retried"
    )


def complete_reveal(deps: Deps, change: DocumentChange) -> RevealOutcome:
    """Complete the reveal a consent change makes mutual, once, and recount the counterpart's
    pending reveal requests."""
    segments = change.path.split("/")
    user_id, counterpart_id = segments[1], segments[3]
    outcome = _complete(deps, change, user_id, counterpart_id)
    if counterpart_id != user_id:
        recount_pending_incoming(deps, counterpart_id)
    return outcome


def _complete(
    deps: Deps, change: DocumentChange, user_id: str, counterpart_id: str
) -> RevealOutcome:
    own = decode(
        RevealConsent, change.after, path=change.path, handler=HANDLER, event_id=change.event_id
    )
    if not _open(own) or counterpart_id == user_id:
        return RevealOutcome()
    mine, theirs = consent_path(user_id, counterpart_id), consent_path(counterpart_id, user_id)

    def work(unit: Unit) -> RevealOutcome:
        found = unit.get_all([mine, theirs, user_path(user_id), user_path(counterpart_id)])
        sides = [
            decode(RevealConsent, found[path], path=path, handler=HANDLER, event_id=change.event_id)
            for path in (mine, theirs)
        ]
        if not all(_open(side) for side in sides):
            return RevealOutcome()
        for (owner, counterpart), consent in zip(
            ((user_id, counterpart_id), (counterpart_id, user_id)), sides, strict=True
        ):
            assert consent is not None
            unit.update(consent_path(owner, counterpart), {"completedAt": change.at})
            unit.set(
                grant_path(owner, counterpart),
                RevealGrant(
                    counterpart_id=counterpart, context=consent.context, completed_at=change.at
                ),
            )
            if found[user_path(owner)] is not None:
                unit.update(
                    user_path(owner),
                    {
                        "reveal.completed": firestore.Increment(1),
                        "reveal.lastCompletedAt": change.at,
                    },
                )
        return RevealOutcome(completed=True)

    outcome = run_transaction(deps.client, HANDLER, work)
    if outcome.completed:
        log_info("reveal completed", handler=HANDLER, eventId=change.event_id, path=change.path)
    return outcome
