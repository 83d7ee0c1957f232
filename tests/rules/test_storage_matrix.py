"""The Storage access matrix (testdata/storage_matrix.txt), each cell evaluated against
storage.rules by the firelab.rules engine, with the world's documents behind firestore.get()
and firestore.exists(); and the coverage of storage.rules by the matrix."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

from firelab.rules import Auth, InMemoryDocuments, Rules, RulesRequest
from mitche.models import MitcheModel

from .matrix import COLUMNS
from .world import ACTORS, Actor, world

MATRIX_FILE: Final = Path(__file__).parent / "testdata" / "storage_matrix.txt"
RULES_FILE: Final = Path(__file__).resolve().parents[2] / "storage.rules"
NOW: Final = dt.datetime.now(dt.UTC)
_TYPES: Final = {".jpg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}
_EXISTING_SIZE: Final = 120_000


@dataclass(frozen=True, slots=True)
class StorageCell:
    """One actor performing one row's operation on one object."""

    operation: str
    object_path: str
    upload: tuple[str, int] | None
    actor: Actor
    expected: bool

    @property
    def id(self) -> str:
        """Test id: `create uploads/{me}/avatars/me.jpg | owner`."""
        return f"{self.operation} {self.object_path} | {self.actor.name}"


def _cells() -> list[StorageCell]:
    actors = {actor.name: actor for actor in ACTORS}
    found: list[StorageCell] = []
    header: list[str] = []
    for line in MATRIX_FILE.read_text(encoding="utf-8").splitlines():
        if line.startswith("# op"):
            header = [COLUMNS[name] for name in line.split("|")[3].split()]
        if not line.strip() or line.startswith("#"):
            continue
        operation, object_path, upload, marks = (part.strip() for part in line.split("|"))
        sent = None
        if upload:
            content_type, size = upload.split()
            sent = (content_type, int(size))
        for name, mark in zip(header, marks.split(), strict=True):
            found.append(StorageCell(operation, object_path, sent, actors[name], mark == "A"))
    return found


CELLS: Final = _cells()


def _documents() -> InMemoryDocuments:
    data = {
        path: document.to_firestore() if isinstance(document, MitcheModel) else document
        for path, document in world(NOW).items()
    }
    return InMemoryDocuments(before=data)


def _request(cell: StorageCell) -> RulesRequest:
    path = cell.object_path.replace("{me}", cell.actor.uid or "visitor")
    stored = {
        "name": path,
        "size": _EXISTING_SIZE,
        "contentType": _TYPES.get(Path(path).suffix, "image/jpeg"),
    }
    sent = None
    if cell.upload is not None:
        sent = {"name": path, "contentType": cell.upload[0], "size": cell.upload[1]}
    auth = None if cell.actor.uid is None else Auth(cell.actor.uid, cell.actor.claims)
    return RulesRequest(
        service="firebase.storage",
        method=cell.operation,  # type: ignore[arg-type]
        path=path,
        auth=auth,
        time=NOW,
        resource=stored if cell.operation in ("get", "update", "delete") else None,
        request_resource=sent,
    )


@pytest.fixture(scope="module")
def rules() -> Rules:
    """storage.rules, parsed once."""
    return Rules.from_file(RULES_FILE)


@pytest.fixture(scope="module")
def documents() -> InMemoryDocuments:
    """The world, as firestore.get() sees it from Storage rules."""
    return _documents()


def test_every_actor_and_operation_appears():
    """The matrix has every actor, and reads, lists, uploads, replacements and deletions."""
    assert {cell.actor.name for cell in CELLS} == set(COLUMNS.values())
    assert {cell.operation for cell in CELLS} == {"get", "list", "create", "update", "delete"}
    folders = {cell.object_path.split("/")[2] for cell in CELLS if cell.object_path.count("/") > 2}
    assert {"avatars", "requests", "messages", "events", "resources", "stories"} <= folders


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_cell(cell, rules, documents):
    """storage.rules allows exactly what the matrix marks A."""
    decision = rules.evaluate(_request(cell), documents)
    assert decision.allowed is cell.expected, decision.explain()


def test_every_allow_condition_was_both_granted_and_refused(rules, documents, capsys):
    """Over the matrix, each allow of storage.rules came out true for some request and false
    for another."""
    coverage = rules.coverage()
    for cell in CELLS:
        rules.evaluate(_request(cell), documents, coverage=coverage)
    report = coverage.to_dict()
    allows = report["allows"]
    with capsys.disabled():
        both = sum(1 for allow in allows if allow["true"] and allow["false"])
        print(
            f"\nstorage.rules coverage: {both}/{len(allows)} allow conditions evaluated both "
            "true and false"
        )
    assert [allow["line"] for allow in allows if not (allow["true"] and allow["false"])] == []
