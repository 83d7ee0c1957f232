"""Screening of new and edited content: the verdict the automatic screen gives a text.

Policy (systemSettings/moderation, code defaults when absent):
* `screenNewContent` false: everything is approved as it arrives (the switch an admin turns
  off when the keyword lists misfire);
* a keyword at or above `autoHideSeverity` holds the content (`hidden`): nobody but its author
  and moderators sees it until a moderator decides, and the author reads why in
  `moderation.reason`;
* a keyword below that flags it (`flagged`): it stays visible and is queued for a moderator;
* the author's standing: strikes at or above `suspension.strikesToSuspend` hold their new
  content, a warning or any strike flags it (report history that was upheld against them);
* otherwise the content is approved.

The verdict is a pure function of the text, the author's standing and the settings, so a
redelivered event reaches the same verdict, and the chat upkeep computes the same one for a
message's inbox preview without waiting for the screen's write.

What a re-screen may change (`next_moderation`): the screen never loosens a state a moderator
or a report set (a moderator's review, an auto-hide by reports, a removal); it only re-judges
states it set itself, and otherwise only tightens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from mitche.domain.moderation import classify
from mitche.models.common import Moderation, ModerationState
from mitche.models.reports import ReportReason
from mitche.models.system_settings import ModerationSettings
from mitche.models.users import AccountStatus

__all__ = [
    "HELD_PREFIX",
    "SHOWN_STATES",
    "Standing",
    "Verdict",
    "next_moderation",
    "screen",
    "standing_of",
    "unprocessable",
]

HELD_PREFIX: Final = "Held for a moderator's review"
"""Start of the reason the author reads on held content."""
SHOWN_STATES: Final = frozenset(
    {ModerationState.PENDING, ModerationState.APPROVED, ModerationState.FLAGGED}
)
"""States whose content its audience sees."""
_RANK: Final = {
    ModerationState.PENDING: 0,
    ModerationState.APPROVED: 1,
    ModerationState.FLAGGED: 2,
    ModerationState.HIDDEN: 3,
    ModerationState.REMOVED: 4,
}


@dataclass(frozen=True, slots=True)
class Standing:
    """What the screen knows of an author: their account status and upheld strikes."""

    account_status: AccountStatus = AccountStatus.ACTIVE
    strikes: int = 0


def standing_of(
    user: Mapping[str, Any] | None, account: Mapping[str, Any] | None = None
) -> Standing:
    """An author's standing from their stored documents, read leniently (a member document
    that does not decode must not block screening their content; absent fields are defaults).

    `security` lives in `users/{uid}/private/account` once migrated, on the user document
    before (expand/contract window): the account document's wins when it holds one."""
    security = (account or {}).get("security")
    if not isinstance(security, Mapping):
        security = (user or {}).get("security")
    if not isinstance(security, Mapping):
        return Standing()
    raw_status = security.get("accountStatus")
    strikes = security.get("strikes")
    try:
        status = AccountStatus(raw_status) if raw_status is not None else AccountStatus.ACTIVE
    except ValueError:
        status = AccountStatus.ACTIVE
    return Standing(status, strikes if isinstance(strikes, int) and strikes >= 0 else 0)


@dataclass(frozen=True, slots=True)
class Verdict:
    """The screen's decision on a text."""

    status: ModerationState
    reason: str | None = None
    """What the author reads (None when approved)."""

    @property
    def shown(self) -> bool:
        """Whether the content's audience sees it."""
        return self.status in SHOWN_STATES


def screen(
    texts: Iterable[str | None], standing: Standing, settings: ModerationSettings
) -> Verdict:
    """The verdict on content made of `texts` by an author of `standing`."""
    if not settings.screen_new_content:
        return Verdict(ModerationState.APPROVED)
    found = classify(ReportReason.OTHER, texts, settings)
    level = found.keyword_severity
    words = ", ".join(f'"{word}"' for word in found.matched_keywords[:3])
    if level is not None and level.rank >= settings.auto_hide_severity.rank:
        return Verdict(
            ModerationState.HIDDEN,
            f"{HELD_PREFIX}: it contains words our community guidelines flag ({words}). "
            "A moderator will look at it soon; you can edit it meanwhile.",
        )
    if standing.strikes >= settings.suspension.strikes_to_suspend:
        return Verdict(
            ModerationState.HIDDEN,
            f"{HELD_PREFIX}: moderators upheld several reports about your posts recently, so "
            "your new posts wait for a review before others see them.",
        )
    if level is not None:
        return Verdict(
            ModerationState.FLAGGED,
            f"Visible, and queued for a moderator's review: it contains words our community "
            f"guidelines flag ({words}).",
        )
    if standing.strikes > 0 or standing.account_status is AccountStatus.WARNED:
        return Verdict(
            ModerationState.FLAGGED,
            "Visible, and queued for a moderator's review because of a recent warning on "
            "your account.",
        )
    return Verdict(ModerationState.APPROVED)


def unprocessable(problem: str) -> Verdict:
    """The verdict on a document the functions cannot read: held, saying what to fix."""
    return Verdict(
        ModerationState.HIDDEN,
        f"{HELD_PREFIX}: it could not be processed ({problem[:300]}). Edit it to fix this.",
    )


def _set_by_screen(current: Moderation) -> bool:
    return (
        current.screened_at is not None
        and current.reviewed_at == current.screened_at
        and current.report_count == 0
    )


def next_moderation(
    current: Moderation | None, verdict: Verdict, at: dt.datetime
) -> Moderation | None:
    """The moderation map after screening with `verdict` (None: leave it as it is).

    A first screen, or a re-screen of a state the screen set itself, takes the verdict; a
    state a moderator or reports set is only ever tightened (approved → flagged → hidden),
    never loosened, and a removal is final."""
    if current is None or current.status is ModerationState.PENDING or _set_by_screen(current):
        base = current or Moderation()
        updated = base.model_copy(
            update={
                "status": verdict.status,
                "reason": verdict.reason,
                "reviewed_at": at,
                "screened_at": at,
            }
        )
        if current is not None and _same(current, updated):
            return None
        return updated
    if _RANK[verdict.status] <= _RANK[current.status]:
        return None
    return current.model_copy(
        update={"status": verdict.status, "reason": verdict.reason, "screened_at": at}
    )


def _same(current: Moderation, updated: Moderation) -> bool:
    return current.status is updated.status and current.reason == updated.reason
