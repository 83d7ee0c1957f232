"""Units of work: every read and write a handler makes goes through one, atomically.

`run_transaction` runs a function with a `Unit` bound to a Firestore transaction (reads lock
what they read; the buffered writes commit together or not at all, and the client retries the
whole function on contention); `run_batch` runs one with a write-only `Unit` bound to a batch.
Either way the unit counts the documents read and written, and the count of the committed
attempt is reported as a `CostSample` (see `_cost`). Google API errors come out translated
(`AlreadyExistsError` when a `create` finds its document: the idempotency markers rely on it).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from google.api_core import exceptions as google_errors
from google.cloud import firestore

from mitche.errors import AbortedError, FailedPreconditionError
from mitche.models import MitcheModel
from mitche.services._cost import CostSample, record_cost
from mitche.services._declared import check_declared, field_paths
from mitche.services._dry_run import is_dry_run
from mitche.services._errors import translate_errors
from mitche.services.codec import to_document

__all__ = ["Unit", "run_batch", "run_transaction"]

T = TypeVar("T")

_Writer = firestore.Transaction | firestore.WriteBatch


class Unit:
    """One atomic unit of work: reads through a transaction, writes buffered until commit."""

    def __init__(self, client: firestore.Client, writer: _Writer) -> None:
        self.client = client
        self._writer = writer
        self._transaction = writer if isinstance(writer, firestore.Transaction) else None
        self._read: dict[str, dict[str, Any] | None] = {}
        self.reads = 0
        self.writes = 0

    # Reads ------------------------------------------------------------------------------

    @property
    def can_read(self) -> bool:
        """Whether the unit reads (a transaction) or only writes (a batch)."""
        return self._transaction is not None

    def _require_transaction(self) -> firestore.Transaction:
        if self._transaction is None:
            raise FailedPreconditionError("a write-only unit (a batch) cannot read")
        return self._transaction

    def get(self, path: str) -> dict[str, Any] | None:
        """The document's data, or None when it does not exist (one read)."""
        return self.get_all([path])[path]

    def get_all(self, paths: Iterable[str]) -> dict[str, dict[str, Any] | None]:
        """Several documents in one round trip, by path; each one not read before in this
        unit bills one read, whether it exists or not."""
        wanted = list(dict.fromkeys(paths))
        missing = [path for path in wanted if path not in self._read]
        if missing:
            transaction = self._require_transaction()
            references = [self.client.document(path) for path in missing]
            for snapshot in self.client.get_all(references, transaction=transaction):
                self._read[snapshot.reference.path] = (
                    snapshot.to_dict() if snapshot.exists else None
                )
            self.reads += len(missing)
        return {path: self._read.get(path) for path in wanted}

    def query(self, query: firestore.Query) -> list[tuple[str, dict[str, Any]]]:
        """The documents a query returns, as (path, data); bills one read per document and
        one for a query that returns nothing."""
        transaction = self._require_transaction()
        results = [
            (snapshot.reference.path, snapshot.to_dict() or {})
            for snapshot in query.stream(transaction=transaction)
        ]
        self.reads += max(1, len(results))
        return results

    # Writes -----------------------------------------------------------------------------

    def _data(self, path: str, value: MitcheModel | Mapping[str, Any]) -> dict[str, Any]:
        if isinstance(value, MitcheModel):
            return to_document(value, self.client)
        check_declared(path, field_paths(value))
        return dict(value)

    def create(self, path: str, value: MitcheModel | Mapping[str, Any]) -> None:
        """Create the document; the whole unit fails with AlreadyExistsError if it exists."""
        self._writer.create(self.client.document(path), self._data(path, value))
        self.writes += 1

    def set(
        self, path: str, value: MitcheModel | Mapping[str, Any], *, merge: bool = False
    ) -> None:
        """Replace the document (or, with `merge`, only the fields given, transforms included)."""
        self._writer.set(self.client.document(path), self._data(path, value), merge=merge)
        self.writes += 1

    def update(self, path: str, fields: Mapping[str, Any]) -> None:
        """Change fields of an existing document (keys are field paths, each declared by the
        document's model: UndeclaredFieldError otherwise)."""
        check_declared(path, fields)
        self._writer.update(self.client.document(path), dict(fields))
        self.writes += 1

    def delete(self, path: str) -> None:
        """Delete the document (nothing happens if it does not exist; still billed)."""
        self._writer.delete(self.client.document(path))
        self.writes += 1


class _RolledBack(Exception):  # noqa: N818 - a signal carrying a result, not an error
    """Raised out of a transaction's body in a dry run, so the transaction rolls back; carries
    the work's result."""

    def __init__(self, result: object) -> None:
        super().__init__("dry run: rolled back")
        self.result = result


def _exhausted(error: ValueError) -> bool:
    """Whether the client gave up after aborted commits (it wraps the last Aborted)."""
    return isinstance(error.__cause__, google_errors.Aborted)


def run_transaction(
    client: firestore.Client,
    handler: str,
    work: Callable[[Unit], T],
    *,
    max_attempts: int = 5,
    rounds: int = 4,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `work` in a transaction, retried on contention; its result once committed.

    The client retries aborted commits at once (`max_attempts`); when many deliveries fight
    over one document that is not always enough, so up to `rounds` fresh transactions are
    tried with a growing, jittered pause in between. AbortedError once all failed.
    """
    attempts = 0
    units: list[Unit] = []

    @firestore.transactional
    def body(transaction: firestore.Transaction) -> T:
        nonlocal attempts
        attempts += 1
        unit = Unit(client, transaction)
        units.append(unit)
        result = work(unit)
        if is_dry_run():
            raise _RolledBack(result)
        return result

    for round_ in range(1, rounds + 1):
        try:
            with translate_errors(f"{handler} transaction"):
                result: T = body(client.transaction(max_attempts=max_attempts))
            break
        except _RolledBack as rolled_back:
            result = rolled_back.result  # type: ignore[assignment]
            break
        except (ValueError, AbortedError) as error:
            if isinstance(error, ValueError) and not _exhausted(error):
                raise
            if round_ == rounds:
                raise AbortedError(
                    f"{handler} transaction: contention persisted over {attempts} attempts",
                    cause=error,
                ) from error
            sleep(random.uniform(0.05, 0.15) * round_)
    unit = units[-1]
    record_cost(CostSample(handler, unit.reads, unit.writes, attempts))
    return result


def run_batch(client: firestore.Client, handler: str, work: Callable[[Unit], T]) -> T:
    """Run `work` with a write-only unit and commit its writes atomically (no reads)."""
    batch = client.batch()
    unit = Unit(client, batch)
    result = work(unit)
    if unit.writes and not is_dry_run():
        with translate_errors(f"{handler} batch"):
            batch.commit()
    record_cost(CostSample(handler, 0, unit.writes))
    return result
