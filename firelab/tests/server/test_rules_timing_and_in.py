"""Two things rules see on the local server exactly as on Firestore: a write's `request.time`
is the instant its server timestamps take, and an `in` filter is judged value by value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from google.api_core.exceptions import PermissionDenied
from google.cloud.firestore import SERVER_TIMESTAMP, FieldFilter

RULES = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /stamps/{id} {
      allow create: if request.resource.data.at == request.time;
    }
    match /posts/{id} {
      allow list: if resource.data.state in ['pending', 'approved'];
    }
  }
}
"""


@pytest.fixture
def client(firestore_server: Any) -> Any:
    project = "demo-rules-timing"
    firestore_server.load_rules(RULES, project=project)
    return firestore_server.user_client("prober", {}, project=project)


def test_a_server_timestamp_equals_request_time(client: Any) -> None:
    """`request.resource.data.at == request.time` holds for `at: serverTimestamp()`."""
    client.document("stamps/a").create({"at": SERVER_TIMESTAMP})


def test_a_client_clock_is_not_request_time(client: Any) -> None:
    """A timestamp the client picked is not the request's time, so the same rule refuses it."""
    with pytest.raises(PermissionDenied):
        client.document("stamps/b").create({"at": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)})


def test_an_in_filter_within_the_allowed_values_is_allowed(client: Any) -> None:
    """Each value of an `in` meets the rule, so the query is allowed."""
    query = client.collection("posts").where(
        filter=FieldFilter("state", "in", ["pending", "approved"])
    )
    assert list(query.stream()) == []


def test_an_in_filter_with_one_forbidden_value_is_denied(client: Any) -> None:
    """One value the rule does not accept makes the whole query denied."""
    query = client.collection("posts").where(
        filter=FieldFilter("state", "in", ["pending", "rejected"])
    )
    with pytest.raises(PermissionDenied):
        list(query.stream())
