"""Running one migration over its scope, page by page.

Each page (the next `page_size` documents of the scope in path order, or in `ORDER`) is one
batched write: the page's documents and their related ones are read, transformed one scope
document after the other, and what changed is written, each write conditional on its document
being unchanged since the read, together with the log entry's cursor and counts, all or nothing
(a document changed meanwhile sends the page round again). A document related to several scope
documents of the page (an alias claim two members contest) is given to each transformation as
the earlier ones left it, and written once, in its final state. A run killed at any point
therefore resumes after the last committed page, and since a transformation returns nothing
for documents already in the new shape, no document is transformed twice. A dry run goes
over the same pages and writes nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from google.api_core.exceptions import (
    AlreadyExists,
    FailedPrecondition,
    GoogleAPICallError,
    NotFound,
)
from google.cloud import firestore
from google.cloud.firestore_v1 import DELETE_FIELD
from google.cloud.firestore_v1.field_path import FieldPath

from mitche.models.migration_log import (
    MAX_MIGRATION_RUNS,
    AppliedMigration,
    MigrationDirection,
    MigrationRun,
    MigrationState,
    applied_migration_path,
)
from mitche_dev.migrate._documents import Snapshot, page_scopes
from mitche_dev.migrate._log import write_entry
from mitche_dev.migrate._migration import Data, Migration, MigrationError, Transform
from mitche_dev.migrate._progress import Progress, Stream

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_WRITES", "Diff", "RunReport", "run_migration"]

DEFAULT_PAGE_SIZE: Final = 100
MAX_WRITES: Final = 500
"""Firestore's limit of writes in one commit."""
ATTEMPTS: Final = 5
"""Tries of a page whose documents other writers keep changing."""


@dataclass(frozen=True, slots=True)
class Diff:
    """One document before and after a transformation (None: absent)."""

    path: str
    before: Data | None
    after: Data | None
    read_at: Any = field(default=None, compare=False, repr=False)
    """Update time of the document when it was read (None: it did not exist)."""


@dataclass(frozen=True, slots=True)
class RunReport:
    """What a run did, or (dry run) would do."""

    migration: str
    direction: MigrationDirection
    dry_run: bool
    visited: int = 0
    """Documents of the scope gone over (by this run and the runs it resumed)."""
    changed: int = 0
    """Scope documents whose transformation wrote something."""
    written: int = 0
    """Documents set by this run."""
    deleted: int = 0
    """Documents deleted by this run."""
    samples: tuple[tuple[Diff, ...], ...] = field(default=())
    """The first changes, one tuple of document diffs per scope document."""
    resumed_from: str | None = None


@dataclass
class _Tally:
    visited: int = 0
    changed: int = 0
    written: int = 0
    deleted: int = 0
    samples: list[tuple[Diff, ...]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Page:
    """A page's transformations: each scope document's diffs (what it changed, as it found the
    documents), and the writes they make together (each document once, from its state as read
    to its final state)."""

    groups: list[tuple[Diff, ...]]
    writes: tuple[Diff, ...]


def _transform(
    migration: Migration,
    transform: Transform,
    documents: Mapping[str, Data | None],
    read_at: Mapping[str, Any],
) -> tuple[Diff, ...]:
    """The documents that really change (each given a deep copy, so a transformation cannot
    alter what it compares against)."""
    changes = transform({path: copy.deepcopy(data) for path, data in documents.items()})
    migration.check_writes(changes, tuple(documents))
    return tuple(
        Diff(path, documents[path], after, read_at.get(path))
        for path, after in changes.items()
        if after != documents[path]
    )


def _page_diffs(
    client: firestore.Client,
    migration: Migration,
    transform: Transform,
    scope: tuple[Snapshot, ...],
) -> _Page:
    groups = [
        migration.documents_of(snapshot.reference.path, snapshot.to_dict()) for snapshot in scope
    ]
    paths = list(dict.fromkeys(path for group in groups for path in group))
    found: dict[str, Data | None] = dict.fromkeys(paths)
    read_at: dict[str, Any] = {}
    if paths:
        for snapshot in client.get_all([client.document(path) for path in paths]):
            if snapshot.exists:
                found[snapshot.reference.path] = snapshot.to_dict()
                read_at[snapshot.reference.path] = snapshot.update_time
    state = dict(found)
    diffs = []
    for group in groups:
        done = _transform(migration, transform, {path: state[path] for path in group}, read_at)
        state.update({diff.path: diff.after for diff in done})
        diffs.append(done)
    writes = tuple(
        Diff(path, found[path], state[path], read_at.get(path))
        for path in paths
        if state[path] != found[path]
    )
    return _Page(diffs, writes)


def _count(diffs: list[tuple[Diff, ...]], tally: _Tally, sample: int) -> None:
    tally.visited += len(diffs)
    for group in diffs:
        if group:
            tally.changed += 1
            tally.written += sum(diff.after is not None for diff in group)
            tally.deleted += sum(diff.after is None for diff in group)
            if len(tally.samples) < sample:
                tally.samples.append(group)


def _write(client: firestore.Client, batch: Any, diff: Diff) -> None:
    """One document's change, on the condition that it is still as it was read."""
    reference = client.document(diff.path)
    if diff.before is None:
        batch.create(reference, diff.after)
        return
    unchanged = client.write_option(last_update_time=diff.read_at)
    if diff.after is None:
        batch.delete(reference, option=unchanged)
        return
    fields = {
        FieldPath(key).to_api_repr(): diff.after.get(key, DELETE_FIELD)
        for key in set(diff.before) | set(diff.after)
        if key not in diff.after or key not in diff.before or diff.after[key] != diff.before[key]
    }
    batch.update(reference, fields, option=unchanged)


def _commit_page(
    client: firestore.Client,
    migration: Migration,
    transform: Transform,
    scope: tuple[Snapshot, ...],
    cursor: str | None,
) -> list[tuple[Diff, ...]]:
    """Transform one page and commit it with the log's cursor in one batch. Every write is
    conditional on the document being as it was read (no locks, so a killed run leaves none
    behind); when a document changed meanwhile, the page is read and transformed again."""
    log = client.document(applied_migration_path(migration.id))
    for _attempt in range(ATTEMPTS):
        page = _page_diffs(client, migration, transform, scope)
        diffs = page.groups
        writes = len(page.writes) + 1
        if writes > MAX_WRITES:
            raise MigrationError(
                f"{migration.id}: a page needs {writes} writes, more than Firestore's "
                f"{MAX_WRITES} per commit; use a smaller --page-size"
            )
        batch = client.batch()
        for diff in page.writes:
            _write(client, batch, diff)
        changed = sum(1 for group in diffs if group)
        batch.update(
            log,
            {
                "cursor": cursor,
                "visited": firestore.Increment(len(diffs)),
                "changed": firestore.Increment(changed),
            },
        )
        try:
            batch.commit()
        except (AlreadyExists, FailedPrecondition, NotFound):
            continue
        return diffs
    raise MigrationError(
        f"{migration.id}: the page after {cursor} kept changing under the run "
        f"({ATTEMPTS} attempts); run apply again"
    )


def _total(client: firestore.Client, migration: Migration, stream: Stream) -> int | None:
    """How many documents the scopes hold, for the progress line (terminals only)."""
    if not stream.isatty():
        return None
    total = 0
    for scope in migration.scopes:
        segments = scope.split("/")
        query: Any = (
            client.collection(segments[0])
            if len(segments) == 2
            else client.collection_group(segments[-2])
        )
        try:
            result = query.count().get()
        except GoogleAPICallError:  # a server without aggregations: the line shows no total
            return None
        total += int(result[0][0].value)
    return total


def _start_entry(
    client: firestore.Client,
    migration: Migration,
    entry: AppliedMigration | None,
    direction: MigrationDirection,
    by: str,
    now: dt.datetime,
) -> AppliedMigration:
    running = (
        MigrationState.RUNNING
        if direction is MigrationDirection.UP
        else (MigrationState.ROLLING_BACK)
    )
    if entry is not None and entry.state is running:
        return entry
    fresh = AppliedMigration(
        version=migration.version,
        name=migration.name,
        checksum=migration.checksum,
        state=running,
        started_at=now,
        started_by=by,
        applied_at=entry.applied_at if entry else None,
        applied_by=entry.applied_by if entry else None,
        history=entry.history if entry else [],
    )
    write_entry(client, migration.id, fresh)
    return fresh


def _finish_entry(
    client: firestore.Client,
    migration: Migration,
    direction: MigrationDirection,
    by: str,
    now: dt.datetime,
) -> AppliedMigration:
    path = applied_migration_path(migration.id)
    snapshot = client.document(path).get()
    current = AppliedMigration.model_validate(snapshot.to_dict() or {})
    run = MigrationRun(
        direction=direction,
        by=by,
        started_at=current.started_at,
        finished_at=now,
        visited=current.visited,
        changed=current.changed,
    )
    update: dict[str, Any] = {
        "state": MigrationState.APPLIED
        if direction is MigrationDirection.UP
        else (MigrationState.ROLLED_BACK),
        "cursor": None,
        "history": [*current.history, run][-MAX_MIGRATION_RUNS:],
        "valid": None,
    }
    if direction is MigrationDirection.UP:
        update.update(applied_at=now, applied_by=by)
    finished = current.model_copy(update=update)
    write_entry(client, migration.id, finished)
    return finished


def run_migration(
    client: firestore.Client,
    migration: Migration,
    *,
    direction: MigrationDirection,
    entry: AppliedMigration | None,
    by: str,
    stream: Stream,
    dry_run: bool = False,
    page_size: int = DEFAULT_PAGE_SIZE,
    sample: int = 3,
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> RunReport:
    """Apply (`up`) or roll back (`down`) one migration over its whole scope; resumes a run the
    log shows unfinished. With `dry_run`, computes the same changes and writes nothing."""
    transform = migration.up if direction is MigrationDirection.UP else migration.down
    if transform is None:
        raise MigrationError(f"{migration.id} has no down(): it cannot be rolled back")
    if page_size < 1:
        raise MigrationError("--page-size must be at least 1")
    tally = _Tally()
    cursor: str | None = None
    resumed_from: str | None = None
    if not dry_run:
        started = _start_entry(client, migration, entry, direction, by, now())
        cursor = resumed_from = started.cursor
        tally.visited, tally.changed = started.visited, started.changed
    progress = Progress(
        stream, f"{migration.id} {direction.value}", _total(client, migration, stream)
    )
    while True:
        try:
            current = page_scopes(
                client, migration.scopes, after=cursor, size=page_size, order=migration.order
            )
        except LookupError as error:
            raise MigrationError(f"{migration.id}: {error}") from error
        if dry_run:
            diffs = _page_diffs(client, migration, transform, current.snapshots).groups
        elif current.snapshots or current.last != cursor:
            diffs = _commit_page(client, migration, transform, current.snapshots, current.last)
        else:
            diffs = []
        _count(diffs, tally, sample)
        cursor = current.last
        progress.update(tally.visited)
        if current.exhausted:
            break
    progress.finish()
    if not dry_run:
        _finish_entry(client, migration, direction, by, now())
    return RunReport(
        migration=migration.id,
        direction=direction,
        dry_run=dry_run,
        visited=tally.visited,
        changed=tally.changed,
        written=tally.written,
        deleted=tally.deleted,
        samples=tuple(tally.samples),
        resumed_from=resumed_from,
    )
