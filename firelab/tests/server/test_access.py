"""Access decisions through the wire: which requests reach the policy, as whom, and what a
denial looks like to each client. Rules themselves are `firelab.rules`' concern; here the
policy is a plain `AccessPolicy` written for the test."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

import pytest
from google.api_core import exceptions
from google.cloud import firestore

from firelab.server import AccessRequest, Decision, Operation


@dataclass
class OwnDocumentsOnly:
    """Users may read anything and write only `users/{their uid}`; every request is kept."""

    seen: list[AccessRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def decide(self, request: AccessRequest) -> Decision:
        with self.lock:
            self.seen.append(request)
        if request.operation in (Operation.GET, Operation.LIST):
            return Decision(True)
        uid = request.identity.uid
        allowed = uid is not None and request.name.endswith(f"/documents/users/{uid}")
        return Decision(allowed, "" if allowed else f"false for '{request.operation}'")


@pytest.fixture
def policy(firestore_server):
    """A fresh project whose non-owner requests `OwnDocumentsOnly` decides."""
    if firestore_server.local is None:
        pytest.fail("needs the in-process server (FIRESTORE_EMULATOR_HOST is set)")
    project = f"access-{uuid.uuid4().hex[:8]}"
    decider = OwnDocumentsOnly()
    firestore_server.local.access.set_policy(decider, project)
    return project, decider


def test_user_clients_carry_their_identity_and_claims(firestore_server, policy):
    """A user client's calls reach the policy as that user, with the token's claims."""
    project, decider = policy
    alice = firestore_server.user_client("alice", {"role": "editor"}, project=project)
    alice.document("users/alice").set({"n": 1})
    write = next(r for r in decider.seen if r.operation == Operation.CREATE)
    assert write.identity.uid == "alice"
    assert write.identity.claims is not None
    assert write.identity.claims["role"] == "editor"
    assert write.request_resource.fields["n"].integer_value == 1


def test_a_user_is_refused_what_the_policy_forbids(firestore_server, policy):
    """Writing someone else's document is PERMISSION_DENIED; nothing is written."""
    project, _ = policy
    bob = firestore_server.user_client("bob", project=project)
    with pytest.raises(exceptions.PermissionDenied, match="false for 'create'"):
        bob.document("users/alice").set({"n": 2})
    owner = firestore_server.owner_client(project=project)
    assert not owner.document("users/alice").get().exists


def test_a_signed_out_visitor_has_no_identity(firestore_server, policy):
    """Anonymous calls reach the policy without claims and are refused writes."""
    project, decider = policy
    visitor = firestore_server.user_client(None, project=project)
    assert not visitor.document("users/x").get().exists
    with pytest.raises(exceptions.PermissionDenied):
        visitor.document("users/x").set({"n": 1})
    assert all(request.identity.claims is None for request in decider.seen)


def test_owners_bypass_the_policy(firestore_server, policy):
    """Owner clients (Admin SDK, rules disabled) never reach the policy."""
    project, decider = policy
    owner = firestore_server.owner_client(project=project)
    owner.document("users/anyone").set({"n": 1})
    assert owner.document("users/anyone").get().exists
    assert decider.seen == []


def test_queries_batches_and_transactions_are_decided_whole(firestore_server, policy):
    """A batch with one forbidden write fails as a whole; a transaction too."""
    project, decider = policy
    alice = firestore_server.user_client("alice", project=project)
    batch = alice.batch()
    batch.set(alice.document("users/alice"), {"n": 1})
    batch.set(alice.document("users/bob"), {"n": 1})
    with pytest.raises(exceptions.PermissionDenied):
        batch.commit()
    assert not alice.document("users/alice").get().exists

    @firestore.transactional
    def move(transaction):
        transaction.get(alice.document("users/alice"))
        transaction.set(alice.document("users/bob"), {"n": 2})

    with pytest.raises(exceptions.PermissionDenied):
        move(alice.transaction())
    listed = [doc.id for doc in alice.collection("users").stream()]
    assert listed == []
    assert any(r.operation == Operation.LIST and r.name.endswith("/users") for r in decider.seen)


async def test_async_user_clients_are_decided_too(firestore_server, policy):
    """AsyncClient user clients carry their token as well."""
    project, decider = policy
    carol = firestore_server.user_client("carol", project=project, asynchronous=True)
    await carol.document("users/carol").set({"n": 1})
    with pytest.raises(exceptions.PermissionDenied):
        await carol.document("users/dave").set({"n": 1})
    assert {r.identity.uid for r in decider.seen} == {"carol"}
