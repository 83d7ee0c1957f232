"""The resource hub's server side: ratings, helpful counts and provider verification.

* `rate_resource` (trigger on `reviews/{userId}`): the resource's `rating` recomputed from its
  reviews in one transaction (the reviews read through the transaction, so a review landing
  meanwhile makes it retry), written only when it changed. Redeliveries, deletions and
  concurrent reviews all converge on the reviews as stored.
* `count_helpful` (trigger on `helpful/{voterId}`): the review's `helpfulCount` moves by one,
  with the event's marker in the same batch (a redelivery counts nothing).
* `decide_provider` (callable, moderators): verify or reject a listing's provider application.
  Verifying sets `security.verifiedProvider` (and so the claim the rules read), the listing's
  `providerVerification`, and records on the application who decided and when.
* `revoke_provider` (callable, moderators): the claim is taken back (sessions revoked, so an
  old token cannot keep publishing), every listing of the member is marked unverified, and
  their verified applications read `revoked` with the reason.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal, Self

from google.cloud import firestore
from pydantic import Field, model_validator

from mitche.callables import MODERATING, CallableSpec
from mitche.domain.moderation import custom_claims
from mitche.domain.resource_hub import rating_of
from mitche.errors import (
    AlreadyExistsError,
    ErrorCode,
    FailedPreconditionError,
    NotFoundError,
    PermissionDeniedError,
)
from mitche.handler_names import HandlerName
from mitche.handlers._account import account_path, security_source, write_security
from mitche.handlers._awards import marker_path, user_path
from mitche.handlers._context import Deps, DocumentChange, decode, parent_path
from mitche.handlers._decisions import readable_security
from mitche.models import (
    ApplicationStatus,
    Collection,
    MitcheModel,
    ProcessedEvent,
    ProviderApplication,
    RatingSummary,
    Security,
    Uid,
    Verification,
    VerificationState,
)
from mitche.queries import query_for
from mitche.services import Unit, log_info, run_batch, run_transaction, to_document

__all__ = [
    "HelpfulCount",
    "ProviderDecided",
    "ProviderDecision",
    "ProviderRevocation",
    "ProviderRevoked",
    "application_path",
    "count_helpful",
    "decide_provider",
    "rate_resource",
    "revoke_provider",
]

RATING: Final = HandlerName.RESOURCES_RATING
HELPFUL: Final = HandlerName.RESOURCES_HELPFUL
PROVIDER: Final = HandlerName.RESOURCES_PROVIDER


def application_path(resource_id: str) -> str:
    """`resources/{resourceId}/private/providerApplication`."""
    return f"{Collection.RESOURCES.value}/{resource_id}/private/providerApplication"


# Ratings and helpful votes ---------------------------------------------------------------


def rate_resource(deps: Deps, change: DocumentChange) -> RatingSummary | None:
    """A review written, edited or deleted: the resource's rating from its reviews; None when
    the resource is gone."""
    resource_path = parent_path(change.path)
    resource_id = resource_path.rsplit("/", 1)[-1]

    def work(unit: Unit) -> RatingSummary | None:
        resource = unit.get(resource_path)
        if resource is None:
            return None
        reviews = unit.query(
            query_for(unit.client, "functions.resourceReviews", resourceId=resource_id)
        )
        rating = rating_of(data for _, data in reviews)
        stored = resource.get("rating")
        if not isinstance(stored, Mapping) or dict(stored) != rating.model_dump(by_alias=True):
            unit.update(resource_path, {"rating": to_document(rating, unit.client)})
        return rating

    rating = run_transaction(deps.client, RATING, work)
    log_info(
        "resource rated",
        handler=RATING,
        eventId=change.event_id,
        path=resource_path,
        count=rating.count if rating else None,
        average=rating.average if rating else None,
    )
    return rating


@dataclass(frozen=True, slots=True)
class HelpfulCount:
    """What a vote's change did to its review's count."""

    delta: int = 0
    duplicate: bool = False


def count_helpful(deps: Deps, change: DocumentChange) -> HelpfulCount:
    """A helpful vote given or taken back: the review's `helpfulCount` moves by one, once."""
    if (change.before is None) == (change.after is None):
        return HelpfulCount()
    delta = 1 if change.before is None else -1
    review_path = parent_path(change.path)

    def work(unit: Unit) -> None:
        unit.update(review_path, {"helpfulCount": firestore.Increment(delta)})
        unit.create(
            marker_path(review_path, HELPFUL, change.event_id),
            ProcessedEvent.of(HELPFUL, change.event_id, change.at),
        )

    try:
        run_batch(deps.client, HELPFUL, work)
    except AlreadyExistsError:
        return HelpfulCount(duplicate=True)
    except NotFoundError:
        log_info(
            "vote on a review that is gone; nothing counted", handler=HELPFUL, path=change.path
        )
        return HelpfulCount()
    return HelpfulCount(delta=delta)


# Provider verification -------------------------------------------------------------------


class ProviderDecision(MitcheModel):
    """What a moderator sends to decide on a listing's provider application."""

    resource_id: Annotated[str, Field(min_length=1, max_length=200)]
    """The listing whose application is decided."""
    verdict: Literal["verify", "reject"]
    """`verify`: the applicant runs the service and becomes a verified provider; `reject`: it
    could not be confirmed (the note says why)."""
    note: Annotated[str, Field(max_length=500)] | None = None
    """What was checked, or why it was rejected (required to reject)."""

    @model_validator(mode="after")
    def _note_for_rejection(self) -> Self:
        if self.verdict == "reject" and not self.note:
            raise ValueError("a rejection says why in note")
        return self


class ProviderDecided(MitcheModel):
    """What the moderator's app receives."""

    resource_id: str
    applicant_id: str
    status: ApplicationStatus
    verified_provider: bool
    """Whether the applicant now holds the `verifiedProvider` claim."""


class ProviderRevocation(MitcheModel):
    """What a moderator sends to take a provider's verification back."""

    uid: Uid
    """The provider."""
    note: Annotated[str, Field(min_length=1, max_length=500)]
    """Why, shown on their applications."""


class ProviderRevoked(MitcheModel):
    """What the moderator's app receives."""

    uid: str
    listings_marked: int
    """Listings of the member now marked unverified."""


def _security(unit: Unit, uid: str, invocation: str) -> tuple[Security, bool, bool]:
    """The member's security map, whether their account document exists, and whether the
    legacy map is still on their user document."""
    read = unit.get_all([user_path(uid), account_path(uid)])
    security = readable_security(
        security_source(read[account_path(uid)], read[user_path(uid)]),
        path=user_path(uid),
        handler=PROVIDER,
        event_id=invocation,
    )
    if security is None:
        raise NotFoundError(f"no member document for {uid!r}")
    legacy = "security" in (read[user_path(uid)] or {})
    return security, read[account_path(uid)] is not None, legacy


def _verification(state: VerificationState, at: dt.datetime, note: str | None) -> Verification:
    return Verification(
        status=state, verified_at=at if state is VerificationState.VERIFIED else None, note=note
    )


def decide_provider(deps: Deps, actor_id: str, request: ProviderDecision) -> ProviderDecided:
    """Verify or reject the provider application of a listing, as moderator `actor_id`."""
    resource_path = f"{Collection.RESOURCES.value}/{request.resource_id}"
    path = application_path(request.resource_id)
    invocation = f"provider-{uuid.uuid4().hex}"
    at = deps.now()
    verify = request.verdict == "verify"

    def work(unit: Unit) -> tuple[ProviderDecided, dict[str, Any] | None]:
        read = unit.get_all([resource_path, path])
        if read[resource_path] is None:
            raise NotFoundError(f"no resource {request.resource_id!r}")
        application = decode(
            ProviderApplication, read[path], path=path, handler=PROVIDER, event_id=invocation
        )
        if application is None:
            raise NotFoundError(f"resource {request.resource_id!r} has no provider application")
        if application.applicant_id == actor_id:
            raise PermissionDeniedError("a moderator never decides on their own application")
        if application.status is not ApplicationStatus.PENDING:
            raise FailedPreconditionError(
                f"the application was already decided ({application.status.value})"
            )
        uid = application.applicant_id
        security, account_exists, legacy = _security(unit, uid, invocation)
        status = ApplicationStatus.VERIFIED if verify else ApplicationStatus.REJECTED
        unit.update(
            path,
            {
                "status": status.value,
                "decidedBy": actor_id,
                "decidedAt": at,
                "decisionNote": request.note,
            },
        )
        state = VerificationState.VERIFIED if verify else VerificationState.REJECTED
        unit.update(
            resource_path,
            {
                "providerVerification": to_document(
                    _verification(state, at, request.note), unit.client
                )
            },
        )
        claims = None
        if verify and not security.verified_provider:
            granted = security.model_copy(update={"verified_provider": True})
            write_security(unit, uid, granted, account_exists=account_exists, legacy=legacy)
            claims = custom_claims(granted)
        decided = ProviderDecided(
            resource_id=request.resource_id,
            applicant_id=uid,
            status=status,
            verified_provider=security.verified_provider or verify,
        )
        return decided, claims

    decided, claims = run_transaction(deps.client, PROVIDER, work)
    if claims is not None:
        deps.accounts.set_claims(decided.applicant_id, claims)
    log_info(
        "provider application decided",
        handler=PROVIDER,
        resourceId=request.resource_id,
        applicant=decided.applicant_id,
        status=decided.status.value,
        moderator=actor_id,
    )
    return decided


def revoke_provider(deps: Deps, actor_id: str, request: ProviderRevocation) -> ProviderRevoked:
    """Take back a member's provider verification, as moderator `actor_id`."""
    if request.uid == actor_id:
        raise PermissionDeniedError("a moderator never decides on their own verification")
    invocation = f"revoke-{uuid.uuid4().hex}"
    at = deps.now()

    def work(unit: Unit) -> tuple[int, dict[str, Any]]:
        security, account_exists, legacy = _security(unit, request.uid, invocation)
        listings = unit.query(query_for(unit.client, "functions.resourcesOf", uid=request.uid))
        applications = unit.get_all(
            application_path(listing.rsplit("/", 1)[-1]) for listing, _ in listings
        )
        marked = 0
        unverified = to_document(
            _verification(VerificationState.REJECTED, at, request.note), unit.client
        )
        for listing, data in listings:
            verification = data.get("providerVerification")
            if isinstance(verification, Mapping) and verification.get("status") in {
                VerificationState.VERIFIED.value,
                VerificationState.PENDING.value,
            }:
                unit.update(listing, {"providerVerification": unverified})
                marked += 1
            application = application_path(listing.rsplit("/", 1)[-1])
            stored = applications[application]
            if stored is not None and stored.get("status") == ApplicationStatus.VERIFIED.value:
                unit.update(
                    application,
                    {
                        "status": ApplicationStatus.REVOKED.value,
                        "decidedBy": actor_id,
                        "decidedAt": at,
                        "decisionNote": request.note,
                    },
                )
        revoked = security.model_copy(update={"verified_provider": False})
        write_security(
            unit,
            request.uid,
            revoked,
            account_exists=account_exists,
            legacy=legacy,
            revoke_at=at,
        )
        return marked, custom_claims(revoked)

    marked, claims = run_transaction(deps.client, PROVIDER, work)
    deps.accounts.set_claims(request.uid, claims)
    deps.accounts.revoke_sessions(request.uid)
    log_info(
        "provider verification revoked",
        handler=PROVIDER,
        uid=request.uid,
        listingsMarked=marked,
        moderator=actor_id,
    )
    return ProviderRevoked(uid=request.uid, listings_marked=marked)


CALLABLES: Final = (
    CallableSpec(
        name="decide_provider",
        request=ProviderDecision,
        response=ProviderDecided,
        roles=MODERATING,
        handler=lambda deps, actor, request: decide_provider(deps, actor.uid, request),
        summary="A moderator verifies or rejects a listing's provider application (the "
        "verifiedProvider claim).",
        codes=(ErrorCode.NOT_FOUND, ErrorCode.FAILED_PRECONDITION),
        target=lambda request: application_path(request.resource_id),
        reason=lambda request: request.note,
    ),
    CallableSpec(
        name="revoke_provider",
        request=ProviderRevocation,
        response=ProviderRevoked,
        roles=MODERATING,
        handler=lambda deps, actor, request: revoke_provider(deps, actor.uid, request),
        summary="A moderator takes a provider's verification back; their listings read unverified.",
        codes=(ErrorCode.NOT_FOUND,),
        target=lambda request: user_path(request.uid),
        reason=lambda request: request.note,
    ),
)
"""The callables this module declares (mitche.callables.CALLABLE_MODULES)."""
