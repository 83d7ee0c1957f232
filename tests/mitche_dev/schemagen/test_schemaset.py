"""The JSON Schema the generators start from: pydantic's, with writers, descriptions and enum
member docs, and generation refused when the result would be incomplete or ambiguous."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import pytest
from pydantic import Field

from mitche.models import CLIENT, SERVER, MitcheModel
from mitche.models.names import Collection
from mitche.models.registry import CollectionSpec
from mitche_dev.schemagen import SchemaGenError, build_schema_set, enum_member_docs

from .testdata.sample_models import OTHER_SPEC, Mood


@pytest.mark.parametrize(
    ("field", "writer"),
    [
        ("name", "client"),
        ("count", "server"),
        ("channel", "client-create"),
        ("gauge", "server"),
        ("createdAt", "client-create"),
        ("authorRef", "client-create"),
        ("part", "client"),
    ],
)
def test_top_level_properties_carry_their_writer(sample_schemas, field, writer):
    """Each top-level property states its writer under `x-writtenBy`, by camelCase name."""
    sample = sample_schemas.standalone["users/{sampleId}"]
    assert sample["properties"][field]["x-writtenBy"] == writer


def test_nested_map_fields_carry_no_writer(sample_schemas):
    """Fields of a nested map are covered by the writer of the field that holds the map."""
    gauge = sample_schemas.defs["Gauge"]
    assert all("x-writtenBy" not in prop for prop in gauge["properties"].values())


def test_attribute_docstrings_become_descriptions(sample_schemas):
    """Field and model docstrings are the descriptions of properties and definitions."""
    sample = sample_schemas.defs["Sample"]
    assert sample["properties"]["perMood"]["description"] == "Counts per mood."
    assert sample["description"].startswith("A sample document with one field per type mapping.")
    assert sample_schemas.defs["Gauge"]["properties"]["level"]["description"] == (
        "Whole units from 0 to 10."
    )


def test_enum_member_docstrings_are_kept_by_value(sample_schemas):
    """An enum's schema lists the docstring of each documented member under its wire value."""
    assert sample_schemas.defs["Mood"]["x-enumDescriptions"] == {
        "calm": "Nothing to worry about.",
        "inAHurry": "Needs attention soon.",
    }


def test_enum_member_docs_are_read_from_the_source():
    """Member docstrings are read from the enum class source, by member name."""
    assert enum_member_docs(Mood) == {
        "CALM": "Nothing to worry about.",
        "IN_A_HURRY": "Needs attention soon.",
    }


def test_an_enum_without_source_has_no_member_docs():
    """An enum built at run time has no source to read docstrings from."""
    dynamic = StrEnum("Dynamic", {"A": "a"})
    assert enum_member_docs(dynamic) == {}


def test_documents_map_to_their_shared_definition(sample_schemas):
    """Each path template names the shared definition of its model."""
    assert dict(sample_schemas.document_defs) == {
        "users/{sampleId}": "Sample",
        "users/{sampleId}/private/secret": "SampleSecret",
        "requests/{otherId}": "Other",
        "requests/config": "OtherConfig",
    }


def _refs(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["$ref"]} if isinstance(schema.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_refs(item) for item in schema))
    return set()


def test_standalone_schemas_are_self_contained(sample_schemas):
    """Every reference in a document's own schema resolves inside that schema's `$defs`."""
    for path, schema in sample_schemas.standalone.items():
        names = set(schema.get("$defs", {}))
        assert {ref.removeprefix("#/$defs/") for ref in _refs(schema)} <= names, path


def test_generation_is_deterministic(sample_specs):
    """Generating twice from the same models gives equal schemas."""
    first, second = build_schema_set(sample_specs), build_schema_set(sample_specs)
    assert first.defs == second.defs
    assert first.standalone == second.standalone


def test_a_top_level_field_without_writer_is_refused():
    """A stored document whose top-level field states no writer cannot be generated."""

    class Unmarked(MitcheModel):
        marked: Annotated[int, SERVER] = 0
        unmarked: int = 0

    spec = CollectionSpec(Collection.USERS, Unmarked, "userId")
    with pytest.raises(SchemaGenError, match=r"without a writer marker .*Unmarked\.unmarked"):
        build_schema_set([spec])


def test_two_types_with_one_name_are_refused():
    """Two different models sharing a class name cannot both be declared in TypeScript."""

    def make_gauge() -> type[MitcheModel]:
        class Gauge(MitcheModel):
            other: int = 0

        return Gauge

    local_gauge = make_gauge()

    class Clash(MitcheModel):
        first: Annotated[local_gauge, SERVER] = Field(default_factory=local_gauge)  # type: ignore[valid-type]
        second: Annotated[Mood, CLIENT] = Mood.CALM

    spec = CollectionSpec(Collection.USERS, Clash, "userId")
    with pytest.raises(SchemaGenError, match="rename the types pydantic had to qualify"):
        build_schema_set([spec, OTHER_SPEC])


class _Opaque:
    """A default value with no JSON form."""


def test_a_default_without_json_form_is_refused():
    """A default pydantic would silently drop from the schema stops generation instead."""

    class Opaque(MitcheModel):
        value: Annotated[Any, CLIENT] = _Opaque()

    spec = CollectionSpec(Collection.USERS, Opaque, "userId")
    with pytest.raises(SchemaGenError, match="not JSON serializable"):
        build_schema_set([spec])


def test_no_collection_is_refused():
    """An empty spec list is a mistake, not an empty schema."""
    with pytest.raises(SchemaGenError, match="no collection"):
        build_schema_set([])


def test_tagged_union_members_know_their_discriminator(sample_schemas):
    """Members of a tagged union record the discriminator property they must carry."""
    assert dict(sample_schemas.tags) == {"TextPart": {"kind"}, "ImagePart": {"kind"}}
    assert sample_schemas.required("TextPart") == {"kind", "text"}
