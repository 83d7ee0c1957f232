"""Transactions as the official emulator runs them (transactions.json), with contention
resolved by age the way Firestore does.

A read-write transaction takes a shared lock on every document it reads (found or missing) and
on every collection ID it lists or queries, whatever the parent. Reads never wait. A write —
inside a transaction or not — waits while another open transaction holds a lock on its document
or on its collection ID, for at most the lock timeout (2 s), then fails with ABORTED
"Transaction lock timeout." (which ends a waiting transaction). A transaction ends at commit,
rollback, a failed precondition or a lock timeout, and expires 60 s after its last request.
Read-only transactions lock nothing and read the snapshot of their start.

Contention. The recordings pin what two fresh transactions do when each waits for the other's
read lock: nothing, until the first one's lock timeout ends it. That is all a fresh attempt
gets. A retry (`retry_transaction`, which the client libraries send to keep their "spot in
line") is ordered by the age of its first attempt and *wounds* younger lock holders (wound-
wait): their locks are released at once, so the older retry commits without waiting, and the
wounded transaction fails at its commit with ABORTED, which the client retries with its own,
older-than-newcomers age. Waiting for older holders is bounded by the lock timeout, so no
transaction waits forever and the oldest lineage always gets through: N concurrent
read-modify-write transactions on one document cost at most one lock timeout, then commit one
after the other. A wounded transaction's later reads take no locks and are answered (a client
that fails on an aborted read would not retry); only its commit fails, so nothing it read
unlocked is ever written.

Transaction IDs are a per-database counter, also spent by every request that runs outside a
transaction (as the emulator does); the wire form is a 9-byte message: tag 0x11, then the
counter as a little-endian fixed64.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from firelab.server.core._errors import Code, FirestoreError, aborted, invalid

__all__ = [
    "CONTENTION",
    "LOCK_TIMEOUT",
    "LockState",
    "Transaction",
    "Transactions",
    "WouldBlock",
    "decode_transaction",
]

EXPIRED = "The referenced transaction has expired or is no longer valid."
LOCK_TIMEOUT = "Transaction lock timeout."
CONTENTION = (
    "Aborted due to cross-transaction contention. This occurs when multiple transactions "
    "attempt to access the same data, requiring Firestore to abort at least one in order to "
    "enforce serializability."
)
"""Production Firestore's text for a transaction aborted in favour of an older one."""

_TAG = 0x11
_LINEAGES = 4096
"""How many retried transactions' ages are remembered (a chain of retries names the previous
attempt, as the Node SDK does; the Python client names the first)."""


class WouldBlock(Exception):  # noqa: N818 - a signal to the caller, not an error
    """A commit asked not to wait would have to wait for a transaction's lock; nothing changed
    (run it again where blocking is fine)."""


def encode_transaction(number: int) -> bytes:
    """The wire bytes of transaction `number`."""
    return bytes((_TAG,)) + number.to_bytes(8, "little")


def decode_transaction(raw: bytes) -> int:
    """The number in transaction bytes; INVALID_ARGUMENT "Invalid transaction." if malformed."""
    if len(raw) != 9 or raw[0] != _TAG:
        raise invalid("Invalid transaction.")
    return int.from_bytes(raw[1:], "little")


@dataclass(eq=False)
class Transaction:
    """One open transaction."""

    number: int
    read_only: bool
    read_us: int | None
    """Snapshot time of a read-only transaction (None: read the latest state)."""
    last_used: float
    priority: int = 0
    """The number of the first attempt of this transaction's lineage: lower is older."""
    retry: bool = False
    """Begun as a retry: may wound younger lock holders."""
    wounded: bool = False
    """Lost a conflict to an older retry: holds no locks, and its commit fails."""
    documents: set[bytes] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)

    @property
    def id(self) -> bytes:
        """The wire bytes of this transaction."""
        return encode_transaction(self.number)

    @property
    def age(self) -> tuple[int, int]:
        """Sort key of seniority: the lineage first, then the attempt."""
        return (self.priority, self.number)


@dataclass(frozen=True, slots=True)
class LockState:
    """What the lock table is doing, for tests and tools that wait on it instead of on time."""

    waiting_writers: tuple[int, ...]
    """Per write waiting for a lock: its transaction number (outside a transaction, the ID
    the write spent)."""
    waiting_readers: tuple[int, ...]
    """Transaction numbers of reads deferring to an older writer or retry."""
    settled: bool
    """Whether every waiter has looked at the latest change and is still waiting (not
    about to go on)."""
    deadlines: tuple[float, ...]
    """When each waiting write or read gives up (in the lock clock's seconds), earliest first:
    a test driving the clock by hand moves it to the next one."""
    waits: int
    """How many writes have had to wait for a lock so far."""
    timeouts: int
    """How many waits ended at the lock timeout."""
    retry_timeouts: int
    """How many of those were retries (attempts that named an earlier one)."""
    wounds: int
    """How many transactions lost their locks to an older retry."""


class _Wait:
    """A write waiting for locks, as readers see it."""

    __slots__ = ("age", "deadline", "defers", "keys", "kinds", "seen")

    def __init__(self, age: tuple[int, int], targets: list[tuple[bytes, str]], *, defers: bool):
        self.age = age
        self.keys = {key for key, _ in targets}
        self.kinds = {kind for _, kind in targets}
        self.defers = defers
        """Younger readers wait for it (it holds no lock, or it is a retry)."""
        self.deadline = 0.0
        self.seen = 0
        """The lock table's generation this waiter last examined."""

    def touches(self, keys: set[bytes], kinds: set[str]) -> bool:
        """Whether reading `keys` / listing `kinds` would lock something it writes."""
        return not self.keys.isdisjoint(keys) or not self.kinds.isdisjoint(kinds)


class Transactions:
    """Open transactions and their locks for one database.

    All methods must be called with `condition` held (the engine's lock); waiting for locks
    releases it.
    """

    def __init__(
        self,
        condition: threading.Condition,
        lock_timeout: float,
        expiry: float,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.condition = condition
        self.lock_timeout = lock_timeout
        self.expiry = expiry
        self.monotonic = monotonic
        """Seconds for lock timeouts and expiry; a test may drive it by hand (then it calls
        `recheck()` after moving it)."""
        self._readers: dict[int, list[Any]] = {}
        """Deferring reads: [transaction number, deadline, generation seen]."""
        self._generation = 0
        """Bumped at every change a waiter may need to look at."""
        self._waits = 0
        self._timeouts = 0
        self._retry_timeouts = 0
        self._wounds = 0
        self._next = 1
        self._open: dict[int, Transaction] = {}
        self._lineage: dict[int, int] = {}
        self._waiting: dict[int, _Wait] = {}

    def spend(self) -> int:
        """Spend one ID (a request outside any transaction)."""
        number = self._next
        self._next += 1
        return number

    def begin(
        self, *, read_only: bool, read_us: int | None, retry_of: int | None = None
    ) -> Transaction:
        """Open a new transaction; a retry of transaction `retry_of` ends that one if it is
        still open and inherits the age of its lineage."""
        number = self.spend()
        transaction = Transaction(number, read_only, read_us, self.monotonic(), priority=number)
        if retry_of is not None and not read_only and retry_of < number:
            previous = self._open.get(retry_of)
            if previous is not None:
                self.end(previous)
            transaction.priority = self._lineage.get(retry_of, retry_of)
            transaction.retry = True
            self._lineage[number] = transaction.priority
            if len(self._lineage) > _LINEAGES:
                del self._lineage[next(iter(self._lineage))]
        self._open[number] = transaction
        return transaction

    def lookup(self, raw: bytes) -> Transaction:
        """The open transaction named by `raw`, refreshed; errors as the emulator answers."""
        number = decode_transaction(raw)
        transaction = self._open.get(number)
        if transaction is None:
            if number >= self._next:
                raise FirestoreError(Code.UNKNOWN, "")
            raise aborted(EXPIRED)
        now = self.monotonic()
        if now - transaction.last_used > self.expiry:
            self.end(transaction)
            raise aborted(EXPIRED)
        transaction.last_used = now
        return transaction

    def rollback(self, raw: bytes) -> None:
        """End the transaction named by `raw` (ended ones are fine, unknown ones are not)."""
        number = decode_transaction(raw)
        transaction = self._open.get(number)
        if transaction is not None:
            self.end(transaction)
        elif number >= self._next:
            raise invalid("Transaction is invalid or expired.")

    def end(self, transaction: Transaction) -> None:
        """End a transaction and release its locks."""
        if self._open.pop(transaction.number, None) is not None:
            transaction.documents.clear()
            transaction.kinds.clear()
            self._changed()

    def lock_documents(self, transaction: Transaction, keys: Iterable[bytes]) -> None:
        """Shared locks on documents a read-write transaction is about to read."""
        if transaction.read_only:
            return
        wanted = set(keys)
        self._defer(transaction, wanted, set())
        if not transaction.wounded:
            transaction.documents.update(wanted)
            self._granted()

    def lock_kind(self, transaction: Transaction, collection_id: str) -> None:
        """A shared lock on every collection named `collection_id`."""
        if transaction.read_only or not collection_id:
            return
        self._defer(transaction, set(), {collection_id})
        if not transaction.wounded:
            transaction.kinds.add(collection_id)
            self._granted()

    def _defer(self, reader: Transaction, keys: set[bytes], kinds: set[str]) -> None:
        """Let older writers that cannot be stuck in a lock cycle (writes outside transactions,
        which hold no locks, and retries) go first, and older retries finish with what they
        read, so younger readers neither starve them nor are wounded by them (each wound costs
        the client an attempt). Never fails: after the lock timeout it reads anyway."""
        deadline = self.monotonic() + self.lock_timeout
        token = object()
        try:
            while not reader.wounded and reader.number in self._open:
                if not self._ahead(reader, keys, kinds):
                    return
                remaining = deadline - self.monotonic()
                if remaining <= 0:
                    return
                entry = self._readers.get(id(token))
                if entry is None:
                    self._generation += 1
                    self._readers[id(token)] = [reader.number, deadline, self._generation]
                    self.condition.notify_all()
                elif entry[2] != self._generation:
                    entry[2] = self._generation
                    self.condition.notify_all()
                self.condition.wait(remaining)
        finally:
            if self._readers.pop(id(token), None) is not None:
                self._changed()

    def _ahead(self, reader: Transaction, keys: set[bytes], kinds: set[str]) -> bool:
        """Whether an older waiting writer or retry holds a claim on what `reader` reads."""
        for wait in self._waiting.values():
            if wait.defers and wait.age < reader.age and wait.touches(keys, kinds):
                return True
        now = self.monotonic()
        for holder in self._open.values():
            if (
                holder.retry
                and not holder.wounded
                and now - holder.last_used <= self.expiry
                and holder.age < reader.age
                and (not holder.documents.isdisjoint(keys) or not holder.kinds.isdisjoint(kinds))
            ):
                return True
        return False

    def _granted(self) -> None:
        # A waiting retry re-examines the holders: a younger newcomer is wounded at once.
        if self._waiting:
            self._changed()

    def check_commit(self, transaction: Transaction) -> None:
        """ABORTED (ending it) if `transaction` lost a conflict and so may not commit."""
        if transaction.wounded:
            self.end(transaction)
            raise aborted(CONTENTION)

    def wait_for_writes(
        self, writer: Transaction | None, targets: list[tuple[bytes, str]], number: int = 0
    ) -> None:
        """Block until no other transaction holds a lock on any target (document key,
        collection ID), wounding younger holders if `writer` is a retry; ABORTED after the lock
        timeout (ending `writer` if it is one) or when `writer` is wounded meanwhile. `number`
        is the ID a write outside any transaction spent: its age."""
        if writer is not None:
            self.check_commit(writer)
        if not self._blocked(writer, targets):
            return
        deadline = self.monotonic() + self.lock_timeout
        if writer is not None:
            wait = _Wait(writer.age, targets, defers=writer.retry)
        else:
            wait = _Wait((number, number), targets, defers=True)
        wait.deadline = deadline
        token = id(wait)
        self._waiting[token] = wait
        self._waits += 1
        self._generation += 1
        wait.seen = self._generation
        self.condition.notify_all()
        try:
            while True:
                remaining = deadline - self.monotonic()
                if remaining <= 0:
                    self._timeouts += 1
                    if writer is not None and writer.retry:
                        self._retry_timeouts += 1
                    if writer is not None:
                        self.end(writer)
                    raise aborted(LOCK_TIMEOUT)
                if wait.seen != self._generation:
                    wait.seen = self._generation
                    self.condition.notify_all()
                self.condition.wait(remaining)
                if writer is not None:
                    if writer.number not in self._open:
                        raise aborted(EXPIRED)
                    self.check_commit(writer)
                if not self._blocked(writer, targets):
                    return
        finally:
            del self._waiting[token]
            self._changed()

    def would_wait(self, targets: list[tuple[bytes, str]]) -> bool:
        """Whether a write outside any transaction to `targets` would wait for a lock now."""
        return self._blocked(None, targets)

    def _blocked(self, writer: Transaction | None, targets: list[tuple[bytes, str]]) -> bool:
        """Whether an older (or, for a writer that is not a retry, any) holder still blocks
        `writer`; younger holders in the way of a retry are wounded on the way."""
        if not self._open:
            return False
        now = self.monotonic()
        blocked = False
        for transaction in list(self._open.values()):
            if transaction is writer or transaction.read_only or transaction.wounded:
                continue
            if not transaction.documents and not transaction.kinds:
                continue
            if now - transaction.last_used > self.expiry:
                continue
            if not any(
                key in transaction.documents or kind in transaction.kinds for key, kind in targets
            ):
                continue
            if writer is not None and writer.retry and transaction.age > writer.age:
                self._wound(transaction)
            else:
                blocked = True
        return blocked

    def _wound(self, transaction: Transaction) -> None:
        self._wounds += 1
        transaction.wounded = True
        transaction.documents.clear()
        transaction.kinds.clear()
        self._changed()

    def _changed(self) -> None:
        """Wake every waiter to look at the lock table again."""
        self._generation += 1
        self.condition.notify_all()

    def state(self) -> LockState:
        """The lock table now (call with `condition` held)."""
        return LockState(
            waiting_writers=tuple(wait.age[1] for wait in self._waiting.values()),
            waiting_readers=tuple(entry[0] for entry in self._readers.values()),
            deadlines=tuple(
                sorted(
                    [wait.deadline for wait in self._waiting.values()]
                    + [entry[1] for entry in self._readers.values()]
                )
            ),
            settled=all(wait.seen == self._generation for wait in self._waiting.values())
            and all(entry[2] == self._generation for entry in self._readers.values()),
            waits=self._waits,
            timeouts=self._timeouts,
            retry_timeouts=self._retry_timeouts,
            wounds=self._wounds,
        )

    def recheck(self) -> None:
        """Wake every waiter to look at the clock and the locks again (after a hand-driven
        clock moved)."""
        self._changed()

    def clear(self) -> None:
        """Forget every transaction (reset); the counter starts again at 1."""
        self._open.clear()
        self._lineage.clear()
        self._next = 1
        self._changed()
