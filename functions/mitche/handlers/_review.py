"""A moderator's decision on screened content: release what the screen held, or hide or remove.

The screen (mitche.handlers._screening) holds content it finds severe and flags content it
wants a moderator to look at; this callable is where a moderator decides on either, without a
report: `approve` makes the content visible again, `hide` keeps it from its audience, `remove`
takes it away for good (the document stays for the audit trail). The decision is a moderator's
review: it resets the report count and stamps `reviewedAt`, so a later edit by the author is
re-screened but never loosens it (mitche.domain.screening.next_moderation). Hiding or removing
needs a note: it is the reason the author reads.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import Field, ValidationError, model_validator

from mitche.callables import MODERATING, Actor, CallableSpec, Caller
from mitche.errors import ErrorCode, NotFoundError
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps
from mitche.handlers._screening import SCREENED
from mitche.models import MitcheModel, Moderation, ModerationState
from mitche.services import Unit, from_document, log_info, run_transaction, to_document

__all__ = ["REVIEW_CONTENT", "ContentReview", "ContentReviewed", "review_content"]

HANDLER: Final = HandlerName.MODERATION_REVIEW
_STATES: Final = {
    "approve": ModerationState.APPROVED,
    "hide": ModerationState.HIDDEN,
    "remove": ModerationState.REMOVED,
}


class ContentReview(MitcheModel):
    """What a moderator sends to decide on a piece of screened content."""

    path: Annotated[str, Field(min_length=3, max_length=400, pattern=r"^[^/]+(/[^/]+)*$")]
    """The document (`requests/abc`, `resources/r1/reviews/u1`...)."""
    decision: Literal["approve", "hide", "remove"]
    """Make it visible, keep it hidden, or remove it."""
    note: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    """The reason its author reads (required to hide or remove)."""

    @model_validator(mode="after")
    def _screened_with_reason(self) -> ContentReview:
        segments = self.path.split("/")
        if len(segments) % 2 or segments[-2] not in SCREENED:
            raise ValueError(f"{self.path!r} is not screened content (one of {sorted(SCREENED)})")
        if self.decision != "approve" and self.note is None:
            raise ValueError("a note (the reason the author reads) is needed to hide or remove")
        return self


class ContentReviewed(MitcheModel):
    """The content's moderation state after the decision."""

    path: str
    """The document decided on."""
    status: ModerationState
    """Its moderation status now."""
    reason: str | None
    """The reason its author reads."""


def _review(deps: Deps, actor: Actor, review: ContentReview) -> ContentReviewed:
    """Decide on screened content as the calling moderator; the new moderation state."""
    actor_id = actor.uid
    at = deps.now()
    status = _STATES[review.decision]

    def work(unit: Unit) -> Moderation:
        stored = unit.get(review.path)
        if stored is None:
            raise NotFoundError(f"no document {review.path!r}")
        raw = stored.get("moderation")
        try:
            current = from_document(Moderation, raw) if isinstance(raw, dict) else Moderation()
        except ValidationError:
            current = Moderation()
        decided = current.model_copy(
            update={
                "status": status,
                "reason": review.note,
                "reviewed_at": at,
                "report_count": 0,
            }
        )
        unit.update(review.path, {"moderation": to_document(decided, unit.client)})
        return decided

    decided = run_transaction(deps.client, HANDLER, work)
    log_info(
        "content reviewed",
        handler=HANDLER,
        path=review.path,
        moderator=actor_id,
        status=decided.status.value,
    )
    return ContentReviewed(path=review.path, status=decided.status, reason=decided.reason)


REVIEW_CONTENT: Final = CallableSpec(
    name="review_content",
    request=ContentReview,
    response=ContentReviewed,
    roles=MODERATING,
    handler=_review,
    summary="A moderator releases, hides or removes content the screen held or flagged.",
    codes=(ErrorCode.NOT_FOUND,),
    target=lambda review: review.path,
    reason=lambda review: review.note,
)
CALLABLES: Final = (REVIEW_CONTENT,)
"""The callables this module declares (mitche.callables.CALLABLE_MODULES)."""


def review_content(deps: Deps, caller: Caller, data: object) -> dict[str, Any]:
    """One `review_content` call: the content's new moderation state."""
    return REVIEW_CONTENT.call(deps, caller, data)
