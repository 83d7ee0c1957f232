"""What follows from a change of a member's document: leaderboard entries, custom claims and
the moderator roster.

All three are states derived from the user document, so each write is an absolute value, not
an increment: applying it twice changes nothing, and no marker is needed.

* Leaderboards: `leaderboard_writes` on the event's before and after says which boards the
  change can touch (none for most changes: a counter moving costs nothing). Those boards are
  then written from the member's *current* document, read in a transaction, so deliveries
  arriving out of order still converge to the latest state; a weekly board of a week the
  member has since left is only ever deleted (when they leave the boards), never rewritten.
* Custom claims: when the claims the rules read (role, accountStatus, verifiedProvider,
  suspendedUntil) differ between before and after, they are set again from the after state,
  and the member's sessions are revoked when they were just suspended or banned, so the new
  claims apply at once. Whoever changed the security map (a moderator's callable, an admin in
  the console) needs to do nothing else.
* Moderator roster: members with the moderator or admin role in good standing are in
  `systemSettings/moderators`; a change of role or standing adds or removes them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Final

from google.cloud import firestore

from mitche.domain._calendar import UTC, iso_week_start
from mitche.domain.leaderboards import (
    Board,
    LeaderboardEntry,
    board_id,
    eligible,
    entries_for,
    entry_id,
    leaderboard_writes,
)
from mitche.domain.moderation import custom_claims
from mitche.handler_names import HandlerName
from mitche.handlers._awards import user_path
from mitche.handlers._context import Deps, DocumentChange, decode, decode_change
from mitche.models import (
    AccountStatus,
    ModeratorRoster,
    Role,
    Security,
    SettingsDocument,
    User,
    board_entries_path,
)
from mitche.models import (
    LeaderboardEntry as StoredEntry,
)
from mitche.services import Unit, log_info, run_transaction, settings_path

__all__ = [
    "MODERATING_ROLES",
    "MemberSync",
    "is_active_moderator",
    "stored_entry",
    "sync_member",
]

MODERATING_ROLES: Final = frozenset({Role.MODERATOR, Role.ADMIN})
_GOOD_STANDING: Final = frozenset({AccountStatus.ACTIVE, AccountStatus.WARNED})
_LOCKED_OUT: Final = frozenset({AccountStatus.SUSPENDED, AccountStatus.BANNED})
HANDLER: Final = HandlerName.MEMBERS_SYNC


@dataclass(frozen=True, slots=True)
class MemberSync:
    """What a member document change led to."""

    boards_written: tuple[str, ...] = ()
    boards_deleted: tuple[str, ...] = ()
    claims_set: bool = False
    sessions_revoked: bool = False
    roster: str | None = None
    """"added" or "removed" when the moderator roster changed."""
    skipped: tuple[str, ...] = field(default=())


def stored_entry(entry: LeaderboardEntry, updated_at: dt.datetime) -> StoredEntry:
    """The stored form of a domain leaderboard entry, written at `updated_at`."""
    return StoredEntry(
        alias=entry.alias,
        points=entry.points,
        level=entry.level,
        week=entry.week,
        expires_at=entry.expires_at,
        updated_at=updated_at,
    )


def is_active_moderator(security: Security | None) -> bool:
    """Whether the member takes reports: a moderating role, in good standing."""
    return (
        security is not None
        and security.role in MODERATING_ROLES
        and security.account_status in _GOOD_STANDING
    )


def _sync_leaderboards(
    deps: Deps, change: DocumentChange, before: User | None, after: User | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    uid = change.document_id
    key = deps.settings.leaderboard_key(deps.client)
    touched = {w.board_id for w in leaderboard_writes(before, after, uid, change.at, key)}
    if not touched:
        return (), ()
    handler = HandlerName.MEMBERS_LEADERBOARDS

    def work(unit: Unit) -> tuple[tuple[str, ...], tuple[str, ...]]:
        path = user_path(uid)
        current = decode(User, unit.get(path), path=path, handler=handler, event_id=change.event_id)
        live: dict[str, LeaderboardEntry] = {}
        current_boards = {board_id(Board.ALL_TIME)}
        if current is not None:
            week = current.gamification.week
            moment = change.at
            if week is not None:
                start = iso_week_start(week)
                moment = dt.datetime.combine(start, dt.time(12), tzinfo=UTC)
                current_boards.add(board_id(Board.WEEKLY, week))
            live = entries_for(current, uid, moment, key)
        keep = current is not None and eligible(current)
        member = entry_id(uid, key)
        written, deleted = [], []
        for board in sorted(touched):
            entry_path = f"{board_entries_path(board)}/{member}"
            if board in live:
                unit.set(entry_path, stored_entry(live[board], change.at))
                written.append(board)
            elif board in current_boards or not keep:
                unit.delete(entry_path)
                deleted.append(board)
        return tuple(written), tuple(deleted)

    return run_transaction(deps.client, handler, work)


def _sync_claims(
    deps: Deps, uid: str, before: Security | None, after: Security | None
) -> tuple[bool, bool]:
    if after is None:
        return False, False
    claims = custom_claims(after)
    if claims == custom_claims(before or Security()):
        return False, False
    claims_set = deps.accounts.set_claims(uid, claims)
    entered_lockout = after.account_status in _LOCKED_OUT and (
        before is None or before.account_status is not after.account_status
    )
    revoked = entered_lockout and deps.accounts.revoke_sessions(uid)
    return claims_set, revoked


def _sync_roster(
    deps: Deps, change: DocumentChange, before: Security | None, after: Security | None
) -> str | None:
    was, now = is_active_moderator(before), is_active_moderator(after)
    if was == now:
        return None
    uid = change.document_id
    path = settings_path(SettingsDocument.MODERATORS)

    def work(unit: Unit) -> str | None:
        roster = decode(
            ModeratorRoster,
            unit.get(path) or {},
            path=path,
            handler=HandlerName.MEMBERS_ROSTER,
            event_id=change.event_id,
        )
        roster = roster or ModeratorRoster()
        ids = set(roster.moderator_ids)
        if (uid in ids) == now:
            return None
        updated = sorted(ids | {uid}) if now else sorted(ids - {uid})
        unit.set(
            path,
            {"moderatorIds": updated, "updatedAt": firestore.SERVER_TIMESTAMP},
            merge=True,
        )
        return "added" if now else "removed"

    return run_transaction(deps.client, HandlerName.MEMBERS_ROSTER, work)


def sync_member(deps: Deps, change: DocumentChange) -> MemberSync:
    """Bring the leaderboards, custom claims and roster in line with a member change."""
    sides = decode_change(User, change, HANDLER)
    if sides is None:
        return MemberSync(skipped=("malformed",))
    before, after = sides
    written, deleted = _sync_leaderboards(deps, change, before, after)
    old = before.security if before is not None else None
    new = after.security if after is not None else None
    claims_set, revoked = _sync_claims(deps, change.document_id, old, new)
    roster = _sync_roster(deps, change, old, new)
    result = MemberSync(written, deleted, claims_set, revoked, roster)
    if result != MemberSync():
        log_info(
            "member change synced",
            handler=HANDLER,
            eventId=change.event_id,
            path=change.path,
            boardsWritten=list(written),
            boardsDeleted=list(deleted),
            claimsSet=claims_set,
            sessionsRevoked=revoked,
            roster=roster,
        )
    return result
