"""Behaviours of Firestore the rules rely on, checked on the server the suites run against:
server timestamps equal request.time (`createdAt == request.time`), and an `in` filter is
judged value by value. Both once failed on the local server (fixed in firelab 003361d)."""

from __future__ import annotations

import pytest
from google.api_core.exceptions import PermissionDenied
from google.cloud.firestore import FieldFilter

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


def test_a_server_timestamp_equals_request_time(firestore_server):
    """A document created with a server timestamp satisfies `at == request.time`."""
    assert stamps_request_time(firestore_server)


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
