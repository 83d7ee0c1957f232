"""Units of work count what they read and write; settings fall back to their code defaults."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.server import FirestoreServer
from mitche.errors import AbortedError, AlreadyExistsError, FailedPreconditionError
from mitche.models import GamificationSettings, PublicSettings
from mitche.services import (
    SettingsStore,
    UndeclaredFieldError,
    recording_costs,
    run_batch,
    run_transaction,
    undeclared_fields,
)

PROJECT = "demo-mitche-services"


@pytest.fixture(scope="module")
def server() -> Iterator[FirestoreServer]:
    with FirestoreServer(port=0) as running:
        yield running


@pytest.fixture
def client(server: FirestoreServer, monkeypatch: pytest.MonkeyPatch) -> firestore.Client:
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", server.address)
    server.emulator.database(PROJECT).clear()
    return firestore.Client(project=PROJECT, credentials=AnonymousCredentials())


SHARDS = "analytics/2026-11-24/shards"
"""Documents the Unit tests write: counter shards (every function write is declared)."""


def test_a_transaction_counts_each_document_read_and_written(client: firestore.Client) -> None:
    """Two documents read (one missing) and three written are two reads and three writes."""
    client.document("analytics/2026-11-24/shards/a").set({"shard": 1})

    def work(unit: object) -> None:
        from mitche.services import Unit

        assert isinstance(unit, Unit)
        found = unit.get_all(
            ["analytics/2026-11-24/shards/a", "analytics/2026-11-24/shards/missing"]
        )
        assert found == {
            "analytics/2026-11-24/shards/a": {"shard": 1},
            "analytics/2026-11-24/shards/missing": None,
        }
        unit.get("analytics/2026-11-24/shards/a")
        unit.set("analytics/2026-11-24/shards/b", {"shard": 2})
        unit.update("analytics/2026-11-24/shards/a", {"shard": firestore.Increment(1)})
        unit.create("analytics/2026-11-24/shards/c", {"shard": 3})

    with recording_costs() as recorder:
        run_transaction(client, "test.count", work)
    [sample] = recorder.of("test.count")
    assert (sample.reads, sample.writes, sample.attempts) == (2, 3, 1)
    assert client.document("analytics/2026-11-24/shards/a").get().to_dict() == {"shard": 2}


def test_a_query_with_no_result_bills_one_read(client: firestore.Client) -> None:
    """An empty query still costs a read, as Firestore bills it."""
    with recording_costs() as recorder:
        run_transaction(
            client, "test.query", lambda unit: unit.query(client.collection("none").limit(5))
        )
    assert recorder.totals() == (1, 0)


def test_a_create_of_an_existing_document_fails_the_whole_batch(client: firestore.Client) -> None:
    """A batch whose marker exists fails with AlreadyExistsError and writes nothing."""
    client.document("analytics/2026-11-24/processedEvents/m").set({})

    def work(unit: object) -> None:
        from mitche.services import Unit

        assert isinstance(unit, Unit)
        unit.set("analytics/2026-11-24/shards/c", {"shard": firestore.Increment(1)}, merge=True)
        unit.create("analytics/2026-11-24/processedEvents/m", {})

    with pytest.raises(AlreadyExistsError):
        run_batch(client, "test.batch", work)
    assert not client.document("analytics/2026-11-24/shards/c").get().exists


def test_a_write_of_a_key_its_model_does_not_declare_is_refused(
    client: firestore.Client,
) -> None:
    """A function can never make a document undecodable: a key the document's model does not
    declare (a report count on a member), or a document no model declares, is refused before
    anything is written."""
    for path, fields in [
        ("users/amina", {"moderation.reportCount": 1}),
        ("users/amina", {"stats.offeringsMade": 1, "gamification.bogus": 2}),
        ("things/a", {"n": 1}),
    ]:
        with pytest.raises(UndeclaredFieldError):
            run_batch(client, "test.undeclared", lambda unit: unit.update(path, fields))  # noqa: B023
    assert undeclared_fields("users/amina", ["stats.offeringsMade", "gamification"]) == []
    assert undeclared_fields("conversations/c", ["participantState.amina.unread"]) == []


def test_a_batch_cannot_read(client: firestore.Client) -> None:
    """A write-only unit refuses reads: they would not be isolated."""
    with pytest.raises(FailedPreconditionError):
        run_batch(client, "test.read", lambda unit: unit.get("things/a"))


def test_contention_that_never_ends_is_reported_as_aborted(client: firestore.Client) -> None:
    """When every round of the transaction is aborted, the caller gets AbortedError."""
    from google.api_core import exceptions as google_errors

    pauses: list[float] = []

    def work(unit: object) -> None:
        raise google_errors.Aborted("contention")

    with pytest.raises(AbortedError):
        run_transaction(client, "test.abort", work, rounds=3, sleep=pauses.append)
    assert len(pauses) == 2


def test_absent_settings_are_the_code_defaults(client: firestore.Client) -> None:
    """With no settings documents, the store returns each model's defaults."""
    store = SettingsStore()
    assert store.gamification(client) == GamificationSettings()
    assert store.public(client) == PublicSettings()
    assert store.catalog(client) == {}


def test_an_invalid_settings_document_falls_back_to_the_defaults(
    client: firestore.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    """A settings document an admin broke is logged as an error and the defaults apply."""
    client.document("systemSettings/gamification").set({"dailyCaps": {"silentHero": -1}})
    assert SettingsStore().gamification(client) == GamificationSettings()
    assert '"severity": "ERROR"' in capsys.readouterr().err


def test_settings_are_cached_until_they_expire(client: firestore.Client) -> None:
    """A change made in the console is seen once the cache entry is older than the TTL."""
    now = [0.0]
    store = SettingsStore(ttl=60, clock=lambda: now[0])
    assert store.public(client).config.leaderboard_size == 100
    client.document("systemSettings/public").set({"config": {"leaderboardSize": 50}})
    assert store.public(client).config.leaderboard_size == 100
    now[0] = 61.0
    assert store.public(client).config.leaderboard_size == 50


def test_the_leaderboard_key_is_generated_once(client: firestore.Client) -> None:
    """The key is created on first use and then reused, by this instance and any other."""
    first = SettingsStore().leaderboard_key(client)
    second = SettingsStore().leaderboard_key(client)
    assert first == second
    assert len(first) == 32
