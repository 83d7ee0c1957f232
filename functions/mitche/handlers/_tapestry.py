"""The Hope Tapestry's server side: a moderator's decision on a story, and the hearts count.

* `decide_story` (callable, moderators): approve or reject a pending story. One transaction
  reads the thread, its nomination, the loom counter, the nominator's and the subject's member
  documents (their aliases) and the document the story cites; an approval needs the subject's
  consent (`mitche.domain.tapestry.consent_problem`), takes the loom's next index, and writes
  the placement, the credits and the impact figures with the decision; the loom moves past the
  index in the same transaction, so concurrent approvals never share one. The nominator and the
  subject are told in the same transaction (`storyApproved`). A moderator never decides on a
  story they nominated or that is about them. A decided story refuses a second decision, so a
  retried call changes nothing.
* `tell_subject` (trigger on `private/nomination`): the member a story names is told
  (`storyNominated`, opening the story, which they may read to answer) and `subjectNotifiedAt`
  is stamped, in one transaction keyed by the event.
* `count_heart` (trigger on `hearts/{userId}`): a heart given adds one to the thread's count,
  one taken back removes one; the batch creates the event's marker with the increment, so a
  redelivery counts nothing more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any, Final, Literal, Self

from google.cloud import firestore
from pydantic import Field, model_validator

from mitche.callables import MODERATING, CallableSpec
from mitche.domain.tapestry import consent_problem, impact_of, placement_at, thread_credits
from mitche.errors import (
    AlreadyExistsError,
    ErrorCode,
    FailedPreconditionError,
    NotFoundError,
    PermissionDeniedError,
)
from mitche.handler_names import HandlerName
from mitche.handlers._awards import marker_path, user_path
from mitche.handlers._context import Deps, DocumentChange, decode, parent_path
from mitche.handlers._notify import notification_path, notify
from mitche.models import (
    Collection,
    MitcheModel,
    NotificationKind,
    ProcessedEvent,
    RejectionReason,
    TapestryLoom,
    TapestryThread,
    ThreadNomination,
    ThreadReview,
    ThreadStatus,
)
from mitche.services import Unit, log_info, run_batch, run_transaction, to_document

__all__ = [
    "LOOM_PATH",
    "HeartCount",
    "StoryDecided",
    "StoryDecision",
    "count_heart",
    "decide_story",
    "nomination_path",
    "tell_subject",
]

LOOM_PATH: Final = f"{Collection.SYSTEM_SETTINGS.value}/tapestry"
"""The loom counter (mitche.models.TapestryLoom)."""
DECIDE: Final = HandlerName.TAPESTRY_DECIDE
HEARTS: Final = HandlerName.TAPESTRY_HEARTS
NOMINATED: Final = HandlerName.TAPESTRY_NOMINATION


def nomination_path(thread_path: str) -> str:
    """`tapestryThreads/{threadId}/private/nomination`."""
    return f"{thread_path}/private/nomination"


class StoryDecision(MitcheModel):
    """What a moderator sends to decide on a nominated story."""

    thread_id: Annotated[str, Field(min_length=1, max_length=200)]
    """The story (`tapestryThreads/{threadId}`)."""
    verdict: Literal["approve", "reject"]
    """`approve`: weave it into the tapestry; `reject`: do not publish it (the nominator reads
    the reason)."""
    reason: RejectionReason | None = None
    """Why it is rejected; required for a rejection, absent for an approval."""
    note: Annotated[str, Field(max_length=1000)] | None = None
    """Words for the nominator."""

    @model_validator(mode="after")
    def _reason_for_rejection(self) -> Self:
        if (self.verdict == "reject") != (self.reason is not None):
            raise ValueError("reason is given exactly when the verdict is reject")
        return self


class StoryDecided(MitcheModel):
    """What the moderator's app receives."""

    thread_id: str
    status: ThreadStatus
    thread_index: int | None = None
    """The thread's place in the weave, when approved."""
    panel: str | None = None
    """Its monthly panel, when approved."""


def _alias(data: dict[str, Any] | None) -> str | None:
    profile = (data or {}).get("profile")
    alias = profile.get("anonymousAlias") if isinstance(profile, dict) else None
    return alias if isinstance(alias, str) and alias else None


def decide_story(deps: Deps, actor_id: str, request: StoryDecision) -> StoryDecided:
    """Approve or reject a pending story as moderator `actor_id`."""
    thread_path = f"{Collection.TAPESTRY_THREADS.value}/{request.thread_id}"
    invocation = f"decide-story-{uuid.uuid4().hex}"
    at = deps.now()

    def work(unit: Unit) -> StoryDecided:
        first = unit.get_all([thread_path, nomination_path(thread_path), LOOM_PATH])
        thread = decode(
            TapestryThread,
            first[thread_path],
            path=thread_path,
            handler=DECIDE,
            event_id=invocation,
        )
        if first[thread_path] is None:
            raise NotFoundError(f"no story {request.thread_id!r}")
        if thread is None:
            raise FailedPreconditionError(f"story {request.thread_id!r} does not validate")
        if thread.status is not ThreadStatus.PENDING:
            raise FailedPreconditionError(f"the story was already {thread.status.value}")
        nomination = decode(
            ThreadNomination,
            first[nomination_path(thread_path)],
            path=nomination_path(thread_path),
            handler=DECIDE,
            event_id=invocation,
        )
        subject_id = nomination.subject_id if nomination is not None else None
        if actor_id in {thread.nominator_id, subject_id}:
            raise PermissionDeniedError(
                "a moderator never decides on a story they told or that is about them"
            )
        review = ThreadReview(
            reviewer_id=actor_id, reviewed_at=at, reason=request.reason, note=request.note
        )
        if request.verdict == "reject":
            unit.update(
                thread_path,
                {"status": ThreadStatus.REJECTED.value, "review": to_document(review, unit.client)},
            )
            return StoryDecided(thread_id=request.thread_id, status=ThreadStatus.REJECTED)
        problem = consent_problem(thread.subject, nomination)
        if problem is not None:
            raise FailedPreconditionError(problem)
        related_path = nomination.related_path if nomination is not None else None
        people = [user_path(thread.nominator_id)]
        if subject_id is not None:
            people.append(user_path(subject_id))
        second = unit.get_all([*people, *([related_path] if related_path else [])])
        loom = (
            decode(
                TapestryLoom, first[LOOM_PATH], path=LOOM_PATH, handler=DECIDE, event_id=invocation
            )
            or TapestryLoom()
        )
        placement = placement_at(loom.next_thread_index, at)
        credits = thread_credits(
            thread.nominator_credit,
            _alias(second[user_path(thread.nominator_id)]),
            nomination,
            _alias(second[user_path(subject_id)]) if subject_id is not None else None,
        )
        impact = impact_of(related_path, second[related_path] if related_path else None)
        told = [thread.nominator_id, *([subject_id] if subject_id is not None else [])]
        # Every read before the first write: the notifications' own reads (their entries, the
        # members' documents for the language) are made here, then served from the unit.
        unit.get_all(notification_path(uid, f"{invocation}:{uid}") for uid in told)
        for uid in told:
            notify(
                unit,
                recipient=uid,
                kind=NotificationKind.STORY_APPROVED,
                params={"storyTitle": thread.title},
                target=thread_path,
                key=f"{invocation}:{uid}",
                at=at,
            )
        unit.update(
            thread_path,
            {
                "status": ThreadStatus.APPROVED.value,
                "review": to_document(review, unit.client),
                "placement": to_document(placement, unit.client),
                "credits": to_document(credits, unit.client),
                "impact.helpers": impact.helpers,
                "impact.peopleHelped": impact.people_helped,
                "impact.relatedActs": impact.related_acts,
            },
        )
        unit.set(
            LOOM_PATH,
            TapestryLoom(next_thread_index=placement.thread_index + 1, updated_at=at),
        )
        return StoryDecided(
            thread_id=request.thread_id,
            status=ThreadStatus.APPROVED,
            thread_index=placement.thread_index,
            panel=placement.panel,
        )

    decided = run_transaction(deps.client, DECIDE, work)
    log_info(
        "story decided",
        handler=DECIDE,
        threadId=request.thread_id,
        moderator=actor_id,
        status=decided.status.value,
        threadIndex=decided.thread_index,
    )
    return decided


@dataclass(frozen=True, slots=True)
class HeartCount:
    """What a heart's change did to its thread's count."""

    delta: int = 0
    duplicate: bool = False


def count_heart(deps: Deps, change: DocumentChange) -> HeartCount:
    """A heart given or taken back: the thread's `hearts` count moves by one, once."""
    if (change.before is None) == (change.after is None):
        return HeartCount()
    delta = 1 if change.before is None else -1
    thread_path = parent_path(change.path)

    def work(unit: Unit) -> None:
        unit.update(thread_path, {"hearts": firestore.Increment(delta)})
        unit.create(
            marker_path(thread_path, HEARTS, change.event_id),
            ProcessedEvent.of(HEARTS, change.event_id, change.at),
        )

    try:
        run_batch(deps.client, HEARTS, work)
    except AlreadyExistsError:
        return HeartCount(duplicate=True)
    except NotFoundError:
        log_info("heart on a story that is gone; nothing counted", handler=HEARTS, path=change.path)
        return HeartCount()
    return HeartCount(delta=delta)


def tell_subject(deps: Deps, change: DocumentChange) -> bool:
    """A nomination naming a member was created: tell them, once; whether it told anyone."""
    if change.before is not None or change.after is None:
        return False
    subject_id = change.after.get("subjectId")
    if not isinstance(subject_id, str) or not subject_id:
        return False
    thread_path = parent_path(change.path)

    def work(unit: Unit) -> bool:
        read = unit.get_all([change.path, thread_path, f"users/{subject_id}"])
        nomination, thread = read[change.path], read[thread_path]
        if nomination is None or thread is None or nomination.get("subjectNotifiedAt"):
            return False
        title = thread.get("title")
        outcome = notify(
            unit,
            recipient=subject_id,
            kind=NotificationKind.STORY_NOMINATED,
            params={"storyTitle": title if isinstance(title, str) else ""},
            target=thread_path,
            key=f"{change.event_id}:{subject_id}",
            at=change.at,
        )
        unit.update(change.path, {"subjectNotifiedAt": change.at})
        return outcome.created

    told = run_transaction(deps.client, NOMINATED, work)
    log_info("story subject told", handler=NOMINATED, path=change.path, told=told)
    return told


CALLABLES: Final = (
    CallableSpec(
        name="decide_story",
        request=StoryDecision,
        response=StoryDecided,
        roles=MODERATING,
        handler=lambda deps, actor, request: decide_story(deps, actor.uid, request),
        summary="A moderator approves (weaves into the tapestry) or rejects a nominated story.",
        codes=(ErrorCode.NOT_FOUND, ErrorCode.FAILED_PRECONDITION),
        target=lambda request: f"{Collection.TAPESTRY_THREADS.value}/{request.thread_id}",
        reason=lambda request: request.note or (request.reason.value if request.reason else None),
    ),
)
"""The callables this module declares (mitche.callables.CALLABLE_MODULES)."""
