"""The Hope Tapestry's rules as plain Python: who must consent, what the woven thread shows, and
what its impact figures are.

* Consent: a story about another member is published only once that member answered `credit`
  or `anonymous`; one who declined leaves only a rejection (reason `subjectDeclined`). Stories a
  member tells of their own act, or of someone outside Mitché, need nobody's answer.
* Credits: the nominator's alias only when they chose `alias`; the subject's only when they
  answered `credit`. Copied at approval, so a later alias change re-identifies nobody.
* Placement: the index the loom counter gives, the monthly panel of the approval.
* Impact: counted from the confirmed facts of the document the story cites (accepted helpers
  and the requester of a request, the two sides of an accepted offering, organisers and
  attendees of an event); a story citing nothing, or a document that does not exist, has no
  impact figures. Nothing a client typed is counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from mitche.models import (
    Collection,
    CreditDisplay,
    SubjectConsent,
    ThreadCredits,
    ThreadImpact,
    ThreadNomination,
    ThreadPlacement,
    ThreadSubject,
)

__all__ = [
    "CONSENTED",
    "consent_problem",
    "impact_of",
    "placement_at",
    "thread_credits",
]

CONSENTED: Final = frozenset({SubjectConsent.CREDIT, SubjectConsent.ANONYMOUS})
"""The subject's answers that allow publication."""

_ACCEPTED_OFFERING: Final = frozenset({"accepted", "completed"})


def consent_problem(subject: ThreadSubject, nomination: ThreadNomination | None) -> str | None:
    """Why the story cannot be published yet for want of consent; None when it can."""
    if subject is not ThreadSubject.MEMBER:
        return None
    if nomination is None or nomination.subject_id is None:
        return "the story is about a member but names none who could consent; reject it"
    if nomination.subject_consent is SubjectConsent.DECLINE:
        return "the member the story is about declined; reject it with reason subjectDeclined"
    if nomination.subject_consent not in CONSENTED:
        return "the member the story is about has not consented yet"
    return None


def thread_credits(
    nominator_credit: CreditDisplay,
    nominator_alias: str | None,
    nomination: ThreadNomination | None,
    subject_alias: str | None,
) -> ThreadCredits:
    """The aliases the woven thread shows, as each person chose."""
    credit_subject = (
        nomination is not None
        and nomination.subject_id is not None
        and nomination.subject_consent is SubjectConsent.CREDIT
    )
    return ThreadCredits(
        nominator_alias=nominator_alias if nominator_credit is CreditDisplay.ALIAS else None,
        subject_alias=subject_alias if credit_subject else None,
    )


def placement_at(thread_index: int, at: dt.datetime) -> ThreadPlacement:
    """The thread's place: its index in approval order, in the panel of the approval month."""
    utc = at.astimezone(dt.UTC)
    return ThreadPlacement(thread_index=thread_index, panel=f"{utc:%Y-%m}", woven_at=at)


def _ids(value: object) -> set[str]:
    return {item for item in value if isinstance(item, str)} if isinstance(value, list) else set()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _count(value: object) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def impact_of(related_path: str | None, related: Mapping[str, Any] | None) -> ThreadImpact:
    """The impact figures of the act the story cites, from the cited document as stored."""
    if related_path is None or related is None:
        return ThreadImpact()
    collection = related_path.split("/", 1)[0]
    if collection == Collection.REQUESTS.value:
        completion = related.get("completion")
        fulfilled = _ids(completion.get("fulfilledBy")) if isinstance(completion, dict) else set()
        helpers = _ids(related.get("acceptedHelperIds")) | fulfilled
        return ThreadImpact(
            helpers=len(helpers),
            people_helped=1 if helpers else 0,
            related_acts=len(helpers),
        )
    if collection == Collection.OFFERINGS.value:
        status = _text(related.get("status"))
        confirmed = status in _ACCEPTED_OFFERING and _text(related.get("requesterId")) is not None
        return ThreadImpact(
            helpers=1 if confirmed else 0,
            people_helped=1 if confirmed else 0,
            related_acts=1 if confirmed else 0,
        )
    if collection == Collection.COMMUNITY_EVENTS.value:
        counts = related.get("registrations")
        attended = _count(counts.get("attended")) if isinstance(counts, dict) else 0
        organizer = _text(related.get("organizerId"))
        organisers = _ids(related.get("coOrganizerIds")) | ({organizer} if organizer else set())
        return ThreadImpact(
            helpers=len(organisers) if attended else 0,
            people_helped=attended,
            related_acts=attended,
        )
    return ThreadImpact()
