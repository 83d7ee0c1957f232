"""What follows from a change of a member's documents (the user document and the private
account holding the security map): leaderboard entries, custom claims and the moderator roster.

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
  the console) needs to do nothing else. The map lives in `users/{uid}/private/account`
  (`sync_account`); a user document still holding the legacy map (expand/contract window of
  migration 0001) is followed as before, and losing it to the migration changes nothing.
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
from mitche.handlers._account import SECURITY, account_path, with_security
from mitche.handlers._awards import user_path
from mitche.handlers._context import Deps, DocumentChange, decode, decode_change
from mitche.models import (
    AccountStatus,
    ModeratorRoster,
    PrivateAccount,
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
    "sync_account",
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


def _stored_security(
    account: PrivateAccount | None, data: object, user: User | None
) -> Security | None:
    """The security map of a member's account document when it holds one, else the legacy
    map of their user document."""
    if account is not None and isinstance(data, dict) and SECURITY in data:
        return account.security
    return user.security if user is not None else None


def _sync_leaderboards(
    deps: Deps, uid: str, change: DocumentChange, before: User | None, after: User | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    key = deps.settings.leaderboard_key(deps.client)
    touched = {w.board_id for w in leaderboard_writes(before, after, uid, change.at, key)}
    if not touched:
        return (), ()
    handler = HandlerName.MEMBERS_LEADERBOARDS

    def work(unit: Unit) -> tuple[tuple[str, ...], tuple[str, ...]]:
        path, private = user_path(uid), account_path(uid)
        found = unit.get_all([path, private])
        current = decode(User, found[path], path=path, handler=handler, event_id=change.event_id)
        if current is not None:
            data = found[private]
            account = decode(
                PrivateAccount, data, path=private, handler=handler, event_id=change.event_id
            )
            current = with_security(current, _stored_security(account, data, current))
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
    deps: Deps,
    uid: str,
    before: Security | None,
    after: Security | None,
    *,
    may_revoke: bool = True,
) -> tuple[bool, bool]:
    if after is None:
        return False, False
    claims = custom_claims(after)
    if claims == custom_claims(before or Security()):
        return False, False
    claims_set = deps.accounts.set_claims(uid, claims)
    entered_lockout = (
        may_revoke
        and after.account_status in _LOCKED_OUT
        and (before is None or before.account_status is not after.account_status)
    )
    revoked = entered_lockout and deps.accounts.revoke_sessions(uid)
    return claims_set, revoked


def _sync_roster(
    deps: Deps, uid: str, change: DocumentChange, before: Security | None, after: Security | None
) -> str | None:
    was, now = is_active_moderator(before), is_active_moderator(after)
    if was == now:
        return None
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
    uid = change.document_id
    written, deleted = _sync_leaderboards(deps, uid, change, before, after)
    old = before.security if before is not None else None
    new = after.security if after is not None else None
    claims_set, revoked, roster = False, False, None
    if new is not None:
        claims_set, revoked = _sync_claims(deps, uid, old, new)
        roster = _sync_roster(deps, uid, change, old, new)
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


def _standing_changed(before: Security | None, after: Security) -> bool:
    was = (before or Security()).account_status in _GOOD_STANDING
    return was != (after.account_status in _GOOD_STANDING)


def sync_account(deps: Deps, change: DocumentChange) -> MemberSync:
    """Bring the custom claims, the roster and the leaderboards in line with a change of the
    security map in `users/{uid}/private/account`. A change that only moves rate-limit
    timestamps (every content creation does) costs nothing. A new account document (the
    migration moving a map, a first decision) sets claims but revokes no session."""
    handler = HandlerName.MEMBERS_ACCOUNT
    sides = decode_change(PrivateAccount, change, handler)
    if sides is None:
        return MemberSync(skipped=("malformed",))
    before, after = sides
    old = before.security if before is not None and SECURITY in (change.before or {}) else None
    new = after.security if after is not None and SECURITY in (change.after or {}) else None
    if new is None or new == old:
        return MemberSync()
    uid = change.path.split("/")[1]
    claims_set, revoked = _sync_claims(deps, uid, old, new, may_revoke=before is not None)
    roster = _sync_roster(deps, uid, change, old, new)
    written: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    if _standing_changed(old, new):
        path = user_path(uid)
        snapshot = deps.client.document(path).get()
        user = decode(
            User,
            snapshot.to_dict() if snapshot.exists else None,
            path=path,
            handler=handler,
            event_id=change.event_id,
        )
        if user is not None:
            written, deleted = _sync_leaderboards(
                deps, uid, change, with_security(user, old or Security()), with_security(user, new)
            )
    result = MemberSync(written, deleted, claims_set, revoked, roster)
    if result != MemberSync():
        log_info(
            "member account change synced",
            handler=handler,
            eventId=change.event_id,
            path=change.path,
            boardsWritten=list(written),
            boardsDeleted=list(deleted),
            claimsSet=claims_set,
            sessionsRevoked=revoked,
            roster=roster,
        )
    return result
