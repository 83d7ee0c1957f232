"""Privacy functions against real local Firestore and Storage servers: a data export moves
itself page by page to a complete archive, whatever the redeliveries; consents set the
settings the leaderboards and analytics read."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from google.cloud import storage as gcs

from firelab.storage import StorageServer
from mitche.errors import InvalidArgumentError, UnauthenticatedError
from mitche.handlers import _export as export
from mitche.handlers import default_deps
from mitche.handlers._notify import notification_path
from mitche.models import (
    AUDIT_ENTRIES,
    HopeAction,
    HopeCategory,
    HopeLedgerEntry,
    consents_path,
    export_path,
)
from tests.mitche.handlers.factories import T0, make_request, make_user

from .conftest import NOW, PROJECT, Store

BUCKET = f"{PROJECT}.appspot.com"


@pytest.fixture(scope="module")
def storage_server() -> Iterator[StorageServer]:
    with StorageServer(project=PROJECT) as running:
        yield running


@pytest.fixture
def bucket(
    store: Store, storage_server: StorageServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[gcs.Bucket]:
    """The default bucket, empty, with the variables the runtime sets for Storage."""
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage_server.url)
    monkeypatch.setenv("STORAGE_BUCKET", BUCKET)
    storage_server.reset()
    client = gcs.Client(project=PROJECT)
    yield client.bucket(BUCKET)
    client.close()


def ledger_entry(n: int) -> HopeLedgerEntry:
    return HopeLedgerEntry(
        action=HopeAction.OFFERING_MADE,
        category=HopeCategory.SILENT_HERO,
        event_id=f"evt-{n}",
        base=10,
        amount=10,
        created_at=T0,
    )


def seed_member(store: Store, uid: str = "ana", requests: int = 5) -> None:
    store.put(f"users/{uid}", make_user(uid))
    for n in range(requests):
        store.put(*make_request(uid, f"{uid}-r{n}", title=f"Request {n}"))
    store.put(f"requests/{uid}-r0/private/location", {"address": "1 rue Exacte"})
    for n in range(3):
        store.put(f"users/{uid}/hopeLedger/e{n}", ledger_entry(n))
    store.put(*make_request("ben", "someone-else"))


def step_event(store: Store, uid: str, event_id: str) -> Any:
    after = store.proto(export_path(uid))
    return store.event(export_path(uid), None, after, event_id=event_id, at=NOW)


def run_export(store: Store, uid: str, *, redeliver_every: int = 0) -> dict[str, Any]:
    """Deliver the job's writes to `data_export_written` until the archive is ready (each step
    writes the job again, as the runtime would deliver it); every `redeliver_every`-th event is
    delivered twice. Returns the job."""
    for n in range(200):
        job = store.get(export_path(uid))
        assert job is not None
        if job["status"] != "running":
            return job
        event = step_event(store, uid, f"evt-{n}")
        store.deliver("data_export_written", event)
        if redeliver_every and n % redeliver_every == 0:
            store.deliver("data_export_written", event)
    raise AssertionError("the export did not finish in 200 steps")


def archive(bucket: gcs.Bucket, job: dict[str, Any]) -> dict[str, Any]:
    data = bucket.blob(job["archivePath"]).download_as_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        return {
            name: opened.read(name).decode()
            if name.endswith(".md")
            else json.loads(opened.read(name))
            for name in opened.namelist()
        }


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages of two documents, so a handful of documents takes several steps."""
    monkeypatch.setattr(export, "PAGE_SIZE", 2)


def test_an_export_reads_every_source_page_by_page_into_one_archive(store, bucket, small_pages):
    """The job moves itself to `ready`; the archive holds each of ana's documents once, her
    request's private location, a README and a manifest, and no one else's documents; she is
    notified."""
    seed_member(store)
    started = export.request_export(default_deps(), "ana", {})
    job = run_export(store, "ana")
    assert job["status"] == "ready"
    assert job["exportId"] == started["exportId"]
    files = archive(bucket, job)
    requests = files["requests.json"]
    assert sorted(row["path"] for row in requests) == [f"requests/ana-r{n}" for n in range(5)]
    located = {row["path"]: row["privateLocation"] for row in requests}
    assert located["requests/ana-r0"] == {"address": "1 rue Exacte"}
    assert len(files["member.hopeLedger.json"]) == 3
    assert files["profile.json"][0]["path"] == "users/ana"
    assert files["manifest.json"]["files"]["requests.json"] == 5
    assert "| `requests.json` | 5 |" in files["README.md"]
    assert job["documents"] == sum(files["manifest.json"]["files"].values())
    audited = [entry.to_dict() for entry in store.client.collection(AUDIT_ENTRIES).stream()]
    assert [(e["actor"], e["action"], e["target"].path) for e in audited] == [
        ("ana", "privacy.export", export_path("ana"))
    ]
    notice = store.get(notification_path("ana", f"export:{job['exportId']}"))
    assert notice is not None
    assert (notice["kind"], notice["target"].path) == ("dataExportReady", export_path("ana"))


def test_the_archive_holds_the_identity_in_the_clear_and_no_data_key(
    store, bucket, monkeypatch, tmp_path
):
    """The identity is sealed at rest; in the member's own archive it is what she gave, and the
    wrapped data key (a key, not her data) is left out."""
    from mitche.callables import Caller, registry

    monkeypatch.setenv("MITCHE_PII_KEK", f"local-keyring://{tmp_path / 'ring.json'}")
    seed_member(store, requests=1)
    ana = Caller("ana", {"email_verified": True})
    registry()["set_identity"].call(default_deps(), ana, {"legalName": "Ana Lopes"})
    export.request_export(default_deps(), "ana", {})
    files = archive(bucket, run_export(store, "ana"))
    private = {row["path"]: row["data"] for row in files["member.private.json"]}
    assert private["users/ana/private/identity"]["legalName"] == "Ana Lopes"
    assert "users/ana/private/dataKey" not in private
    assert "sealed:v1:" not in json.dumps(files["member.private.json"])


def test_redelivered_steps_write_nothing_twice(store, bucket, small_pages):
    """Every step delivered twice still gives each document once in the archive."""
    seed_member(store)
    export.request_export(default_deps(), "ana", {})
    job = run_export(store, "ana", redeliver_every=1)
    files = archive(bucket, job)
    assert len(files["requests.json"]) == 5
    assert len(files["member.hopeLedger.json"]) == 3


def test_only_the_archive_remains_and_an_expired_job_takes_it(store, bucket, small_pages):
    """Parts are deleted once joined; deleting the job (its TTL) deletes the archive."""
    seed_member(store, requests=1)
    export.request_export(default_deps(), "ana", {})
    job = run_export(store, "ana")
    assert [blob.name for blob in bucket.list_blobs()] == [job["archivePath"]]
    before = store.proto(export_path("ana"))
    store.client.document(export_path("ana")).delete()
    store.deliver("data_export_written", store.event(export_path("ana"), before, None, at=NOW))
    assert list(bucket.list_blobs()) == []


def test_asking_again_while_running_continues_the_same_export(store, bucket):
    """A second request during an export reports the one under way."""
    seed_member(store, requests=1)
    first = export.request_export(default_deps(), "ana", {})
    again = export.request_export(default_deps(), "ana", {})
    assert again == first


@pytest.mark.parametrize(
    ("uid", "data", "error"),
    [
        (None, {}, UnauthenticatedError),
        ("bob", {"uid": "ana"}, InvalidArgumentError),
        ("bob", {"exportId": "x"}, InvalidArgumentError),
    ],
)
def test_an_export_is_only_ever_of_the_caller(store, uid, data, error):
    """Signed out, or naming anything (someone else), the call is refused and writes nothing."""
    with pytest.raises(error):
        export.request_export(default_deps(), uid, data)
    assert store.get(export_path("ana")) is None


def test_every_subcollection_of_a_member_is_exported():
    """Each subcollection the users collection declares is a source of the archive."""
    from mitche.models import Collection, collection_specs

    declared = {
        sub.path.split("/")[2] for sub in collection_specs()[Collection.USERS].subcollections
    }
    sources = {source.name for source in export.SOURCES}
    assert {f"member.{name}" for name in declared} <= sources


def consents(*, analytics: bool, leaderboards: bool) -> dict[str, Any]:
    def answer(granted: bool) -> dict[str, Any]:
        return {"granted": granted, "version": "1", "answeredAt": T0}

    return {
        "termsVersion": "2026-11",
        "termsAcceptedAt": T0,
        "analytics": answer(analytics),
        "leaderboards": answer(leaderboards),
        "updatedAt": T0,
    }


def test_withdrawn_consents_turn_the_settings_off_once(store):
    """Withdrawing both purposes sets both settings false; a redelivery writes nothing."""
    store.put("users/ana", make_user("ana"))
    after = store.put(consents_path("ana"), consents(analytics=False, leaderboards=False))
    event = store.event(consents_path("ana"), None, after, at=NOW)
    store.deliver("consents_written", event)
    privacy = store.get("users/ana")["privacy"]  # type: ignore[index]
    assert (privacy["leaderboardOptIn"], privacy["analyticsOptIn"]) == (False, False)
    written = store.client.document("users/ana").get().update_time
    store.deliver("consents_written", event)
    assert store.client.document("users/ana").get().update_time == written


def test_granted_consents_turn_the_settings_on(store):
    """Granting the leaderboards puts the member's opt-in on."""
    store.put("users/ana", make_user("ana", privacy={"leaderboardOptIn": False}))
    after = store.put(consents_path("ana"), consents(analytics=True, leaderboards=True))
    store.deliver("consents_written", store.event(consents_path("ana"), None, after, at=NOW))
    privacy = store.get("users/ana")["privacy"]  # type: ignore[index]
    assert (privacy["leaderboardOptIn"], privacy["analyticsOptIn"]) == (True, True)
