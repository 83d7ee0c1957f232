"""Leaderboard entries, computed at write time from a member's new totals.

Two boards: all-time (hope points total) and weekly (points credited in the current UTC ISO
week; a new week is a new board, so the weekly ranking resets without rewriting anything).
Readers query a board ordered by points; nothing scans users on read, and ranks are not
stored (storing them would rewrite many entries on every award).

Design choices, and why:
* Only members who opted in (`privacy.leaderboardOptIn`) and are in good standing (active or
  warned: not suspended, banned or deactivated) appear; losing either removes their entries
  from the all-time board and from the weeks the trigger knows of (the current one and the
  one stored on the member); older weekly boards expire through their TTL field.
* An entry shows the anonymous alias and, if the member allows it (`privacy.showLevel`), the
  level; nothing else. Its document id is a keyed hash of the uid, not the uid: the boards are
  readable by every member and a uid leads to the profile and display name.
* Weekly points are gross credits of the week (positive amounts only), so the weekly value
  does not depend on the order events arrive in and the ledger recomputes it exactly;
  reversals correct the all-time total.
* `leaderboard_writes` compares the entries before and after a change and returns only the
  writes that change something: an award that leaves a board unchanged costs no write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from mitche.domain._calendar import UTC, iso_week_start, week_of
from mitche.models.users import AccountStatus, Gamification, User

__all__ = [
    "WEEKLY_RETENTION",
    "Board",
    "LeaderboardEntry",
    "LeaderboardWrite",
    "advance_weekly_points",
    "board_id",
    "eligible",
    "entries_for",
    "entry_id",
    "leaderboard_writes",
    "weekly_points_now",
]

WEEKLY_RETENTION: Final = dt.timedelta(days=28)
"""How long a weekly board is kept after its week ends (its entries' TTL)."""

_GOOD_STANDING: Final = frozenset({AccountStatus.ACTIVE, AccountStatus.WARNED})


class Board(StrEnum):
    """The two rankings."""

    WEEKLY = "weekly"
    ALL_TIME = "allTime"


def board_id(board: Board, week: str | None = None) -> str:
    """The id of a board: `allTime`, or `weekly-2026-W48` for one ISO week."""
    if board is Board.ALL_TIME:
        return board.value
    if week is None:
        raise ValueError("a weekly board needs its ISO week")
    iso_week_start(week)
    return f"{board.value}-{week}"


def entry_id(user_id: str, key: bytes) -> str:
    """The document id of a member's entries: HMAC-SHA256 of the uid under a server secret,
    so readers of a board cannot link an entry to a uid."""
    if not key:
        raise ValueError("the leaderboard key must not be empty")
    return hmac.new(key, user_id.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    """One member's line on one board."""

    board_id: str
    entry_id: str
    alias: str
    points: int
    level: int | None
    """The member's level, or None when they chose not to show it."""
    week: str | None
    """ISO week of a weekly entry."""
    expires_at: dt.datetime | None
    """TTL of a weekly entry: its week's end plus the retention."""
    updated_at: dt.datetime = field(compare=False)


@dataclass(frozen=True, slots=True)
class LeaderboardWrite:
    """Set or delete one entry."""

    board_id: str
    entry_id: str
    entry: LeaderboardEntry | None
    """The entry to write; None to delete it."""


def eligible(user: User) -> bool:
    """Whether the member appears on leaderboards at all (`user.security` is the member's
    standing wherever it is stored; none means the defaults, good standing)."""
    standing = user.security.account_status if user.security else AccountStatus.ACTIVE
    return user.privacy.leaderboard_opt_in and standing in _GOOD_STANDING


def weekly_points_now(gamification: Gamification, at: dt.datetime) -> int:
    """The member's points for the current week; a stored stale week reads as zero."""
    return gamification.weekly_points if gamification.week == week_of(at) else 0


def advance_weekly_points(gamification: Gamification, amount: int, at: dt.datetime) -> Gamification:
    """The gamification map once `amount` is credited at `at`: the week rolls over to the
    current ISO week (UTC) and positive amounts are added."""
    week = week_of(at)
    points = weekly_points_now(gamification, at) + max(amount, 0)
    return gamification.model_copy(update={"week": week, "weekly_points": points})


def _week_expiry(week: str) -> dt.datetime:
    start = iso_week_start(week)
    end = dt.datetime.combine(start + dt.timedelta(days=7), dt.time(), tzinfo=UTC)
    return end + WEEKLY_RETENTION


def entries_for(
    user: User, user_id: str, at: dt.datetime, key: bytes
) -> dict[str, LeaderboardEntry]:
    """The member's entries by board id, as of `at` (none when not eligible or no points)."""
    if not eligible(user):
        return {}
    member = entry_id(user_id, key)
    alias = user.profile.anonymous_alias
    level = user.gamification.level if user.privacy.show_level else None
    entries: dict[str, LeaderboardEntry] = {}
    total = user.gamification.hope_points.total
    if total > 0:
        all_time = board_id(Board.ALL_TIME)
        entries[all_time] = LeaderboardEntry(all_time, member, alias, total, level, None, None, at)
    weekly = weekly_points_now(user.gamification, at)
    if weekly > 0:
        week = week_of(at)
        board = board_id(Board.WEEKLY, week)
        entries[board] = LeaderboardEntry(
            board, member, alias, weekly, level, week, _week_expiry(week), at
        )
    return entries


def leaderboard_writes(
    before: User | None, after: User | None, user_id: str, at: dt.datetime, key: bytes
) -> list[LeaderboardWrite]:
    """The writes that bring the boards from the member's state `before` to `after`, sorted
    by board id; deletions included for boards the member leaves."""
    old = entries_for(before, user_id, at, key) if before is not None else {}
    new = entries_for(after, user_id, at, key) if after is not None else {}
    member = entry_id(user_id, key)
    boards = set(old) | set(new)
    leaving = before is not None and eligible(before) and (after is None or not eligible(after))
    stale_week = before.gamification.week if before is not None else None
    if leaving and stale_week is not None:
        boards.add(board_id(Board.WEEKLY, stale_week))
    writes = []
    for board in sorted(boards):
        entry = new.get(board)
        if entry is None or old.get(board) != entry:
            writes.append(LeaderboardWrite(board, member, entry))
    return writes
