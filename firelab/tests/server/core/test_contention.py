"""Contention between read-write transactions: retries (which name an earlier attempt, keeping
their spot in line) win over younger transactions by wounding them, younger readers wait for
older retries and for writes outside transactions, and concurrent read-modify-write
transactions never lose an update.

What two *fresh* transactions do when each waits for the other is the recorded emulator's
behaviour (the first waiter's lock timeout ends it) and is replayed from transactions.json.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from firelab.server.core import Code, Database, Emulator, FirestoreError, WouldBlock
from firelab.server.core._protos import (
    BatchGetDocumentsRequest,
    BeginTransactionRequest,
    CommitRequest,
    GetDocumentRequest,
    RollbackRequest,
    TransactionOptions,
    Write,
)
from firelab.server.core._transactions import (
    CONTENTION,
    LOCK_TIMEOUT,
    LockState,
    decode_transaction,
)

PROJECT = "demo-contention"


class Session:
    """Speaks to one database the way a client library does, over the core's API."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def name(self, path: str) -> str:
        return f"{self.database.id.documents_root}/{path}"

    def begin(self, retry: bytes = b"") -> bytes:
        request = BeginTransactionRequest(database=self.database.id.root)
        if retry:
            request.options.CopyFrom(
                TransactionOptions(read_write=TransactionOptions.ReadWrite(retry_transaction=retry))
            )
        return self.database.begin_transaction(request).transaction

    def read(self, path: str, transaction: bytes = b"") -> int | None:
        request = BatchGetDocumentsRequest(
            database=self.database.id.root, documents=[self.name(path)]
        )
        if transaction:
            request.transaction = transaction
        for response in self.database.batch_get_documents(request):
            if response.HasField("found"):
                return response.found.fields["n"].integer_value
        return None

    def get(self, path: str) -> int:
        document = self.database.get_document(GetDocumentRequest(name=self.name(path)))
        return document.fields["n"].integer_value

    def write(self, path: str, n: int, transaction: bytes = b"") -> None:
        write = Write()
        write.update.name = self.name(path)
        write.update.fields["n"].integer_value = n
        request = CommitRequest(database=self.database.id.root, writes=[write])
        if transaction:
            request.transaction = transaction
        self.database.commit(request)

    def rollback(self, transaction: bytes) -> None:
        self.database.rollback(
            RollbackRequest(database=self.database.id.root, transaction=transaction)
        )

    def increment(
        self, path: str, max_attempts: int, all_read: threading.Barrier | None = None
    ) -> int:
        """google-cloud-firestore's `@transactional` loop: every retry names the first
        attempt; an aborted commit is retried, any other error is not. Returns attempts.
        With `all_read`, first attempts write only once every worker has read (the worst
        interleaving: every first attempt holds a read lock the others need)."""
        first = b""
        for attempt in range(1, max_attempts + 1):
            transaction = self.begin(retry=first)
            first = first or transaction
            n = self.read(path, transaction) or 0
            if all_read is not None and attempt == 1:
                all_read.wait(10)
            try:
                self.write(path, n + 1, transaction)
            except FirestoreError as error:
                if error.code != Code.ABORTED:
                    raise
                continue
            return attempt
        raise AssertionError(f"no commit in {max_attempts} attempts")


class ManualClock:
    """Seconds for lock timeouts that move only when a test moves them."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make_session(lock_timeout: float = 2.0, clock: ManualClock | None = None) -> Session:
    if clock is None:
        return Session(Emulator(lock_timeout=lock_timeout).database(PROJECT))
    emulator = Emulator(lock_timeout=lock_timeout, monotonic=clock)
    return Session(emulator.database(PROJECT))


def advance(session: Session, clock: ManualClock, seconds: float) -> None:
    """Move the lock clock and let every waiter look at it."""
    clock.now += seconds
    session.database.recheck_locks()


def in_background(action: Callable[[], object]) -> tuple[threading.Thread, dict[str, object]]:
    """Run `action` in a thread; the dict gets its `result` or `error`."""
    out: dict[str, object] = {}

    def run() -> None:
        try:
            out["result"] = action()
        except FirestoreError as error:
            out["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def until(session: Session, predicate: Callable[[LockState], bool]) -> None:
    """Wait until the lock table shows `predicate` (the timeout is only a safety net)."""
    assert session.database.wait_for_locks(predicate, timeout=10), session.database.lock_state()


def writers(count: int) -> Callable[[LockState], bool]:
    return lambda state: len(state.waiting_writers) == count


def readers(count: int) -> Callable[[LockState], bool]:
    return lambda state: len(state.waiting_readers) == count


def older_lineage(session: Session) -> bytes:
    """A transaction that began, and failed, before everything the test begins next."""
    first = session.begin()
    session.rollback(first)
    return first


def test_a_retry_wounds_a_younger_holder_and_commits_at_once() -> None:
    """A retry commits without waiting for a younger transaction's read lock; the younger
    one's commit is ABORTED with Firestore's contention message and writes nothing."""
    session = make_session()
    session.write("c/d", 1)
    first = older_lineage(session)
    young = session.begin()
    assert session.read("c/d", young) == 1
    retry = session.begin(retry=first)
    assert session.read("c/d", retry) == 1
    session.write("c/d", 2, retry)
    assert (session.database.lock_state().waits, session.database.lock_state().wounds) == (0, 1)
    with pytest.raises(FirestoreError) as aborted:
        session.write("c/d", 10, young)
    assert (aborted.value.code, aborted.value.message) == (Code.ABORTED, CONTENTION)
    assert session.get("c/d") == 2


def test_a_wounded_transaction_still_reads_but_holds_no_lock() -> None:
    """After losing to an older retry, a transaction's reads are answered (a client that
    fails on an aborted read would not retry) and lock nothing: outside writes do not wait."""
    session = make_session()
    session.write("c/d", 1)
    first = older_lineage(session)
    young = session.begin()
    session.read("c/d", young)
    retry = session.begin(retry=first)
    session.read("c/d", retry)
    session.write("c/d", 2, retry)
    assert session.read("c/d", young) == 2
    session.write("c/d", 3)
    assert session.database.lock_state().waits == 0
    with pytest.raises(FirestoreError) as aborted:
        session.write("c/x", 1, young)
    assert aborted.value.message == CONTENTION


def test_a_wounded_transaction_cannot_commit_even_without_writes() -> None:
    """An empty commit of a wounded transaction is ABORTED too: what it read was unlocked."""
    session = make_session()
    session.write("c/d", 1)
    first = older_lineage(session)
    young = session.begin()
    session.read("c/d", young)
    retry = session.begin(retry=first)
    session.read("c/d", retry)
    session.write("c/d", 2, retry)
    with pytest.raises(FirestoreError) as aborted:
        session.database.commit(CommitRequest(database=session.database.id.root, transaction=young))
    assert aborted.value.code == Code.ABORTED


def test_a_retry_waits_for_an_older_holder() -> None:
    """Wound-wait: a retry younger than a lock holder waits for it like any writer."""
    session = make_session()
    session.write("c/d", 1)
    old = session.begin()
    session.read("c/d", old)
    first = older_lineage(session)
    retry = session.begin(retry=first)
    session.read("c/d", retry)
    thread, out = in_background(lambda: session.write("c/d", 5, retry))
    until(session, writers(1))
    assert thread.is_alive()
    session.write("c/other", 1, old)
    thread.join()
    assert "error" not in out
    assert session.database.lock_state().timeouts == 0
    assert session.get("c/d") == 5


def test_a_younger_reader_goes_after_a_waiting_retry() -> None:
    """A younger transaction that reads while a retry waits for an older holder does not get
    in the retry's way: its read waits, then sees the retry's write."""
    session = make_session()
    session.write("c/d", 1)
    old = session.begin()
    session.read("c/d", old)
    first = older_lineage(session)
    retry = session.begin(retry=first)
    session.read("c/d", retry)
    thread, out = in_background(lambda: session.write("c/d", 5, retry))
    until(session, writers(1))
    newcomer = session.begin()
    reader, read = in_background(lambda: session.read("c/d", newcomer))
    until(session, readers(1))
    session.rollback(old)
    thread.join()
    reader.join()
    assert "error" not in out
    assert read["result"] == 5
    assert session.get("c/d") == 5


def test_a_younger_reader_waits_for_an_older_retry_and_reads_its_write() -> None:
    """Once a lineage has lost to contention, younger transactions read what it read only
    after it ends, so they see its write instead of being wounded by it."""
    session = make_session()
    session.write("c/d", 1)
    first = older_lineage(session)
    retry = session.begin(retry=first)
    assert session.read("c/d", retry) == 1
    young = session.begin()
    thread, out = in_background(lambda: session.read("c/d", young))
    until(session, readers(1))
    assert thread.is_alive()
    session.write("c/d", 2, retry)
    thread.join()
    assert out["result"] == 2
    session.write("c/d", 3, young)
    assert session.get("c/d") == 3


def test_a_younger_reader_waits_for_an_older_outside_write() -> None:
    """Writes outside transactions are not starved by a stream of younger readers: a read
    that starts while such a write waits for the document goes after it."""
    session = make_session()
    session.write("c/d", 1)
    holder = session.begin()
    session.read("c/d", holder)
    writer, wrote = in_background(lambda: session.write("c/d", 7))
    until(session, writers(1))
    young = session.begin()
    reader, read = in_background(lambda: session.read("c/d", young))
    until(session, readers(1))
    session.write("c/other", 1, holder)
    writer.join()
    reader.join()
    assert "error" not in wrote
    assert read["result"] == 7


def test_a_reader_never_fails_for_waiting() -> None:
    """A read that waited the whole lock timeout for an older claim is answered anyway."""
    clock = ManualClock()
    session = make_session(lock_timeout=2.0, clock=clock)
    session.write("c/d", 1)
    first = older_lineage(session)
    retry = session.begin(retry=first)
    session.read("c/d", retry)
    young = session.begin()
    reader, read = in_background(lambda: session.read("c/d", young))
    until(session, readers(1))
    advance(session, clock, 1.9)
    assert reader.is_alive()
    advance(session, clock, 0.1)
    reader.join()
    assert read == {"result": 1}


def test_a_chain_of_retries_keeps_the_age_of_its_first_attempt() -> None:
    """A retry that names the previous attempt (as the Node SDK does) is as old as the
    first one, so it still wounds transactions begun after that."""
    session = make_session()
    session.write("c/d", 1)
    first = older_lineage(session)
    young = session.begin()
    session.read("c/d", young)
    second = session.begin(retry=first)
    session.rollback(second)
    third = session.begin(retry=second)
    session.read("c/d", third)
    session.write("c/d", 2, third)
    with pytest.raises(FirestoreError) as aborted:
        session.write("c/d", 3, young)
    assert aborted.value.message == CONTENTION


def test_fresh_transactions_that_deadlock_wait_for_the_lock_timeout() -> None:
    """Without a retry nobody wounds: the first of two waiting writers ends at its lock
    timeout, as the official emulator does, and the other then commits."""
    clock = ManualClock()
    session = make_session(lock_timeout=0.5, clock=clock)
    session.write("c/d", 1)
    one, two = session.begin(), session.begin()
    session.read("c/d", one)
    session.read("c/d", two)
    first, out_one = in_background(lambda: session.write("c/d", 10, one))
    until(session, writers(1))
    advance(session, clock, 0.1)
    second, out_two = in_background(lambda: session.write("c/d", 20, two))
    until(session, writers(2))
    advance(session, clock, 0.4)
    first.join()
    second.join()
    assert "error" not in out_two
    assert session.database.lock_state().timeouts == 1
    error = out_one["error"]
    assert isinstance(error, FirestoreError)
    assert error.message == LOCK_TIMEOUT
    assert session.get("c/d") == 20


def run_increments(session: Session, workers: int) -> list[int]:
    """`workers` concurrent client-style increments of c/n, every first attempt reading before
    any writes; the attempts each took."""
    attempts: list[int] = []
    errors: list[BaseException] = []
    all_read = threading.Barrier(workers)

    def work() -> None:
        try:
            attempts.append(session.increment("c/n", max_attempts=20, all_read=all_read))
        except (FirestoreError, AssertionError) as error:
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return attempts


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(workers=st.integers(1, 12))
def test_concurrent_increments_never_lose_an_update(workers: int) -> None:
    """However many read-modify-write transactions race on one document, every one commits
    within the client's attempts and the counter ends at their number."""
    session = make_session(lock_timeout=0.2)
    attempts = run_increments(session, workers)
    assert len(attempts) == workers
    assert session.get("c/n") == workers


def test_ten_concurrent_increments_cost_at_most_one_lock_timeout() -> None:
    """The reported livelock: ten transactions on one counter, all first reading, wait for
    the first round's lock timeouts only; no retry ever times out (round after round), it
    wounds younger holders instead."""
    session = make_session(lock_timeout=0.5)
    attempts = run_increments(session, 10)
    assert session.get("c/n") == 10
    state = session.database.lock_state()
    assert state.timeouts >= 1
    assert state.retry_timeouts == 0, attempts


def test_a_commit_that_may_not_wait_changes_nothing_when_it_would() -> None:
    """`wait=False` (what an event loop tries first) raises WouldBlock for a locked document
    and for any transactional commit, spending no transaction ID; unlocked, it commits."""
    session = make_session()
    session.write("c/d", 1)
    holder = session.begin()
    session.read("c/d", holder)
    locked = CommitRequest(database=session.database.id.root)
    locked.writes.add().update.name = session.name("c/d")
    with pytest.raises(WouldBlock):
        session.database.commit(locked, wait=False)
    transactional = CommitRequest(database=session.database.id.root, transaction=holder)
    with pytest.raises(WouldBlock):
        session.database.commit(transactional, wait=False)
    assert decode_transaction(session.begin()) == decode_transaction(holder) + 1
    free = CommitRequest(database=session.database.id.root)
    free.writes.add().update.name = session.name("c/free")
    session.database.commit(free, wait=False)
    assert session.get("c/d") == 1
