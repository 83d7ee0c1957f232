"""Transactions as the official emulator runs them (transactions.json).

A read-write transaction takes a shared lock on every document it reads (found or missing) and
on every collection ID it lists or queries, whatever the parent. A write — inside a
transaction or not — waits while another open transaction holds a lock on its document or on
its collection ID, for at most the lock timeout (2 s), then fails with ABORTED "Transaction
lock timeout." (which ends a waiting transaction). A transaction ends at commit, rollback, a
failed precondition or a lock timeout, and expires 60 s after its last request. Read-only
transactions lock nothing and read the snapshot of their start.

Transaction IDs are a per-database counter, also spent by every request that runs outside a
transaction (as the emulator does); the wire form is a 9-byte message: tag 0x11, then the
counter as a little-endian fixed64.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from firelab.server.core._errors import Code, FirestoreError, aborted, invalid

EXPIRED = "The referenced transaction has expired or is no longer valid."
LOCK_TIMEOUT = "Transaction lock timeout."
_TAG = 0x11


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
    documents: set[bytes] = field(default_factory=set)
    kinds: set[str] = field(default_factory=set)

    @property
    def id(self) -> bytes:
        """The wire bytes of this transaction."""
        return encode_transaction(self.number)


class Transactions:
    """Open transactions and their locks for one database.

    All methods must be called with `condition` held (the engine's lock); waiting for locks
    releases it.
    """

    def __init__(self, condition: threading.Condition, lock_timeout: float, expiry: float):
        self.condition = condition
        self.lock_timeout = lock_timeout
        self.expiry = expiry
        self._next = 1
        self._open: dict[int, Transaction] = {}

    def spend(self) -> int:
        """Spend one ID (a request outside any transaction)."""
        number = self._next
        self._next += 1
        return number

    def begin(self, *, read_only: bool, read_us: int | None) -> Transaction:
        """Open a new transaction."""
        transaction = Transaction(self.spend(), read_only, read_us, time.monotonic())
        self._open[transaction.number] = transaction
        return transaction

    def lookup(self, raw: bytes) -> Transaction:
        """The open transaction named by `raw`, refreshed; errors as the emulator answers."""
        number = decode_transaction(raw)
        transaction = self._open.get(number)
        if transaction is None:
            if number >= self._next:
                raise FirestoreError(Code.UNKNOWN, "")
            raise aborted(EXPIRED)
        now = time.monotonic()
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
            self.condition.notify_all()

    def lock_documents(self, transaction: Transaction, keys: Iterable[bytes]) -> None:
        """Shared locks on documents a read-write transaction read."""
        if not transaction.read_only:
            transaction.documents.update(keys)

    def lock_kind(self, transaction: Transaction, collection_id: str) -> None:
        """A shared lock on every collection named `collection_id`."""
        if not transaction.read_only and collection_id:
            transaction.kinds.add(collection_id)

    def wait_for_writes(self, writer: Transaction | None, targets: list[tuple[bytes, str]]) -> None:
        """Block until no other transaction holds a lock on any target (document key,
        collection ID); ABORTED after the lock timeout, ending `writer` if it is one."""
        deadline = time.monotonic() + self.lock_timeout
        while self._conflicts(writer, targets):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if writer is not None:
                    self.end(writer)
                raise aborted(LOCK_TIMEOUT)
            self.condition.wait(remaining)
            if writer is not None and writer.number not in self._open:
                raise aborted(EXPIRED)

    def _conflicts(self, writer: Transaction | None, targets: list[tuple[bytes, str]]) -> bool:
        now = time.monotonic()
        for transaction in list(self._open.values()):
            if transaction is writer or transaction.read_only:
                continue
            if now - transaction.last_used > self.expiry:
                continue
            for key, kind in targets:
                if key in transaction.documents or kind in transaction.kinds:
                    return True
        return False

    def clear(self) -> None:
        """Forget every transaction (reset); the counter starts again at 1."""
        self._open.clear()
        self._next = 1
        self.condition.notify_all()
