"""The application code under test: a member's notes, written and read through whichever
Firestore client acts for them (in production, the member's own signed-in client)."""

from __future__ import annotations

from typing import Any


def add_note(client: Any, uid: str, text: str) -> str:
    """Store a note for `uid`; its document ID."""
    reference = client.collection("members", uid, "notes").document()
    reference.set({"text": text, "author": uid})
    return str(reference.id)


def notes_of(client: Any, uid: str) -> list[str]:
    """The texts of `uid`'s notes, in text order."""
    documents = client.collection("members", uid, "notes").order_by("text").stream()
    return [str(document.get("text")) for document in documents]
