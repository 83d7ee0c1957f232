"""The buckets and their objects, in memory, with a feed of changes for triggers.

Every change is published to subscribers synchronously, in the thread that made it and before
the request that made it is answered, so a trigger runtime has queued its deliveries by the
time a client sees the response (what `idle` waits on). As in production with versioning off,
replacing an object deletes its previous generation: subscribers see `deleted` for the old
generation, then `finalized` for the new one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from firelab._errors import FirelabError
from firelab.storage._objects import ObjectMetadata, StoredObject

__all__ = [
    "ChangeKind",
    "ListPage",
    "ObjectChange",
    "ObjectStore",
    "PreconditionFailedError",
    "Subscriber",
]

DEFAULT_PAGE_SIZE = 1000
"""Objects per listing page when the caller does not say (the emulator's default)."""


class PreconditionFailedError(FirelabError, LookupError):
    """A write conditional on the object's generation found another generation."""


def _check(current: StoredObject | None, if_generation_match: int | None) -> None:
    """`if_generation_match` 0: the object must not exist; N: its generation must be N."""
    if if_generation_match is None:
        return
    generation = 0 if current is None else current.metadata.generation
    if generation != if_generation_match:
        raise PreconditionFailedError(f"generation is {generation}, not {if_generation_match}")


class ChangeKind(StrEnum):
    """What happened to an object (the suffix of the CloudEvent type)."""

    FINALIZED = "finalized"
    DELETED = "deleted"
    METADATA_UPDATED = "metadataUpdated"


@dataclass(frozen=True, slots=True)
class ObjectChange:
    """One change of one object; `metadata` is the object as the event reports it."""

    kind: ChangeKind
    metadata: ObjectMetadata


Subscriber = Callable[[ObjectChange], None]


@dataclass(frozen=True, slots=True)
class ListPage:
    """One page of a listing: objects sorted by name, the folder prefixes, the next token."""

    items: list[ObjectMetadata]
    prefixes: list[str]
    next_page_token: str | None


class ObjectStore:
    """Thread-safe buckets of objects."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._buckets: dict[str, None] = {}
        self._objects: dict[tuple[str, str], StoredObject] = {}
        self._subscribers: list[Subscriber] = []

    # Feed -----------------------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber` with every change from now on; returns the unsubscribe call."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def _publish(self, changes: Iterable[ObjectChange]) -> None:
        for change in changes:
            for subscriber in list(self._subscribers):
                subscriber(change)

    # Buckets --------------------------------------------------------------------------

    def ensure_bucket(self, bucket: str) -> None:
        """Create `bucket` if it does not exist (buckets come into being on first use)."""
        with self._lock:
            self._buckets.setdefault(bucket, None)

    def buckets(self) -> list[str]:
        """Every bucket, in creation order."""
        with self._lock:
            return list(self._buckets)

    # Objects --------------------------------------------------------------------------

    def get(self, bucket: str, name: str) -> StoredObject | None:
        """The object, None if absent."""
        with self._lock:
            return self._objects.get((bucket, name))

    def put(
        self, stored: StoredObject, *, notify: bool = True, if_generation_match: int | None = None
    ) -> None:
        """Store a new generation (replacing any previous one); with `if_generation_match`,
        only over that generation (0: only if absent), else `PreconditionFailedError`."""
        key = (stored.metadata.bucket, stored.metadata.name)
        with self._lock:
            self._buckets.setdefault(key[0], None)
            previous = self._objects.get(key)
            _check(previous, if_generation_match)
            self._objects[key] = stored
            if notify:
                changes = [ObjectChange(ChangeKind.FINALIZED, stored.metadata)]
                if previous is not None:
                    changes.insert(0, ObjectChange(ChangeKind.DELETED, previous.metadata))
                self._publish(changes)

    def update(
        self,
        bucket: str,
        name: str,
        change: Callable[[ObjectMetadata], ObjectMetadata],
        *,
        notify: bool = True,
    ) -> ObjectMetadata | None:
        """Apply `change` to the object's metadata; the new metadata, None if absent."""
        with self._lock:
            stored = self._objects.get((bucket, name))
            if stored is None:
                return None
            metadata = change(stored.metadata)
            self._objects[(bucket, name)] = StoredObject(metadata, stored.data)
            if notify:
                self._publish([ObjectChange(ChangeKind.METADATA_UPDATED, metadata)])
            return metadata

    def delete(
        self, bucket: str, name: str, *, if_generation_match: int | None = None
    ) -> ObjectMetadata | None:
        """Remove the object; its last metadata, None if it was absent (with
        `if_generation_match`, a present object of another generation raises
        `PreconditionFailedError`)."""
        with self._lock:
            current = self._objects.get((bucket, name))
            if current is not None:
                _check(current, if_generation_match)
            stored = self._objects.pop((bucket, name), None)
            if stored is None:
                return None
            self._publish([ObjectChange(ChangeKind.DELETED, stored.metadata)])
            return stored.metadata

    def list_objects(
        self,
        bucket: str,
        *,
        prefix: str = "",
        delimiter: str = "",
        page_token: str | None = None,
        max_results: int | None = None,
        start_offset: str = "",
    ) -> ListPage:
        """Objects whose names start with `prefix` (and sort at or after `start_offset`, the
        Cloud Storage API's lower bound); with a delimiter, names continuing past it are
        folded into `prefixes` (every prefix, on every page, as the emulator does). A page
        token is the name the next page starts at."""
        with self._lock:
            names = sorted(
                (
                    stored.metadata
                    for (owner, name), stored in self._objects.items()
                    if owner == bucket and name.startswith(prefix) and name >= start_offset
                ),
                key=lambda metadata: metadata.name,
            )
        items: list[ObjectMetadata] = []
        prefixes: set[str] = set()
        for metadata in names:
            if delimiter:
                cut = metadata.name.find(delimiter, len(prefix))
                if cut != -1:
                    prefixes.add(metadata.name[: cut + len(delimiter)])
                    continue
            items.append(metadata)
        if page_token:
            start = next((i for i, m in enumerate(items) if m.name == page_token), None)
            if start is not None:
                items = items[start:]
        limit = max_results if max_results and max_results > 0 else DEFAULT_PAGE_SIZE
        next_token = None
        if len(items) > limit:
            next_token = items[limit].name
            items = items[:limit]
        return ListPage(items, sorted(prefixes), next_token)

    # Whole store ----------------------------------------------------------------------

    def clear(self) -> None:
        """Forget every bucket and object (no triggers fire, as for the emulator's reset)."""
        with self._lock:
            self._objects.clear()
            self._buckets.clear()

    def objects(self) -> list[StoredObject]:
        """Every object (for exports)."""
        with self._lock:
            return list(self._objects.values())

    def load(self, buckets: Iterable[str], objects: Iterable[StoredObject]) -> None:
        """Add buckets and objects from an import (no triggers fire)."""
        with self._lock:
            for bucket in buckets:
                self._buckets.setdefault(bucket, None)
            for stored in objects:
                self.put(stored, notify=False)
