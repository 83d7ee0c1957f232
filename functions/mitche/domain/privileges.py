"""Level privileges: what a member's level lets them do, and the open-request limit.

The level benefits table (`systemSettings/public.levelBenefits`) says, row by row, how many
requests a member may have open, whether they may organise community events and whether they
may offer mentorship. The rules cannot search that table for a member's row, so functions copy
the row of the member's level onto their private account (`privileges`, `Privileges`) whenever
the level changes; the rules read it there (one document they already read for rate limits and
revocation), and a member without the map has the first row's privileges.

Design choices, and why:
* The copy is made by the member document's trigger when `gamification.level` changes, not by
  each path that moves a level (awards, admin adjustments, the recompute command): one writer,
  whatever raised the level. It lags the level by a trigger, which only delays an unlock.
* The number of open requests is recounted (a count aggregation), never incremented, so a
  redelivered or reordered trigger leaves it exact. It lags the request that changed it, so
  the rules' check can be passed by a request created before the count caught up; the request
  trigger is the backstop: it closes a new request that found as many open requests created
  before it as the limit allows, saying why (`PlatformClosure`), rather than dropping it.
* A mentorship offering is an offering tagged `mentorship` (the tag the `mentorshipSession`
  award reads); only mentorship-eligible members may write that tag.
"""

from __future__ import annotations

from typing import Final

from mitche.models import LevelBenefit, Privileges, PublicSettings, RequestStatus

__all__ = [
    "MENTORSHIP_TAG",
    "OPEN_REQUEST_STATUSES",
    "default_privileges",
    "limit_message",
    "over_limit",
    "privileges_for",
]

MENTORSHIP_TAG: Final = "mentorship"
"""Tag that marks an offering as mentorship (paid as `mentorshipSession` when completed)."""

OPEN_REQUEST_STATUSES: Final = (RequestStatus.OPEN, RequestStatus.IN_PROGRESS)
"""Statuses in which a request counts against the requester's open-request limit."""


def _from_row(level: int, row: LevelBenefit) -> Privileges:
    return Privileges(
        level=level,
        max_open_requests=row.max_open_requests,
        can_organize_events=row.can_organize_events,
        mentorship_eligible=row.mentorship_eligible,
    )


def privileges_for(level: int, settings: PublicSettings) -> Privileges:
    """The privileges of a member at `level`, from the benefits row that applies there."""
    return _from_row(level, settings.benefit_for(level))


def default_privileges(settings: PublicSettings) -> Privileges:
    """What a member without a stored map may do: the first row's privileges (level 1), as
    the rules assume."""
    return _from_row(1, settings.level_benefits[0])


def over_limit(open_before: int, privileges: Privileges) -> bool:
    """Whether a new request goes past the limit, given the requester's open requests created
    before it."""
    return open_before >= privileges.max_open_requests


def limit_message(open_before: int, privileges: Privileges, title: str) -> str:
    """What the requester reads on a request the backstop closed."""
    return (
        f"Closed: you already had {open_before} open requests, and {title} members may have "
        f"{privileges.max_open_requests} open at once. Close or complete one of them, then "
        "post this request again."
    )
