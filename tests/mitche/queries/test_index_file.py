"""firestore.indexes.json is generated from the catalog, is current, holds no index that no
catalog query needs, stays within Firestore's limits, and documents its TTL policies."""

from __future__ import annotations

import dataclasses
from typing import Final

import pytest

import mitche.queries
from firelab.indexes import IndexFile, compile_structured_query, missing_index
from mitche.queries import CATALOG, structured_query
from mitche_dev.indexgen import (
    candidates,
    collection_group_models,
    generated_text,
    main,
    plan_indexes,
)

from .conftest import INDEX_FILE, make_client
from .fields import has_field

MAX_COMPOSITE_INDEXES: Final = 200
"""Firestore's limit of composite indexes per database (without billing raised)."""
MAX_FIELD_OVERRIDES: Final = 200
"""Firestore's limit of single-field index configurations (exemptions) per database."""

COMMITTED: Final = IndexFile.read(INDEX_FILE)
CLIENT: Final = make_client("127.0.0.1:1")  # builds protobufs only; never connects


def _compiled():
    return {
        name: compile_structured_query(*structured_query(CLIENT, q)) for name, q in CATALOG.items()
    }


COMPILED: Final = _compiled()


def _needing(file: IndexFile) -> list[str]:
    """Catalog queries production would refuse with this index file."""
    return [name for name, query in COMPILED.items() if missing_index(query, file) is not None]


def test_the_committed_file_is_what_the_catalog_generates():
    """Regenerating gives the committed text byte for byte (run `python -m mitche.queries
    indexes` after changing a query or a model)."""
    assert INDEX_FILE.read_text(encoding="utf-8") == generated_text()


def test_check_fails_on_a_stale_file_and_passes_once_written(tmp_path, capsys):
    """`--check` exits 1 on a stale file and writes nothing; the command writes the file; then
    `--check` exits 0."""
    stale = tmp_path / "firestore.indexes.json"
    stale.write_text('{"indexes": [], "fieldOverrides": []}\n', encoding="utf-8")
    assert main(["--check", "--root", str(tmp_path)]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(["--root", str(tmp_path)]) == 0
    assert stale.read_text(encoding="utf-8") == generated_text()
    assert main(["--check", "--root", str(tmp_path)]) == 0


def test_every_catalog_query_is_served_by_the_file():
    """No catalog query lacks an index in the committed file."""
    assert _needing(COMMITTED) == []


@pytest.mark.parametrize("position", range(len(COMMITTED.indexes)), ids=lambda i: f"index{i}")
def test_every_composite_index_is_needed_by_a_catalog_query(position):
    """Dropping any one composite index makes some catalog query fail: none is dead weight
    (each costs an index write per document write)."""
    without = dataclasses.replace(
        COMMITTED, indexes=COMMITTED.indexes[:position] + COMMITTED.indexes[position + 1 :]
    )
    assert _needing(without), COMMITTED.indexes[position].to_json()


def _single_field_entries():
    for position, override in enumerate(COMMITTED.field_overrides):
        for entry in override.indexes:
            yield pytest.param(
                position, entry, id=f"{override.collection_group}.{override.field_path}:{entry}"
            )


@pytest.mark.parametrize(("position", "entry"), list(_single_field_entries()))
def test_every_single_field_index_an_override_lists_is_needed(position, entry):
    """An override lists only single-field indexes some catalog query uses: dropping one
    makes a query fail."""
    overrides = list(COMMITTED.field_overrides)
    override = overrides[position]
    overrides[position] = dataclasses.replace(
        override, indexes=tuple(index for index in override.indexes if index != entry)
    )
    without = dataclasses.replace(COMMITTED, field_overrides=tuple(overrides))
    assert _needing(without)


def test_composite_indexes_stay_within_firestores_limit():
    """At most 200 composite indexes per database."""
    assert len(COMMITTED.indexes) <= MAX_COMPOSITE_INDEXES


def test_field_overrides_stay_within_firestores_limit():
    """At most 200 single-field index configurations per database."""
    assert len(COMMITTED.field_overrides) <= MAX_FIELD_OVERRIDES


def test_every_override_names_a_stored_field():
    """Each override's collection group exists in the data model and its field is a field of
    a document stored there (a typo would silently configure nothing)."""
    groups = collection_group_models()
    for override in COMMITTED.field_overrides:
        assert override.collection_group in groups
        assert has_field(groups[override.collection_group], override.field_path)


def test_every_composite_index_names_stored_fields():
    """Each composite index's fields are fields of documents of its collection group."""
    groups = collection_group_models()
    for index in COMMITTED.indexes:
        for field in index.fields:
            assert has_field(groups[index.collection_group], field.field_path), field


def test_exemptions_are_exactly_the_unneeded_candidates():
    """Every large-text field, write-time stamp, dynamic-key map and TTL field is exempt
    unless a catalog query needs its single-field index, in which case it keeps it."""
    plan = plan_indexes(CATALOG.values())
    exempt = {
        (o.collection_group, o.field_path) for o in COMMITTED.field_overrides if not o.indexes
    }
    assert exempt == {(s.collection_group, s.field_path) for s in plan.exempted}
    kept = {(s.collection_group, s.field_path) for s in plan.kept}
    assert not kept & exempt
    assert kept | exempt == {(s.collection_group, s.field_path) for s in candidates()}


def _ttl_fields_of_models():
    found = set()
    for group, models in collection_group_models().items():
        for model in models:
            for name, field in model.model_fields.items():
                if "TTL" in (field.description or ""):
                    found.add((group, field.alias or name))
    return found


def test_every_ttl_override_names_a_model_field_documented_as_ttl():
    """The TTL policies are exactly the fields the models document as TTL fields
    (`processedEvents.expiresAt`, `entries.expiresAt`, `notifications.expiresAt`,
    `auditEntries.expiresAt`, `private.expiresAt`)."""
    policies = {(o.collection_group, o.field_path) for o in COMMITTED.field_overrides if o.ttl}
    assert policies == _ttl_fields_of_models()
    assert policies == {
        ("processedEvents", "expiresAt"),
        ("entries", "expiresAt"),
        ("notifications", "expiresAt"),
        ("auditEntries", "expiresAt"),
        ("private", "expiresAt"),
    }


def test_ttl_fields_are_exempt_from_indexing():
    """A TTL field carries no single-field index (no query reads it; it would hotspot)."""
    for override in COMMITTED.field_overrides:
        if override.ttl:
            assert override.indexes == ()


def test_the_catalog_documents_each_ttl_policy():
    """The catalog's module docstring names each TTL field and why it expires."""
    doc = mitche.queries.__doc__ or ""
    for override in COMMITTED.field_overrides:
        if override.ttl:
            assert f"`{override.collection_group}.{override.field_path}`" in doc
