"""When a community event needs a moderator's approval: one state machine with the screen.

An event is public when `approval.state` is approved *and* its `moderation` status is shown
(pending, approved or flagged): approval is a moderator's decision about the event as a whole,
moderation is the screen's (and reports') judgement of its text. They meet in three places:

* the organiser submits (status scheduled): a function sets approval `pending`; the screen
  judges the text meanwhile, and the moderator's queue shows both;
* a moderator approves through `decide_event`: approval `approved` *and* moderation `approved`
  (the moderator read the text, so a screen hold is released by the same decision); a
  rejection sets approval `rejected` with the reason the organiser reads, moderation untouched;
* a material edit (content, time, place, audience, capacity down) of an approved event
  returns approval to `pending` in the edit's own write (the rules demand it), and the screen
  judges the new text; an edit of a rejected event resubmits it (a function sets `pending`).

Reports and `review_content` act on moderation alone: hiding an approved event takes it from
its audience without touching the approval.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from mitche.models.common import ApprovalState

__all__ = ["MATERIAL_FIELDS", "approval_state", "is_material_edit", "needs_submission"]

MATERIAL_FIELDS: Final = (
    "title",
    "description",
    "category",
    "tags",
    "coverImage",
    "startsAt",
    "endsAt",
    "timeZone",
    "format",
    "location",
    "virtualPlatform",
    "visibility",
    "requirements",
    "registrationDeadline",
)
"""Fields whose change after approval needs a moderator again (the rules hold the same list)."""


def approval_state(data: Mapping[str, Any] | None) -> ApprovalState:
    """The stored approval state (not submitted when absent or unreadable)."""
    raw = (data or {}).get("approval")
    state = raw.get("state") if isinstance(raw, Mapping) else None
    if isinstance(state, str) and state in ApprovalState.__members__.values():
        return ApprovalState(state)
    return ApprovalState.NOT_SUBMITTED


def _capacity(data: Mapping[str, Any]) -> int | None:
    value = data.get("capacity")
    return value if isinstance(value, int) else None


def is_material_edit(before: Mapping[str, Any], after: Mapping[str, Any]) -> bool:
    """Whether `after` changes what a moderator approved in `before`: a material field, or
    fewer places (a limit appearing counts as fewer)."""
    if any(before.get(name) != after.get(name) for name in MATERIAL_FIELDS):
        return True
    old, new = _capacity(before), _capacity(after)
    return new is not None and (old is None or new < old)


def needs_submission(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> bool:
    """Whether the function must (re)set approval to pending: a scheduled event never
    submitted, a rejected one edited, or an approved one edited materially by a writer the
    rules do not hold to withdrawing the approval itself (the console, an operator)."""
    if after.get("status") != "scheduled":
        return False
    state = approval_state(after)
    if state is ApprovalState.NOT_SUBMITTED:
        return True
    if before is None or state is ApprovalState.PENDING:
        return False
    if state is ApprovalState.REJECTED:
        return approval_state(before) is ApprovalState.REJECTED and is_material_edit(before, after)
    return approval_state(before) is ApprovalState.APPROVED and is_material_edit(before, after)
