"""Security Rules enforced through the wire: loaded through the emulator endpoint, judged by
`firelab.rules` for every caller but owners, with the emulator's denial wording.

The access matrix is data: actors (owner, alice, bob, a signed-out visitor) against operations
on a small ruleset, each allowed or denied.
"""

from __future__ import annotations

import json
import time
import uuid

import httpx
import pytest
from google.api_core import exceptions
from google.cloud import firestore

RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    // Signed-in users read posts; authors write their own.
    match /posts/{post} {
      allow read: if request.auth != null;
      allow create: if request.auth != null && request.resource.data.author == request.auth.uid;
      allow update, delete: if request.auth != null && resource.data.author == request.auth.uid;
    }
    // Each user alone reads and writes their private document.
    match /private/{uid} {
      allow read, write: if request.auth != null && request.auth.uid == uid;
    }
  }
}
"""


@pytest.fixture
def project(firestore_server):
    """A fresh project with RULES loaded and two posts and a private document seeded."""
    name = f"rules-{uuid.uuid4().hex[:8]}"
    firestore_server.load_rules(RULES, project=name)
    owner = firestore_server.owner_client(project=name)
    owner.document("posts/by-alice").set({"author": "alice", "text": "hi"})
    owner.document("posts/by-bob").set({"author": "bob", "text": "yo"})
    owner.document("private/alice").set({"secret": 1})
    return name


def _client(server, actor, project):
    if actor == "owner":
        return server.owner_client(project=project)
    return server.user_client(None if actor == "visitor" else actor, project=project)


OPERATIONS = {
    "read a post": lambda db: db.document("posts/by-alice").get(),
    "create own post": lambda db: db.document("posts/new").set({"author": "alice"}),
    "update alice's post": lambda db: db.document("posts/by-alice").update({"text": "edited"}),
    "delete bob's post": lambda db: db.document("posts/by-bob").delete(),
    "read alice's private": lambda db: db.document("private/alice").get(),
    "list posts": lambda db: list(db.collection("posts").stream()),
    "list every private": lambda db: list(db.collection("private").stream()),
    "query alice's posts": lambda db: list(
        db.collection("posts").where(filter=firestore.FieldFilter("author", "==", "alice")).stream()
    ),
}

MATRIX = {
    #                        owner  alice  bob    visitor
    "read a post": (True, True, True, False),
    "create own post": (True, True, False, False),
    "update alice's post": (True, True, False, False),
    "delete bob's post": (True, False, True, False),
    "read alice's private": (True, True, False, False),
    "list posts": (True, True, True, False),
    "list every private": (True, False, False, False),
    "query alice's posts": (True, True, True, False),
}
ACTORS = ("owner", "alice", "bob", "visitor")
CASES = [
    pytest.param(operation, actor, allowed[index], id=f"{actor}: {operation}")
    for operation, allowed in MATRIX.items()
    for index, actor in enumerate(ACTORS)
]


@pytest.mark.parametrize(("operation", "actor", "allowed"), CASES)
def test_the_access_matrix(firestore_server, project, operation, actor, allowed):
    """Each actor may do exactly what the rules grant; owners bypass the rules."""
    db = _client(firestore_server, actor, project)
    if allowed:
        OPERATIONS[operation](db)
    else:
        with pytest.raises(exceptions.PermissionDenied):
            OPERATIONS[operation](db)


def test_a_denial_names_the_rule_that_said_no(firestore_server, project):
    """The message has the emulator's form: `false for 'create' @ L<line>`."""
    bob = firestore_server.user_client("bob", project=project)
    with pytest.raises(exceptions.PermissionDenied) as raised:
        bob.document("posts/forged").set({"author": "alice"})
    assert raised.value.message == "false for 'create' @ L7"


def test_a_batch_with_one_forbidden_write_writes_nothing(firestore_server, project):
    """Batches are judged whole: alice's own post and bob's post fail together."""
    alice = firestore_server.user_client("alice", project=project)
    batch = alice.batch()
    batch.set(alice.document("posts/mine"), {"author": "alice"})
    batch.delete(alice.document("posts/by-bob"))
    with pytest.raises(exceptions.PermissionDenied):
        batch.commit()
    owner = firestore_server.owner_client(project=project)
    assert not owner.document("posts/mine").get().exists
    assert owner.document("posts/by-bob").get().exists


def test_a_listener_is_refused_what_reads_are_refused(firestore_server, project):
    """A snapshot listener on a forbidden query gets no snapshot and stops."""
    visitor = firestore_server.user_client(None, project=project)
    snapshots = []
    watch = visitor.collection("posts").on_snapshot(
        lambda docs, changes, read_time: snapshots.append(docs)
    )
    deadline = time.monotonic() + 5
    while watch.is_active and time.monotonic() < deadline:
        time.sleep(0.05)
    watch.unsubscribe()
    assert snapshots == []
    assert not watch.is_active


def test_rules_with_a_syntax_error_are_reported_with_positions(firestore_server):
    """A broken file is answered with issues (line, column, description) and not loaded."""
    project = f"rules-{uuid.uuid4().hex[:8]}"
    body = {
        "rules": {"files": [{"name": "firestore.rules", "content": "service cloud.firestore {"}]}
    }
    response = httpx.put(
        f"http://{firestore_server.host}/emulator/v1/projects/{project}:securityRules",
        content=json.dumps(body),
    )
    assert response.status_code == 200
    issue = response.json()["issues"][0]
    assert issue["severity"] == "ERROR"
    assert issue["sourcePosition"]["fileName"] == "firestore.rules"
    assert issue["sourcePosition"]["line"] == 1
    owner = firestore_server.user_client("x", project=project)
    owner.document("c/d").set({"n": 1})


def test_coverage_reports_what_was_evaluated(firestore_server, project):
    """`:ruleCoverage` counts evaluations; `:ruleCoverage.html` annotates the source."""
    alice = firestore_server.user_client("alice", project=project)
    alice.document("posts/by-alice").get()
    base = f"http://{firestore_server.host}/emulator/v1/projects/{project}"
    report = httpx.get(f"{base}:ruleCoverage")
    assert report.status_code == 200
    assert report.json()
    page = httpx.get(f"{base}:ruleCoverage.html")
    assert page.status_code == 200
    assert "<title>Rule coverage: firestore.rules</title>" in page.text
