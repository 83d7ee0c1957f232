"""Behaviours of the local server that the rules suites depend on and that differ from
Firestore: each test is the minimal reproduction of an issue, expected to fail until firelab
is fixed (strict, so a fix shows up as a failure asking to drop the marker)."""

from __future__ import annotations

import pytest
from google.api_core.exceptions import PermissionDenied
from google.cloud.firestore import FieldFilter

from .conftest import SERVER_TIME_BUG
from .harness import stamps_request_time

IN_RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /posts/{id} {
      allow list: if resource.data.state in ['pending', 'approved'];
    }
  }
}
"""


@pytest.mark.xfail(reason=SERVER_TIME_BUG, strict=True)
def test_a_server_timestamp_equals_request_time(firestore_server):
    """A document created with a server timestamp satisfies `at == request.time`."""
    assert stamps_request_time(firestore_server)


@pytest.mark.xfail(
    reason="firelab: the server hands `in` filter values to the rules engine as a protobuf "
    "array, which the engine's query analysis does not split into one branch per value",
    strict=True,
)
def test_an_in_filter_is_judged_value_by_value(firestore_server):
    """`where(state in [pending, approved])` is allowed by a rule that accepts both states
    (https://firebase.google.com/docs/firestore/security/rules-query: each comparison value
    of an `in` must meet the rule's constraints)."""
    project = "demo-mitche-rules-in"
    firestore_server.load_rules(IN_RULES, project=project)
    client = firestore_server.user_client("prober", {}, project=project)
    query = client.collection("posts").where(
        filter=FieldFilter("state", "in", ["pending", "approved"])
    )
    try:
        list(query.stream())
    except PermissionDenied:
        pytest.fail("the query was denied")
