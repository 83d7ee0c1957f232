"""The change feed the Listen stream and triggers subscribe to, and the write-check hook the
access policy uses: what each sees of a commit, in which order, and what a veto does."""

from __future__ import annotations

import threading

import pytest

import firelab.server.core as core
from firelab.server.core import (
    ChangeBatch,
    Code,
    Database,
    Emulator,
    FirestoreError,
    PlannedCommit,
)
from firelab.server.core._protos import CommitRequest, Document, GetDocumentRequest, Write

from .oracle import structured_query


def make_write(database: Database, path: str, **numbers: int) -> Write:
    write = Write()
    write.update.name = f"{database.id.documents_root}/{path}"
    for name, number in numbers.items():
        write.update.fields[name].integer_value = number
    return write


def commit(database: Database, *writes: Write, check: core.WriteCheck | None = None) -> None:
    database.commit(CommitRequest(database=database.id.root, writes=list(writes)), check=check)


def test_a_commit_is_one_batch_with_before_and_after() -> None:
    """Every document a commit changes is in one batch, with its previous and new version."""
    database = Emulator().database("feed")
    commit(database, make_write(database, "c/a", n=1))
    batches: list[ChangeBatch] = []
    database.subscribe(batches.append)
    delete = Write(delete=f"{database.id.documents_root}/c/a")
    commit(database, make_write(database, "c/b", n=2), delete)
    (batch,) = batches
    assert {
        change.name.rsplit("/", 1)[-1]: (change.before is None, change.after is None)
        for change in batch.changes
    } == {"b": (True, False), "a": (False, True)}
    assert batch.database == database.id
    assert batch.commit_time.seconds > 0


def test_writes_that_change_nothing_publish_nothing() -> None:
    """Setting a document to what it holds is not a change."""
    database = Emulator().database("feed")
    commit(database, make_write(database, "c/a", n=1))
    batches: list[ChangeBatch] = []
    database.subscribe(batches.append)
    commit(database, make_write(database, "c/a", n=1))
    assert batches == []


def test_emulator_listeners_see_every_database_and_can_stop() -> None:
    """An emulator-wide listener gets each database's commits until it closes."""
    emulator = Emulator()
    seen: list[str] = []
    subscription = emulator.subscribe(lambda batch: seen.append(batch.database.project))
    for project in ("one", "two"):
        database = emulator.database(project)
        commit(database, make_write(database, "c/a", n=1))
    subscription.close()
    database = emulator.database("three")
    commit(database, make_write(database, "c/a", n=1))
    assert seen == ["one", "two"]


def test_batches_arrive_in_commit_order_under_concurrency() -> None:
    """Concurrent committers' batches reach listeners one at a time, in commit-time order."""
    database = Emulator().database("feed")
    times: list[int] = []
    database.subscribe(lambda batch: times.append(batch.commit_time.ToMicroseconds()))

    def writer(worker: int) -> None:
        for step in range(50):
            commit(database, make_write(database, f"c/w{worker}", n=step))

    threads = [threading.Thread(target=writer, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(times) == 200
    assert times == sorted(times)
    assert len(set(times)) == 200


def test_clear_publishes_every_document_gone() -> None:
    """Clearing a database tells listeners every document left, as a reset batch."""
    database = Emulator().database("feed")
    commit(database, make_write(database, "c/a", n=1), make_write(database, "c/b", n=1))
    batches: list[ChangeBatch] = []
    database.subscribe(batches.append)
    database.clear()
    (batch,) = batches
    assert batch.reset
    assert sorted(change.after is None for change in batch.changes) == [True, True]


def test_a_check_sees_the_commit_before_it_is_stored() -> None:
    """The check gets each write with the stored and the resulting document, and lookups of
    the state before and after the whole commit."""
    database = Emulator().database("feed")
    commit(database, make_write(database, "c/a", n=1))
    seen: list[PlannedCommit] = []
    commit(
        database,
        make_write(database, "c/a", n=2),
        make_write(database, "c/b", n=3),
        check=seen.append,
    )
    (planned,) = seen
    first, second = planned.writes
    assert first.before is not None
    assert first.before.fields["n"].integer_value == 1
    assert first.after is not None
    assert first.after.fields["n"].integer_value == 2
    assert second.before is None
    other = f"{database.id.documents_root}/c/b"
    assert planned.get_before(other) is None
    after = planned.get_after(other)
    assert after is not None
    assert after.fields["n"].integer_value == 3


def test_a_check_that_refuses_vetoes_the_whole_commit() -> None:
    """A check raising PERMISSION_DENIED leaves every document as it was."""
    database = Emulator().database("feed")

    def deny(planned: PlannedCommit) -> None:
        raise FirestoreError(Code.PERMISSION_DENIED, "Missing or insufficient permissions.")

    with pytest.raises(FirestoreError) as raised:
        commit(database, make_write(database, "c/a", n=1), check=deny)
    assert raised.value.code == Code.PERMISSION_DENIED
    with pytest.raises(FirestoreError) as missing:
        database.get_document(GetDocumentRequest(name=f"{database.id.documents_root}/c/a"))
    assert missing.value.code == Code.NOT_FOUND


def test_a_compiled_query_routes_changed_documents() -> None:
    """A listener's compiled query says whether a changed document belongs to its results."""
    database = Emulator().database("feed")
    query = database.compile_query(
        database.id.documents_root,
        structured_query(
            {
                "from": [{"collectionId": "c"}],
                "where": {
                    "fieldFilter": {
                        "field": {"fieldPath": "n"},
                        "op": "GREATER_THAN",
                        "value": {"integerValue": "1"},
                    }
                },
            }
        ),
    )
    inside = Document(name=f"{database.id.documents_root}/c/a")
    inside.fields["n"].integer_value = 2
    outside = Document(name=f"{database.id.documents_root}/c/b")
    outside.fields["n"].integer_value = 1
    elsewhere = Document(name=f"{database.id.documents_root}/d/a")
    elsewhere.fields["n"].integer_value = 2
    assert [query.matches(d) for d in (inside, outside, elsewhere)] == [True, False, False]
