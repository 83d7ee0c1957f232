"""Account erasure against real local Firestore and Storage servers: the job moves itself
through its phases, the member's documents and files go, what others depend on is anonymised,
and the scan finds nothing of the member but the tombstones."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from google.cloud import storage as gcs
from google.cloud.firestore_v1 import GeoPoint

from firelab.storage import StorageServer
from mitche.errors import FailedPreconditionError, InvalidArgumentError, UnauthenticatedError
from mitche.handlers import _erasure as erasure
from mitche.handlers import default_deps
from mitche.models import AUDIT_ENTRIES, ERASURES, erasure_path
from mitche.triggers import privacy
from tests.mitche.handlers.factories import T0, make_request

from .conftest import NOW, PROJECT, Store

BUCKET = f"{PROJECT}.appspot.com"
ANA = "uAnaQ7x91"
BEN = "uBenW3k55"
ALIAS = "Quiet Heron 42"
EMAIL = "ana.lopez@example.org"
SIGNED_IN_NOW = {"auth_time": int(NOW.timestamp()) - 60}


class RecordingAuthentication:
    """The Authentication operations an erasure performs, recorded (`AuthenticationAccounts`)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def disable(self, uid: str) -> None:
        self.calls.append(("disable", uid))

    def delete(self, uid: str) -> None:
        self.calls.append(("delete", uid))


@pytest.fixture(scope="module")
def storage_server() -> Iterator[StorageServer]:
    with StorageServer(project=PROJECT) as running:
        yield running


@pytest.fixture
def bucket(
    store: Store, storage_server: StorageServer, monkeypatch: pytest.MonkeyPatch
) -> Iterator[gcs.Bucket]:
    monkeypatch.setenv("STORAGE_EMULATOR_HOST", storage_server.url)
    monkeypatch.setenv("STORAGE_BUCKET", BUCKET)
    storage_server.reset()
    client = gcs.Client(project=PROJECT)
    yield client.bucket(BUCKET)
    client.close()


@pytest.fixture
def authentication(monkeypatch: pytest.MonkeyPatch) -> RecordingAuthentication:
    recording = RecordingAuthentication()
    monkeypatch.setattr(privacy, "_authentication", lambda: recording)
    return recording


def member(uid: str, alias: str) -> dict[str, Any]:
    return {
        "profile": {"displayName": "Someone", "anonymousAlias": alias},
        "privacy": {"leaderboardOptIn": True},
        "createdAt": T0,
        "updatedAt": T0,
    }


def seed(store: Store, bucket: gcs.Bucket) -> None:
    """Ana, her private documents and content; Ben, who talked with her and helped her; each
    blocked the other once (Ben's block of Ana names her, so it goes with her); Ana also
    moderated."""
    store.put(f"users/{ANA}", member(ANA, ALIAS))
    store.put(f"users/{BEN}", member(BEN, "Bright Otter 7"))
    store.put(
        f"users/{ANA}/private/identity",
        {
            "legalName": "Ana Lopez",
            "email": EMAIL,
            "phone": "+33612345678",
            "home": {"point": GeoPoint(48.85661, 2.35222), "address": "3 rue X"},
            "updatedAt": T0,
        },
    )
    store.put(f"users/{ANA}/hopeLedger/e1", {"amount": 10, "createdAt": T0})
    store.put("systemSettings/aliases/claims/quietheron42", {"ownerId": ANA, "claimedAt": T0})
    store.put(
        "conversations/c1",
        {
            "participantIds": [ANA, BEN],
            "createdBy": ANA,
            "participantState": {ANA: {"lastReadAt": T0}, BEN: {"lastReadAt": T0}},
        },
    )
    store.put(
        "messages/m1",
        {"conversationId": "c1", "participantIds": [ANA, BEN], "senderId": ANA, "text": "Hello"},
    )
    store.put(
        "messages/m2",
        {"conversationId": "c1", "participantIds": [ANA, BEN], "senderId": BEN, "text": "Hi!"},
    )
    store.put(*make_request(ANA, "lonely"))
    path, helped = make_request(ANA, "helped")
    store.put(path, {**helped.to_firestore(), "acceptedHelperIds": [BEN]})
    for request in ("lonely", "helped"):
        store.put(f"requests/{request}/private/location", {"point": GeoPoint(48.85661, 2.35222)})
    # Ben reported her request: the case names her (since migration 0015); a report stored
    # before it still names her on the report itself.
    report = {"reporterId": BEN, "targetType": "request", "targetPath": "requests/helped"}
    store.put("reports/rp1", report)
    store.put("reports/rp1/private/case", {"status": "open", "targetOwnerId": ANA})
    store.put("reports/rp0", {**report, "targetPath": "requests/lonely", "targetOwnerId": ANA})
    store.put(f"resources/r1/reviews/{ANA}", {"authorId": ANA, "rating": 5})
    store.put(f"users/{BEN}/blocks/{ANA}", {"memberId": ANA, "createdAt": T0})
    # Ana also moderates: a case assigned to her and decided by her, its log, a provider
    # application she decided and the moderation settings she last changed.
    store.put(
        "reports/rp1/private/case",
        {
            "status": "resolved",
            "assignedModeratorId": ANA,
            "resolution": {"action": "warn", "resolvedBy": ANA, "resolvedAt": T0},
        },
    )
    store.put("reports/rp1/actions/a1", {"kind": "resolved", "actorId": ANA, "at": T0})
    store.put("resources/r1/private/providerApplication", {"status": "verified", "decidedBy": ANA})
    store.put("systemSettings/moderation", {"keywords": [], "updatedBy": ANA})
    store.put(f"users/{ANA}/blocks/{BEN}", {"memberId": BEN, "createdAt": T0})
    store.put(f"communityEvents/e1/registrations/{ANA}", {"userId": ANA})
    store.put(
        f"{AUDIT_ENTRIES}/a1",
        {
            "actor": ANA,
            "actorRole": "member",
            "action": "privacy.export",
            "target": store.client.document(f"users/{ANA}/private/export"),
            "at": T0,
        },
    )
    for name in (f"uploads/{ANA}/avatars/me.jpg", f"exports/{ANA}/x1/mitche-export.zip"):
        bucket.blob(name).upload_from_string(b"x")
    bucket.blob(f"uploads/{BEN}/avatars/me.jpg").upload_from_string(b"x")


def run_erasure(store: Store, erasure_id: str, *, twice: bool = False) -> dict[str, Any]:
    """Deliver the job's writes to `account_erasure_written` until it is done."""
    path = erasure_path(erasure_id)
    for n in range(200):
        job = store.get(path)
        assert job is not None
        if job["phase"] == "done":
            return job
        event = store.event(path, None, store.proto(path), event_id=f"evt-{n}", at=NOW)
        store.deliver("account_erasure_written", event)
        if twice:
            store.deliver("account_erasure_written", event)
    raise AssertionError("the erasure did not finish in 200 steps")


NEEDLES = {
    "uid": ANA,
    "email": EMAIL,
    "alias": ALIAS,
    "legal name": "Ana Lopez",
    "phone": "+33612345678",
    "exact location": "48.85661,2.35222",
}


def test_the_scan_finds_every_kind_of_trace_before_the_erasure(store, bucket):
    """Before an erasure the scan reports each needle (so an empty scan means something)."""
    seed(store, bucket)
    found = erasure.scan_for_member(store.client, bucket, NEEDLES)
    assert {finding.what for finding in found} == set(NEEDLES)
    assert f"exports/{ANA}/x1/mitche-export.zip" in {finding.where for finding in found}


@pytest.mark.parametrize("twice", [False, True], ids=["once", "every step delivered twice"])
def test_an_erasure_leaves_nothing_of_the_member_but_tombstones(
    store, bucket, authentication, twice
):
    """After the erasure the scan finds none of ana's uid, email, alias, identity or exact
    location in any document or file except the deletion record; her Authentication account
    was disabled, then deleted."""
    seed(store, bucket)
    started = erasure.erase_account(default_deps(), ANA, SIGNED_IN_NOW, {})
    record = run_erasure(store, started["erasureId"], twice=twice)
    assert erasure.scan_for_member(store.client, bucket, NEEDLES) == []
    assert ("disable", ANA) in authentication.calls
    assert authentication.calls[-1] == ("delete", ANA)
    assert set(record) >= {"erasureId", "tombstone", "changed", "files", "completedAt"}
    assert "uid" not in record
    assert record["files"] == 2
    entries = [entry.to_dict() for entry in store.client.collection(AUDIT_ENTRIES).stream()]
    assert {entry["actor"] for entry in entries} == {record["tombstone"]}
    targets = {entry["target"].path for entry in entries}
    assert f"users/{record['tombstone']}/private/export" in targets
    assert [blob.name for blob in bucket.list_blobs()] == [f"uploads/{BEN}/avatars/me.jpg"]


def summary(out: str) -> Any:
    """The command's JSON summary (log lines, one JSON object each, come before it)."""
    return json.loads(out[out.index("{\n") :])


def test_the_operator_command_reports_the_scan(store, bucket, authentication, capsys):
    """`python -m mitche.commands scan-member` says clean after the erasure, and names what it
    finds before it."""
    from mitche.commands import main

    seed(store, bucket)
    args = ["scan-member", "--uid", ANA, "--email", EMAIL, "--alias", ALIAS, "--bucket", BUCKET]
    assert main(args, deps=default_deps()) == 0
    before = summary(capsys.readouterr().out)
    assert before["clean"] is False
    assert {"where": f"users/{ANA}", "what": "uid"} in before["findings"]
    started = erasure.erase_account(default_deps(), ANA, SIGNED_IN_NOW, {})
    run_erasure(store, started["erasureId"])
    assert main(args, deps=default_deps()) == 0
    after = summary(capsys.readouterr().out)
    assert (after["clean"], after["findings"]) == (True, [])


def test_bens_conversation_still_reads_with_the_tombstone(store, bucket, authentication):
    """Ben's conversation and both messages remain; ana is the tombstone in them, her text
    kept (the documented policy); his request history keeps the request he helped on."""
    seed(store, bucket)
    started = erasure.erase_account(default_deps(), ANA, SIGNED_IN_NOW, {})
    tombstone = run_erasure(store, started["erasureId"])["tombstone"]
    conversation = store.get("conversations/c1")
    assert conversation is not None
    assert conversation["participantIds"] == [tombstone, BEN]
    assert set(conversation["participantState"]) == {tombstone, BEN}
    first = store.get("messages/m1")
    assert first is not None
    assert (first["senderId"], first["text"]) == (tombstone, "Hello")
    helped = store.get("requests/helped")
    assert helped is not None
    assert helped["requesterId"] == tombstone
    assert store.get("requests/lonely") is None
    assert store.get("requests/helped/private/location") is None
    assert store.get(f"users/{BEN}") is not None


@pytest.mark.parametrize(
    ("uid", "claims", "data", "error"),
    [
        (None, {}, {}, UnauthenticatedError),
        (
            ANA,
            {"auth_time": int((NOW - dt.timedelta(minutes=6)).timestamp())},
            {},
            FailedPreconditionError,
        ),
        (ANA, {}, {}, FailedPreconditionError),
        (BEN, SIGNED_IN_NOW, {"uid": ANA}, InvalidArgumentError),
    ],
    ids=["signed out", "signed in 6 minutes ago", "no sign-in time", "naming someone else"],
)
def test_an_erasure_needs_a_recent_sign_in_and_is_only_of_the_caller(
    store, uid, claims, data, error
):
    """Refused calls record no erasure."""
    with pytest.raises(error):
        erasure.erase_account(default_deps(), uid, claims, data)
    assert list(store.client.collection(ERASURES).stream()) == []


def test_asking_again_continues_the_same_erasure(store, bucket):
    """A second call during an erasure returns the one under way."""
    seed(store, bucket)
    first = erasure.erase_account(default_deps(), ANA, SIGNED_IN_NOW, {})
    again = erasure.erase_account(default_deps(), ANA, SIGNED_IN_NOW, {})
    assert again == first


def test_anonymised_replaces_the_uid_wherever_it_appears():
    """Strings, path segments, array items and map keys equal to the uid become the
    tombstone; others stay."""
    data = {
        "a": ANA,
        "b": [ANA, BEN],
        "c": {ANA: 1, "x": {"y": ANA}},
        "d": f"{ANA}-not-equal",
        "e": f"users/{ANA}/private/export",
    }
    assert erasure.anonymised(data, ANA, "erased-1") == {
        "a": "erased-1",
        "b": ["erased-1", BEN],
        "c": {"erased-1": 1, "x": {"y": "erased-1"}},
        "d": f"{ANA}-not-equal",
        "e": "users/erased-1/private/export",
    }


def test_a_stalled_erasure_is_moved_again_by_the_schedule(store, bucket, authentication):
    """The member cannot ask again once disabled: an erasure whose last step is older than
    the cutoff is touched (its step runs again); a fresh one and a finished one are not."""
    seed(store, bucket)
    started = erasure.erase_account(default_deps(), ANA, SIGNED_IN_NOW, {})
    path = erasure_path(started["erasureId"])
    assert erasure.resume_stalled_erasures(default_deps(), NOW) == ()
    later = NOW + erasure.STALLED_AFTER + dt.timedelta(minutes=1)
    assert erasure.resume_stalled_erasures(default_deps(), later) == (started["erasureId"],)
    assert (store.get(path) or {})["updatedAt"] == later
    run_erasure(store, started["erasureId"])
    much_later = later + 10 * erasure.STALLED_AFTER
    assert erasure.resume_stalled_erasures(default_deps(), much_later) == ()
