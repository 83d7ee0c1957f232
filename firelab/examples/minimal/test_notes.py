"""Each member keeps their own notes; nobody else reads or writes them."""

from __future__ import annotations

import pytest
from google.api_core.exceptions import PermissionDenied
from notes import add_note, notes_of

pytestmark = pytest.mark.usefixtures("firestore_clear")


def test_a_member_adds_notes_and_reads_them_back(user_client):
    """Alice's notes come back to her, in order."""
    alice = user_client("alice")
    add_note(alice, "alice", "water the plants")
    add_note(alice, "alice", "call grandma")
    assert notes_of(alice, "alice") == ["call grandma", "water the plants"]


def test_another_member_cannot_read_them(user_client):
    """Mallory asking for Alice's notes is refused, not given an empty list."""
    add_note(user_client("alice"), "alice", "my secret")
    with pytest.raises(PermissionDenied):
        notes_of(user_client("mallory"), "alice")


def test_nobody_writes_a_note_in_someone_elses_name(user_client):
    """Mallory cannot slip a note into Alice's list."""
    with pytest.raises(PermissionDenied):
        add_note(user_client("mallory"), "alice", "you owe me money")


def test_a_signed_out_visitor_cannot_write(anonymous_client):
    """Without a sign-in there is nobody to own a note."""
    with pytest.raises(PermissionDenied):
        add_note(anonymous_client, "alice", "hello")


def test_an_empty_note_is_refused(user_client):
    """The rules validate what members write: an empty text is not a note."""
    with pytest.raises(PermissionDenied):
        add_note(user_client("alice"), "alice", "")


def test_an_administrator_sees_every_note(user_client, owner_client):
    """Server code (rules bypassed) reads what members wrote."""
    add_note(user_client("alice"), "alice", "from alice")
    assert notes_of(owner_client, "alice") == ["from alice"]
