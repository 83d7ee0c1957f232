"""Document access calls — `get()`, `exists()`, `getAfter()`, `existsAfter()` — and their limits.

https://firebase.google.com/docs/firestore/security/rules-conditions#access_call_limits:
"10 for single-document requests and query requests. 20 for multi-document reads,
transactions, and batched writes. The previous limit of 10 also applies to each operation.
[...] Exceeding either limit results in a permission denied error. Some document access calls
may be cached, and cached calls do not count towards the limits." Here a repeated call on the
same document (and the same before/after state) is served from the cache and counted once, in
one operation and across the operations of a batch.

https://firebase.google.com/docs/reference/rules/rules.firestore: `get()` and `getAfter()`
return the document "or null if it does not exist"; `existsAfter(p)` is `getAfter(p) != null`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from firelab.rules._context import document_path_segments, firestore_document
from firelab.rules._values import RulesError, RulesPath, Value

__all__ = [
    "BATCH_ACCESS_LIMIT",
    "OPERATION_ACCESS_LIMIT",
    "AccessBudget",
    "AccessTracker",
    "DocumentLookup",
    "InMemoryDocuments",
]

OPERATION_ACCESS_LIMIT = 10
BATCH_ACCESS_LIMIT = 20


class DocumentLookup(Protocol):
    """Where access calls read documents; paths are relative to the database (`users/alice`)."""

    def get_document(self, database: str, path: str) -> Mapping[str, object] | None:
        """The document's data before the request (or the whole batch), None if absent."""
        ...

    def get_document_after(self, database: str, path: str) -> Mapping[str, object] | None:
        """The document's data as it would be if the request (or whole batch) succeeded."""
        ...


@dataclass(frozen=True, slots=True)
class InMemoryDocuments:
    """A DocumentLookup over dicts of `path -> data`; `after` defaults to `before`.

    Every database name sees the same documents.
    """

    before: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    after: Mapping[str, Mapping[str, object]] | None = None

    def get_document(self, database: str, path: str) -> Mapping[str, object] | None:
        """The document at `path` before the write, None if absent."""
        return self.before.get(path)

    def get_document_after(self, database: str, path: str) -> Mapping[str, object] | None:
        """The document at `path` after the write, None if absent."""
        state = self.before if self.after is None else self.after
        return state.get(path)


@dataclass(slots=True)
class AccessBudget:
    """Distinct document reads of a whole batch or transaction, against the batch limit."""

    limit: int = BATCH_ACCESS_LIMIT
    reads: set[tuple[str, str, bool]] = field(default_factory=set)

    @property
    def exhausted(self) -> bool:
        """True once more distinct documents were read than the limit allows."""
        return len(self.reads) > self.limit


class AccessTracker:
    """The access calls of one operation: reads through the lookup, caching and counting.

    Reading past a limit returns an error value and sets `exceeded`, which denies the request
    whatever the conditions say.
    """

    __slots__ = ("_budget", "_cache", "_lookup", "_overlay", "exceeded", "limit", "reads")

    def __init__(
        self,
        lookup: DocumentLookup | None,
        *,
        limit: int = OPERATION_ACCESS_LIMIT,
        budget: AccessBudget | None = None,
        overlay: tuple[tuple[str, str], Mapping[str, object] | None] | None = None,
    ) -> None:
        self._lookup = lookup
        self._budget = budget
        self._cache: dict[tuple[str, str, bool], Value] = {}
        #: The operation's own write: (database, path) and its data after the write.
        self._overlay = overlay
        self.limit = limit
        self.reads: list[str] = []
        self.exceeded = False

    def get(self, path: Value, *, after: bool) -> Value:
        """`get(path)` / `getAfter(path)`: the resource map, null if absent, or an error."""
        if path.__class__ is RulesError:
            return path
        if not isinstance(path, RulesPath):
            name = "getAfter" if after else "get"
            return RulesError(f"{name}() expects a path, not {type(path).__name__}")
        located = document_path_segments(path)
        if isinstance(located, RulesError):
            return located
        key = (located[0], located[1], after)
        cached = self._cache.get(key)
        if cached is not None or key in self._cache:
            return cached
        if len(self._cache) >= self.limit:
            self.exceeded = True
            return RulesError(f"more than {self.limit} document access calls in one request")
        if self._budget is not None:
            self._budget.reads.add(key)
            if self._budget.exhausted:
                self.exceeded = True
                return RulesError(
                    f"more than {self._budget.limit} document access calls in one batch"
                )
        data = self._read(located[0], located[1], after=after)
        value: Value = None if data is None else firestore_document(path.segments, data)
        self._cache[key] = value
        self.reads.append(("after " if after else "") + str(path))
        return value

    def exists(self, path: Value, *, after: bool) -> Value:
        """`exists(path)` / `existsAfter(path)`: whether the document is there."""
        value = self.get(path, after=after)
        if value.__class__ is RulesError:
            return value
        return value is not None

    def _read(self, database: str, path: str, *, after: bool) -> Mapping[str, object] | None:
        if after and self._overlay is not None and self._overlay[0] == (database, path):
            return self._overlay[1]
        if self._lookup is None:
            return None
        if after:
            return self._lookup.get_document_after(database, path)
        return self._lookup.get_document(database, path)
