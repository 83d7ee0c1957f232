"""How the `Authorization` header names the caller (auth.json `classify`, read directly)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firelab.server import ANONYMOUS, identify
from firelab.server.core import Code, FirestoreError
from firelab.tokens import mock_id_token

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
CLASSIFY = json.loads((ORACLE / "auth.json").read_text("utf-8"))["classify"]


@pytest.mark.parametrize("case", CLASSIFY, ids=[case["name"] for case in CLASSIFY])
def test_header_classification_matches_the_emulator(case):
    """Each recorded header is an owner (200), an end user (403) or an error (400/500)."""
    status = case["outcome"]["status"]
    if status in (200, 403):
        identity = identify(case["authorization"])
        assert identity.owner is (status == 200)
        return
    with pytest.raises(FirestoreError) as raised:
        identify(case["authorization"])
    if status == 400:
        assert (raised.value.code, raised.value.message) == (Code.INVALID_ARGUMENT, "invalid jwt")
    else:
        assert (raised.value.code, raised.value.message) == (Code.UNKNOWN, "")


def test_no_header_is_an_unauthenticated_caller():
    """Without a header the caller is anonymous: no claims, not an owner."""
    assert identify(None) == ANONYMOUS
    assert not identify(None).authenticated


def test_a_mock_token_carries_its_user_and_claims():
    """An unsigned JWT made by `mock_id_token` reads back as that user with its claims."""
    token = mock_id_token("alice", project="demo-x", admin=True, email="a@x.org")
    identity = identify(f"Bearer {token}")
    assert not identity.owner
    assert identity.uid == "alice"
    assert identity.claims is not None
    assert (identity.claims["admin"], identity.claims["email"]) == (True, "a@x.org")


def _outcome(header: str) -> str:
    try:
        identity = identify(header)
    except FirestoreError as error:
        return error.code.name
    return "owner" if identity.owner else "user"


@given(st.text() | st.text().map("Bearer ".__add__))
def test_any_header_is_classified_or_refused_with_a_status(header):
    """No header value makes identification fail with anything but a FirestoreError."""
    assert _outcome(header) in ("owner", "user", "INVALID_ARGUMENT", "UNKNOWN")
