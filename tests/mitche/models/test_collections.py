"""Every collection's examples behave as the data model promises.

Each module in `testdata/` is named after a model module and provides `VALID` (a complete stored
document in wire form), `INVALID` (documents the model refuses, with the field the error must
name) and `SUBCOLLECTION_VALID` (an example per declared subcollection document).
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1 import _helpers
from pydantic import ValidationError

from mitche.models._base import MitcheModel, written_by
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec, collection_specs, module_name
from mitche.services.codec import from_document, to_document

TESTDATA = Path(__file__).parent / "testdata"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_mitche_testdata_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


EXAMPLES: dict[str, ModuleType] = {
    path.stem: _load(path)
    for path in sorted(TESTDATA.glob("*.py"))
    if not path.name.startswith("_")
}


def _spec(name: str) -> CollectionSpec:
    spec = importlib.import_module(f"mitche.models.{name}").SPEC
    assert isinstance(spec, CollectionSpec)
    return spec


def _documents() -> Iterator[Any]:
    """(model, wire document) for every valid example, main documents and subcollections."""
    for name, examples in EXAMPLES.items():
        spec = _spec(name)
        yield pytest.param(spec.model, examples.VALID, id=f"{spec.collection.value}")
        models = {sub.path: sub.model for sub in spec.subcollections}
        for path, document in examples.SUBCOLLECTION_VALID.items():
            yield pytest.param(models.get(path), document, id=path)


def _invalid_cases() -> Iterator[Any]:
    for name, examples in EXAMPLES.items():
        model = _spec(name).model
        for label, document, field in examples.INVALID:
            yield pytest.param(model, document, field, id=f"{name}: {label}")


@pytest.fixture(scope="module")
def client() -> firestore.Client:
    """A real Firestore client; encoding and decoding never contact a server."""
    return firestore.Client(project="demo-mitche", credentials=AnonymousCredentials())


def test_every_model_module_has_examples() -> None:
    """Each collection module that exists has a testdata module of the same name."""
    package = Path(importlib.import_module("mitche.models._base").__file__ or "").parent
    present = {module_name(collection) for collection in Collection}
    present = {name for name in present if (package / f"{name}.py").exists()}
    assert sorted(present - set(EXAMPLES)) == []


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_subcollection_has_an_example(name: str) -> None:
    """SUBCOLLECTION_VALID holds exactly one example per subcollection the SPEC declares."""
    declared = {sub.path for sub in _spec(name).subcollections}
    assert set(EXAMPLES[name].SUBCOLLECTION_VALID) == declared


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_subcollection_paths_sit_under_their_collection(name: str) -> None:
    """Every extra document path is a document path inside the collection: a fixed document
    (`systemSettings/public`), below a fixed document id (`systemSettings/leaderboards/...`,
    `systemSettings/nearMe/...`, which need not exist as documents), or below
    `{collection}/{idField}/`."""
    spec = _spec(name)
    fixed = {sub.path for sub in spec.subcollections if sub.path.count("/") == 1}
    for sub in spec.subcollections:
        segments = sub.path.split("/")
        assert segments[0] == spec.collection.value
        assert len(segments) % 2 == 0
        if len(segments) > 2:
            parent = "/".join(segments[:2])
            assert (
                segments[1] == f"{{{spec.id_field}}}" or parent in fixed or "{" not in segments[1]
            )
        assert sub.why.strip()


@pytest.mark.parametrize(("model", "document"), list(_documents()))
def test_valid_example_validates_and_redumps_unchanged(
    model: type[MitcheModel] | None, document: dict[str, Any]
) -> None:
    """A valid example validates, and dumping it gives back exactly the same wire document."""
    assert model is not None, "the example's path is not a declared subcollection"
    assert model.model_validate(document).to_firestore() == document


@pytest.mark.parametrize(("model", "document"), list(_documents()))
def test_valid_example_round_trips_through_firestore_encoding(
    model: type[MitcheModel] | None, document: dict[str, Any], client: firestore.Client
) -> None:
    """Encoded to Firestore values and decoded again, a document validates to an equal model."""
    assert model is not None
    original = model.model_validate(document)
    encoded = _helpers.encode_dict(to_document(original, client))
    decoded = _helpers.decode_dict(encoded, client)
    assert from_document(model, decoded) == original


@pytest.mark.parametrize(("model", "document"), list(_documents()))
def test_valid_example_round_trips_through_a_stored_document(
    model: type[MitcheModel] | None, document: dict[str, Any], owner_client: Any
) -> None:
    """Written to a Firestore server and read back with google-cloud-firestore, a document
    validates to an equal model: timestamps, GeoPoints, references, maps and arrays intact."""
    assert model is not None
    original = model.model_validate(document)
    reference = owner_client.document(f"roundTrips/{model.__name__}")
    reference.set(to_document(original, owner_client))
    stored = reference.get().to_dict()
    assert stored is not None
    assert from_document(model, stored) == original


@pytest.mark.parametrize(("model", "document", "field"), list(_invalid_cases()))
def test_invalid_document_is_rejected_naming_the_field(
    model: type[MitcheModel], document: dict[str, Any], field: str
) -> None:
    """An invalid document raises ValidationError, and an error's location or message names
    the offending field."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(document)
    named = [
        error
        for error in caught.value.errors()
        if field in (str(step) for step in error["loc"]) or field in error["msg"]
    ]
    assert named, caught.value


_REQUIRED_ERROR_KINDS = {
    "wrong type": lambda kind: kind.endswith(("_type", "_parsing")),
    "unknown field": lambda kind: kind == "extra_forbidden",
    "oversized string": lambda kind: kind == "string_too_long",
    "bad enum": lambda kind: kind == "enum",
    "missing required field": lambda kind: kind == "missing",
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
@pytest.mark.parametrize("kind", sorted(_REQUIRED_ERROR_KINDS))
def test_invalid_table_covers_each_basic_error_kind(name: str, kind: str) -> None:
    """Every collection's INVALID table has a case of each basic kind of error."""
    model = _spec(name).model
    matches = _REQUIRED_ERROR_KINDS[kind]
    kinds: set[str] = set()
    for _label, document, _field in EXAMPLES[name].INVALID:
        try:
            model.model_validate(document)
        except ValidationError as error:
            kinds.update(detail["type"] for detail in error.errors())
    assert any(matches(found) for found in kinds), sorted(kinds)


def _models() -> Iterator[Any]:
    for name in sorted(EXAMPLES):
        spec = _spec(name)
        yield pytest.param(spec.model, id=spec.collection.value)
        for sub in spec.subcollections:
            yield pytest.param(sub.model, id=sub.path)


@pytest.mark.parametrize("model", list(_models()))
def test_every_top_level_field_declares_its_writer(model: type[MitcheModel]) -> None:
    """Each top-level field of a stored document says who writes it (client, on create, or
    server)."""
    undeclared = []
    for name, field in model.model_fields.items():
        try:
            written_by(field)
        except LookupError:
            undeclared.append(name)
    assert undeclared == []


def test_registry_loads_all_thirteen_collections() -> None:
    """The registry finds a SPEC for each of the 13 collections, in the platform's order."""
    assert list(collection_specs()) == list(Collection)
