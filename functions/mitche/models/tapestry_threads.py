"""The Hope Tapestry (`tapestryThreads/{threadId}`): stories of help, each woven in as a thread.

A member nominates a story: an act of help they did themselves, one another member did, or
one by someone outside Mitché. The story is anonymous by default: the tapestry shows the
nominator's or the subject's alias only when each chose to be credited.

Who reads and writes:
* the nominator creates the thread (story, category, appearance, credit choice) and may edit
  the content while it is pending;
* approved threads are readable by every signed-in member; pending and rejected ones only by
  their nominator and moderators;
* moderators (through the `decide_story` callable) approve or reject; the approval assigns the
  thread's place in the weave (its index from the loom counter `systemSettings/tapestry`, in one
  transaction), copies the credited aliases and computes the impact figures from the document
  the story cites; a trigger keeps the hearts count.

Consent: a story about another member (`subject: member`) is published only once that member
answered `credit` or `anonymous` in the nomination; until then the callable refuses to approve
it, and `decline` leaves only a rejection.

Lifecycle (`status`): `pending` → `approved` (woven into the tapestry, `placement` assigned, the
nominator earns the `storyApproved` award) or `rejected` (with a reason). Approved
threads can still be hidden by moderation after reports (`moderation`).

Anonymity: `nominatorId` is on the thread like any author id on Mitché (the rules need it; it
links only to the nominator's pseudonymous profile). The subject is a third party who did not
write the story, so their uid and the document the story is about live in
`tapestryThreads/{threadId}/private/nomination`, readable by the nominator, the subject and
moderators; the subject answers there whether they want to be credited.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import (
    CLIENT,
    CLIENT_CREATE,
    SERVER,
    DocumentPath,
    MitcheModel,
    Timestamp,
    Uid,
)
from mitche.models.common import (
    ATTACHMENT_ROOT,
    Attachment,
    Count,
    EngagementMetrics,
    LanguageTag,
    Moderation,
    PublicArea,
    Tag,
)
from mitche.models.names import Collection
from mitche.models.processed_events import ProcessedEvent
from mitche.models.registry import CollectionSpec, SubcollectionSpec
from mitche.models.users import HopeCategory

__all__ = [
    "SPEC",
    "CreditDisplay",
    "HexColor",
    "RejectionReason",
    "SubjectConsent",
    "TapestryColor",
    "TapestryLoom",
    "TapestryThread",
    "ThreadAppearance",
    "ThreadCredits",
    "ThreadHeart",
    "ThreadImpact",
    "ThreadNomination",
    "ThreadPattern",
    "ThreadPlacement",
    "ThreadReview",
    "ThreadStatus",
    "ThreadSubject",
]


class ThreadStatus(StrEnum):
    """Editorial state of a story: pending → approved / rejected."""

    PENDING = "pending"
    """Waiting for a moderator; visible to the nominator and moderators only."""
    APPROVED = "approved"
    """Woven into the tapestry and visible to every signed-in member."""
    REJECTED = "rejected"
    """Not published; the nominator sees the reason."""


class ThreadSubject(StrEnum):
    """Whose act of help the story tells."""

    SELF = "self"
    """The nominator's own act."""
    MEMBER = "member"
    """Another member's act; their uid is in `private/nomination`."""
    SOMEONE_ELSE = "someoneElse"
    """Someone outside Mitché, or a member the nominator cannot name."""


class CreditDisplay(StrEnum):
    """How a person appears on a published story."""

    ANONYMOUS = "anonymous"
    """Not named at all (the default)."""
    ALIAS = "alias"
    """Shown by their Mitché alias, never by a real name."""


class SubjectConsent(StrEnum):
    """The subject's answer about a story told about them."""

    UNANSWERED = "unanswered"
    """Not answered yet: the story is not published."""
    CREDIT = "credit"
    """Publish it and show my alias."""
    ANONYMOUS = "anonymous"
    """Publish it without naming me."""
    DECLINE = "decline"
    """Do not publish a story about me; a pending thread is then rejected."""


class TapestryColor(StrEnum):
    """The tapestry's palette; clients may also give a custom `#RRGGBB` colour."""

    SUNRISE = "sunrise"
    EMBER = "ember"
    ROSE = "rose"
    LAVENDER = "lavender"
    OCEAN = "ocean"
    SKY = "sky"
    MEADOW = "meadow"
    SAND = "sand"
    GOLD = "gold"


HexColor = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]
"""A custom colour, `#RRGGBB`."""


class ThreadPattern(StrEnum):
    """How the thread is drawn in the weave."""

    PLAIN = "plain"
    TWILL = "twill"
    HERRINGBONE = "herringbone"
    BRAID = "braid"
    WAVE = "wave"
    DIAMOND = "diamond"


class RejectionReason(StrEnum):
    """Why a moderator did not publish a story."""

    IDENTIFIES_SOMEONE = "identifiesSomeone"
    """It reveals a real name, a place or details that identify someone."""
    NOT_AN_ACT_OF_HELP = "notAnActOfHelp"
    """It does not tell of an act of help or hope."""
    INAPPROPRIATE = "inappropriate"
    """It breaks the community guidelines."""
    DUPLICATE = "duplicate"
    """The same story is already in the tapestry."""
    SUBJECT_DECLINED = "subjectDeclined"
    """The member the story is about asked not to publish it."""
    OTHER = "other"
    """Explained in the review note."""


class ThreadAppearance(MitcheModel):
    """How the nominator wants the thread to look."""

    color: TapestryColor | HexColor = TapestryColor.GOLD
    """A palette colour name or a custom `#RRGGBB`."""
    pattern: ThreadPattern = ThreadPattern.PLAIN
    """Weaving pattern of the thread."""


class ThreadPlacement(MitcheModel):
    """Where the thread sits in the tapestry; assigned once, when the story is approved."""

    thread_index: Annotated[int, Field(ge=0, le=1_000_000_000)]
    """Position in the weave, in approval order (0 is the first thread ever woven)."""
    panel: Annotated[str, Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]
    """The monthly panel the thread is woven into, `YYYY-MM` of its approval."""
    woven_at: Timestamp
    """When the thread was placed."""


class ThreadReview(MitcheModel):
    """A moderator's decision on a story."""

    reviewer_id: Uid
    """The moderator who decided."""
    reviewed_at: Timestamp
    """When they decided."""
    reason: RejectionReason | None = None
    """Why the story was rejected; empty when it was approved."""
    note: Annotated[str, Field(max_length=1000)] | None = None
    """Words for the nominator (what to change, or a thank-you)."""


class ThreadCredits(MitcheModel):
    """Aliases shown on the published story, copied by the server at approval.

    Copied rather than looked up, so that only people who chose to be credited are named and
    a later alias change does not re-identify anyone.
    """

    nominator_alias: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    """The nominator's alias, when they chose `alias` credit."""
    subject_alias: Annotated[str, Field(min_length=1, max_length=40)] | None = None
    """The subject's alias, when the subject is a member who answered `credit`."""


class ThreadImpact(MitcheModel):
    """What the story led to; written by Cloud Functions only.

    `helpers`, `people_helped` and `related_acts` are computed at approval from the document
    the story cites (a request's accepted helpers and its requester, an offering's two sides,
    an event's organisers and attendees), never from numbers a client wrote.
    """

    helpers: Count = 0
    """Members who helped in the act the story cites."""
    people_helped: Count = 0
    """Members the act helped."""
    related_acts: Count = 0
    """Confirmed acts of help the cited document records (accepted offerings, attendances)."""
    hope_points_awarded: Count = 0
    """Hope points awarded because of this story (nominator and subject)."""
    inspired_acts: Count = 0
    """Offerings and requests members made after reading it, linked to it as inspiration."""
    featured_count: Count = 0
    """Times it was featured on the tapestry's front panel."""


class TapestryThread(MitcheModel):
    """A story of help in the Hope Tapestry."""

    nominator_id: Annotated[Uid, CLIENT_CREATE]
    """The member who told the story; must be the signed-in member."""
    subject: Annotated[ThreadSubject, CLIENT_CREATE]
    """Whose act the story tells."""
    title: Annotated[Annotated[str, Field(min_length=1, max_length=120)], CLIENT]
    """Short title shown on the thread."""
    story: Annotated[Annotated[str, Field(min_length=10, max_length=3000)], CLIENT]
    """The story itself, without real names or addresses."""
    category: Annotated[HopeCategory, CLIENT]
    """The kind of good the story shows."""
    language: Annotated[LanguageTag | None, CLIENT] = None
    """Language the story is written in (BCP-47)."""
    tags: Annotated[Annotated[list[Tag], Field(max_length=10)], CLIENT] = Field(
        default_factory=list
    )
    """Keywords for browsing the tapestry."""
    area: Annotated[PublicArea | None, CLIENT] = None
    """Coarse area where it happened (about 5 km), for the tapestry's map; never an address."""
    nominator_credit: Annotated[CreditDisplay, CLIENT] = CreditDisplay.ANONYMOUS
    """Whether the nominator's alias is shown on the published story."""
    appearance: Annotated[ThreadAppearance, CLIENT] = Field(default_factory=ThreadAppearance)
    """Colour and pattern the nominator chose."""
    photo: Annotated[Attachment | None, CLIENT] = None
    """A picture of the story, uploaded by the nominator to
    `uploads/{nominatorId}/stories/{threadId}/` (the attachments pipeline sets it from the
    bytes while the story is pending)."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the story was submitted (request.time)."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last edit by the nominator (request.time)."""
    status: Annotated[ThreadStatus, SERVER] = ThreadStatus.PENDING
    """Editorial state."""
    review: Annotated[ThreadReview | None, SERVER] = None
    """The moderator's decision; present once approved or rejected."""
    placement: Annotated[ThreadPlacement | None, SERVER] = None
    """Place in the weave; present exactly when approved."""
    credits: Annotated[ThreadCredits, SERVER] = Field(default_factory=ThreadCredits)
    """Aliases shown on the published story."""
    moderation: Annotated[Moderation, SERVER] = Field(default_factory=Moderation)
    """Safety state after publication (reports can hide an approved story)."""
    hearts: Annotated[Count, SERVER] = 0
    """Members who gave the story a heart (one `hearts/{userId}` document each)."""
    engagement: Annotated[EngagementMetrics, SERVER] = Field(default_factory=EngagementMetrics)
    """Views, shares and saves."""
    impact: Annotated[ThreadImpact, SERVER] = Field(default_factory=ThreadImpact)
    """What the story led to."""

    @model_validator(mode="after")
    def _updated_after_created(self) -> Self:
        if self.updated_at < self.created_at:
            raise ValueError("updatedAt cannot be earlier than createdAt")
        return self

    @model_validator(mode="after")
    def _photo_of_the_nominator(self) -> Self:
        if self.photo is None:
            return self
        if not self.photo.content_type.is_image:
            raise ValueError("photo must be an image")
        folder = f"{ATTACHMENT_ROOT}/{self.nominator_id}/stories/"
        if self.photo.owner_id != self.nominator_id or not self.photo.storage_path.startswith(
            folder
        ):
            raise ValueError(f"photo must be uploaded by the nominator, below {folder!r}")
        return self

    @model_validator(mode="after")
    def _review_matches_status(self) -> Self:
        if (self.review is None) != (self.status is ThreadStatus.PENDING):
            raise ValueError("review is set exactly when the status is approved or rejected")
        if (self.placement is None) != (self.status is not ThreadStatus.APPROVED):
            raise ValueError("placement is set exactly when the status is approved")
        if self.review is not None:
            rejected = self.status is ThreadStatus.REJECTED
            if rejected != (self.review.reason is not None):
                raise ValueError("review.reason is given exactly when the story is rejected")
        return self

    @model_validator(mode="after")
    def _credits_follow_choices(self) -> Self:
        if self.credits.nominator_alias is not None and (
            self.nominator_credit is CreditDisplay.ANONYMOUS
        ):
            raise ValueError("credits.nominatorAlias is empty while nominatorCredit is anonymous")
        if self.credits.subject_alias is not None and self.subject is not ThreadSubject.MEMBER:
            raise ValueError(
                "credits.subjectAlias names a subject only when the subject is a member"
            )
        return self


class ThreadNomination(MitcheModel):
    """Who and what a story is about (`tapestryThreads/{threadId}/private/nomination`).

    Written by the nominator in the same batch as the thread when the subject is a member or
    the story is about a document; the subject member then answers `subjectConsent`.
    Readable by the nominator, the subject and moderators only.
    """

    nominator_id: Annotated[Uid, CLIENT_CREATE]
    """The nominator, equal to the thread's `nominatorId`."""
    subject_id: Annotated[Uid | None, CLIENT_CREATE] = None
    """The member whose act the story tells, when the subject is a member."""
    related_path: Annotated[DocumentPath | None, CLIENT_CREATE] = None
    """The request, offering or event the story is about, for moderators to check."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the nomination was made (request.time)."""
    subject_consent: Annotated[SubjectConsent, CLIENT] = SubjectConsent.UNANSWERED
    """The subject's answer; only the subject may change it."""
    consent_at: Annotated[Timestamp | None, CLIENT] = None
    """When the subject answered (request.time)."""
    subject_notified_at: Annotated[Timestamp | None, SERVER] = None
    """When the subject was told about the story."""

    @model_validator(mode="after")
    def _consent_needs_subject(self) -> Self:
        if self.subject_id is None and self.subject_consent is not SubjectConsent.UNANSWERED:
            raise ValueError("subjectConsent is answered only by a subject member (subjectId)")
        if self.subject_id is not None and self.subject_id == self.nominator_id:
            raise ValueError("subjectId is another member; a story about oneself has no subject")
        if (self.consent_at is None) != (self.subject_consent is SubjectConsent.UNANSWERED):
            raise ValueError("consentAt is set exactly when subjectConsent is answered")
        return self


class ThreadHeart(MitcheModel):
    """One member's heart on a story (`tapestryThreads/{threadId}/hearts/{userId}`).

    The member creates it to give a heart and deletes it to take it back; the document id is
    their uid, so each member counts once. Only that member reads it (who gave hearts is not
    shown); a trigger keeps the thread's `hearts` count.
    """

    user_id: Annotated[Uid, CLIENT_CREATE]
    """The member giving the heart; equal to the document id and the signed-in member."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the heart was given (request.time)."""


class TapestryLoom(MitcheModel):
    """`systemSettings/tapestry`: the counter that numbers the threads in approval order.

    The approval callable reads it and moves `nextThreadIndex` past the thread it places, in the
    same transaction as the placement, so two moderators approving at once never share an index.
    Approvals come at a moderator's pace, far below a document's sustained write rate.
    """

    next_thread_index: Annotated[Annotated[int, Field(ge=0, le=1_000_000_000)], SERVER] = 0
    """The index the next approved thread gets."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """When a thread was last placed."""


SPEC: Final = CollectionSpec(
    collection=Collection.TAPESTRY_THREADS,
    model=TapestryThread,
    id_field="threadId",
    subcollections=(
        SubcollectionSpec(
            path="tapestryThreads/{threadId}/private/nomination",
            model=ThreadNomination,
            why=(
                "The subject is a third party: their uid and the document the story is about "
                "would identify them, so they are readable only by the nominator, the subject "
                "and moderators, while the story itself is public once approved."
            ),
        ),
        SubcollectionSpec(
            path="tapestryThreads/{threadId}/hearts/{userId}",
            model=ThreadHeart,
            why=(
                "Each member writes their own heart (one document per member, so it counts "
                "once) without being able to touch the server-kept count on the thread, and "
                "who gave hearts stays private to each giver."
            ),
        ),
        SubcollectionSpec(
            path="tapestryThreads/{threadId}/processedEvents/{markerId}",
            model=ProcessedEvent,
            why="Idempotency markers of the hearts count: created in the batch that moves the "
            "count, so a redelivered heart is not counted twice; functions only, expired by a "
            "TTL policy on expiresAt.",
        ),
    ),
)
