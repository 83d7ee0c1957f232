"""Functions are found like the Firebase CLI finds them; trigger paths bind like production."""

from __future__ import annotations

from pathlib import Path

import pytest

from firelab.functions import DocumentPattern, FunctionKind, FunctionsCodebase, load_codebase


def test_every_decorated_function_is_discovered_with_its_kind(codebase: FunctionsCodebase) -> None:
    """Each module-level function carrying a manifest entry is found and classified."""
    kinds = {name: f.kind for name, f in codebase.functions.items()}
    assert kinds == {
        "thing_created": FunctionKind.FIRESTORE,
        "thing_updated": FunctionKind.FIRESTORE,
        "thing_deleted": FunctionKind.FIRESTORE,
        "note_written": FunctionKind.FIRESTORE,
        "counter_written": FunctionKind.FIRESTORE,
        "mirror": FunctionKind.FIRESTORE,
        "whoami": FunctionKind.CALLABLE,
        "nightly": FunctionKind.SCHEDULED,
    }


def test_trigger_metadata_comes_from_the_manifest(codebase: FunctionsCodebase) -> None:
    """Event type, database, document pattern and schedule are read from the SDK's manifest."""
    note = codebase.functions["note_written"]
    assert note.event_type == "google.cloud.firestore.document.v1.written.withAuthContext"
    assert note.database == "(default)"
    assert note.document_pattern == DocumentPattern("things/{thingId}/notes/{noteId}")
    assert codebase.functions["nightly"].schedule == "every 24 hours"


def test_a_source_without_main_py_is_refused(tmp_path: Path) -> None:
    """Pointing at a directory with no main.py says so instead of finding nothing."""
    with pytest.raises(FileNotFoundError, match=r"no main\.py"):
        load_codebase(tmp_path)


@pytest.mark.parametrize(
    ("pattern", "document", "params"),
    [
        ("things/{thingId}", "things/a", {"thingId": "a"}),
        ("things/{thingId}", "things/a/notes/b", None),
        ("things/{thingId}", "others/a", None),
        ("things/fixed", "things/fixed", {}),
        ("things/*", "things/x", {}),
        ("things/{thingId}/notes/{noteId}", "things/a/notes/b", {"thingId": "a", "noteId": "b"}),
        ("logs/{rest=**}", "logs/a/b/c", {"rest": "a/b/c"}),
        ("logs/{rest=**}", "logs/a", {"rest": "a"}),
        ("{coll}/{doc}/{sub=**}", "x/y/z/w", {"coll": "x", "doc": "y", "sub": "z/w"}),
        ("{a=**}/end/{b}", "p/q/end/r", {"a": "p/q", "b": "r"}),
    ],
)
def test_document_patterns_bind_wildcards(
    pattern: str, document: str, params: dict[str, str] | None
) -> None:
    """Wildcards bind single segments, `=**` binds the rest of the path."""
    assert DocumentPattern(pattern).match(document) == params


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("a/{x=**}/b/{y=**}", "more than one multi-segment"),
        ("a/{x=y}", "unsupported wildcard"),
        ("a//b", "invalid segment"),
    ],
)
def test_malformed_patterns_are_refused(pattern: str, message: str) -> None:
    """A pattern the production trigger service would refuse fails at load time."""
    with pytest.raises(ValueError, match=message):
        DocumentPattern(pattern)
