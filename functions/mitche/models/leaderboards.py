"""Leaderboards, kept below `systemSettings/leaderboards` (no fourteenth top-level collection).

* `systemSettings/leaderboards` (`LeaderboardSettings`): the server secret that turns a uid into
  an entry id; read and written by Cloud Functions only (a function creates it on first use).
* `systemSettings/leaderboards/boards/{boardId}/entries/{entryId}` (`LeaderboardEntry`): one
  member's line on one board, `allTime` or `weekly-2026-W48`. Readable by every signed-in
  member, written by functions only. The entry id is an HMAC of the uid under the secret, so a
  reader cannot follow an entry back to a profile; the entry shows the anonymous alias only.

Clients read a board with one query: `entries` ordered by `points` descending, limited to
`public.config.leaderboardSize`. Weekly boards expire through the `expiresAt` TTL field, four
weeks after their week ends (see mitche.domain.leaderboards).
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field

from mitche.models._base import SERVER, MitcheModel, Timestamp
from mitche.models.users import MAX_LEVEL

__all__ = [
    "BOARDS",
    "ENTRIES",
    "LEADERBOARDS_DOCUMENT",
    "LeaderboardEntry",
    "LeaderboardSettings",
    "board_entries_path",
]

LEADERBOARDS_DOCUMENT: Final = "systemSettings/leaderboards"
"""The functions-only document the boards hang below."""
BOARDS: Final = "boards"
"""Collection id of the boards below `LEADERBOARDS_DOCUMENT`."""
ENTRIES: Final = "entries"
"""Collection id of a board's entries."""


def board_entries_path(board_id: str) -> str:
    """The collection path holding a board's entries."""
    return f"{LEADERBOARDS_DOCUMENT}/{BOARDS}/{board_id}/{ENTRIES}"


class LeaderboardSettings(MitcheModel):
    """`systemSettings/leaderboards`: the key of the boards' entry ids (functions only)."""

    entry_key: Annotated[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] | None, SERVER] = None
    """256-bit secret, hex; empty until a function generates it on first use. Changing it
    re-keys every entry, so it is never rotated in place."""
    created_at: Annotated[Timestamp | None, SERVER] = None
    """When the key was generated."""


class LeaderboardEntry(MitcheModel):
    """A member's line on a board."""

    alias: Annotated[Annotated[str, Field(min_length=3, max_length=40)], SERVER]
    """The member's anonymous alias (never a name or uid)."""
    points: Annotated[Annotated[int, Field(ge=1, le=1_000_000_000)], SERVER]
    """Hope points on this board: total for all-time, the week's credits for a weekly board."""
    level: Annotated[Annotated[int, Field(ge=1, le=MAX_LEVEL)] | None, SERVER] = None
    """The member's level, when they chose to show it (`privacy.showLevel`)."""
    week: Annotated[Annotated[str, Field(pattern=r"^\d{4}-W\d{2}$")] | None, SERVER] = None
    """ISO week of a weekly board's entry."""
    expires_at: Annotated[Timestamp | None, SERVER] = None
    """TTL field of a weekly entry; absent on the all-time board."""
    updated_at: Annotated[Timestamp, SERVER]
    """When the entry was last written."""
