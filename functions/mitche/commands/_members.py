"""Commands over every member: recompute totals from the ledger, re-evaluate achievements,
copy their level's privileges again (after an admin edited the level benefits table).

Both page through `users` in document-id order (`pageSize` at a time, resuming after the last
id of the previous page), and change each member in their own transaction, so a run can be
interrupted and started again: the totals are recomputed from scratch, and re-evaluation never
takes a tier back nor pays a tier twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

from google.cloud import firestore
from google.cloud.firestore_v1.field_path import FieldPath

from mitche.domain._calendar import week_of
from mitche.domain.hope_points import CapUsage as DomainCapUsage
from mitche.domain.hope_points import (
    totals_from_ledger,
    usage_from_ledger,
    weekly_points_from_ledger,
)
from mitche.domain.leaderboards import weekly_points_now
from mitche.domain.levels import experience_from_ledger, level_for
from mitche.domain.privileges import privileges_for
from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    MemberActivity,
    account_path,
    apply_activity,
    decode,
    marker_path,
    progress_source,
    user_path,
    write_update,
)
from mitche.models import (
    CapUsage,
    Gamification,
    HopeLedgerEntry,
    ProcessedEvent,
    User,
)
from mitche.queries import query_for
from mitche.services import Unit, log_info, run_transaction, to_document

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MemberRun",
    "member_ids",
    "recompute_totals",
    "reevaluate_achievements",
    "sync_privileges",
]

DEFAULT_PAGE_SIZE: Final = 200


@dataclass(frozen=True, slots=True)
class MemberRun:
    """What a command did to the members it visited."""

    visited: int
    changed: tuple[str, ...]
    skipped: tuple[str, ...]
    """Members whose document or ledger did not validate (logged)."""


def member_ids(
    client: firestore.Client, page_size: int = DEFAULT_PAGE_SIZE, *, after: str | None = None
) -> Iterator[str]:
    """Every member id (after `after`, to resume a run), page by page in id order (only ids
    are read)."""
    last: str | None = after
    while True:
        cursor = (
            None if last is None else {FieldPath.document_id(): client.document(user_path(last))}
        )
        query = query_for(client, "functions.memberIds", pageSize=page_size, start_after=cursor)
        page = [snapshot.id for snapshot in query.stream()]
        yield from page
        if len(page) < page_size:
            return
        last = page[-1]


Progress = Callable[[int, str], None]
"""Told the number of members visited so far and the last one, after each member."""


def _run(
    deps: Deps,
    uids: Sequence[str] | None,
    page_size: int,
    change: Callable[[Unit, str], bool | None],
    handler: str,
    *,
    after: str | None = None,
    progress: Progress | None = None,
) -> MemberRun:
    ids = list(uids) if uids is not None else member_ids(deps.client, page_size, after=after)
    visited = 0
    changed: list[str] = []
    skipped: list[str] = []
    for uid in ids:
        visited += 1
        if progress is not None:
            progress(visited, uid)

        def work(unit: Unit, uid: str = uid) -> bool | None:
            return change(unit, uid)

        outcome = run_transaction(deps.client, handler, work)
        if outcome is None:
            skipped.append(uid)
        elif outcome:
            changed.append(uid)
    log_info("command finished", handler=handler, visited=visited, changed=len(changed))
    return MemberRun(visited, tuple(changed), tuple(skipped))


def _as_of(gamification: Gamification, now: dt.datetime) -> Gamification:
    """The stored map with its day and week windows rolled to `now`, as a recomputation from
    the ledger would give them when nothing is wrong."""
    stored = gamification.cap_usage
    usage = DomainCapUsage(
        day=stored.day, week=stored.week, daily=stored.daily, weekly=stored.weekly
    ).rolled_to(now)
    return gamification.model_copy(
        update={
            "week": week_of(now),
            "weekly_points": weekly_points_now(gamification, now),
            "cap_usage": CapUsage(
                day=usage.day, week=usage.week, daily=dict(usage.daily), weekly=dict(usage.weekly)
            ),
        }
    )


def recompute_totals(
    deps: Deps,
    uids: Sequence[str] | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
    progress: Progress | None = None,
) -> MemberRun:
    """Set every member's points, experience, level, weekly points and cap usage to what
    their ledger says; returns the members whose document was wrong."""
    now = deps.now()
    handler = HandlerName.COMMANDS_RECOMPUTE_TOTALS

    def change(unit: Unit, uid: str) -> bool | None:
        path = user_path(uid)
        user = decode(User, unit.get(path), path=path, handler=handler, event_id=handler)
        if user is None:
            return None
        ledger = unit.query(query_for(unit.client, "functions.memberLedger", uid=uid))
        entries: list[tuple[str, HopeLedgerEntry]] = []
        for entry_path, data in ledger:
            entry = decode(
                HopeLedgerEntry, data, path=entry_path, handler=handler, event_id=handler
            )
            if entry is None:
                return None
            entries.append((entry_path.rsplit("/", 1)[1], entry))
        lines = [entry for _, entry in entries]
        experience = experience_from_ledger(entries)
        settings = deps.settings.gamification(unit.client)
        usage = usage_from_ledger(lines, now)
        week = week_of(now)
        gamification = user.gamification.model_copy(
            update={
                "hope_points": totals_from_ledger(lines).to_model(),
                "experience": experience,
                "level": level_for(experience, settings.level_curve),
                "week": week,
                "weekly_points": weekly_points_from_ledger(lines, week),
                "cap_usage": CapUsage(
                    day=usage.day,
                    week=usage.week,
                    daily=dict(usage.daily),
                    weekly=dict(usage.weekly),
                ),
            }
        )
        if gamification == _as_of(user.gamification, now):
            return False
        unit.update(path, {"gamification": to_document(gamification, unit.client)})
        return True

    return _run(deps, uids, page_size, change, handler, after=after, progress=progress)


def sync_privileges(
    deps: Deps,
    uids: Sequence[str] | None = None,
    *,
    page_size: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
    progress: Progress | None = None,
) -> MemberRun:
    """Copy the benefits row of each member's level onto their private account where it
    differs: the member trigger copies it when the level changes, so an admin's edit of
    `levelBenefits` reaches members through this run. A member at level 1 without a map keeps
    none (the rules read the first row of the table itself)."""
    handler = HandlerName.COMMANDS_SYNC_PRIVILEGES
    settings = deps.settings.public(deps.client)

    def change(unit: Unit, uid: str) -> bool | None:
        path = user_path(uid)
        user = decode(User, unit.get(path), path=path, handler=handler, event_id=handler)
        if user is None:
            return None
        account = unit.get(account_path(uid)) or {}
        stored = account.get("privileges")
        level = user.gamification.level
        if level == 1 and stored is None:
            return False
        wanted = to_document(privileges_for(level, settings), unit.client)
        if stored == wanted:
            return False
        unit.set(account_path(uid), {"privileges": wanted}, merge=True)
        return True

    return _run(deps, uids, page_size, change, handler, after=after, progress=progress)


def reevaluate_achievements(
    deps: Deps,
    uids: Sequence[str] | None = None,
    *,
    run_id: str,
    page_size: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
    progress: Progress | None = None,
) -> MemberRun:
    """Evaluate the whole catalog for every member (a new achievement, a changed threshold):
    tiers now reached are earned with their rewards; none is taken back. `run_id` keys the
    ledger entries and markers, so repeating a run changes nothing."""
    at = deps.now()
    handler = HandlerName.COMMANDS_REEVALUATE
    rules = deps.settings.game_rules(deps.client)
    event_id = f"reevaluate-{run_id}"

    def change(unit: Unit, uid: str) -> bool | None:
        path = user_path(uid)
        user = decode(User, unit.get(path), path=path, handler=handler, event_id=event_id)
        if user is None:
            return None
        marker = marker_path(path, handler, event_id)
        if unit.get(marker) is not None:
            return False
        update = apply_activity(
            user,
            MemberActivity(uid, None),
            rules,
            event_id=event_id,
            at=at,
            progress_source=progress_source(unit, uid, handler, event_id),
            reevaluate=True,
        )
        unit.create(marker, ProcessedEvent.of(handler, event_id, at))
        if not (update.progress or update.ledger or update.deleted_progress):
            return False
        write_update(unit, update, at)
        return True

    return _run(deps, uids, page_size, change, handler, after=after, progress=progress)
