"""Fixtures: the sample collections of testdata/sample_models.py and their schema set."""

from __future__ import annotations

import pytest

from mitche.models.registry import CollectionSpec
from mitche_dev.schemagen import SchemaSet, build_schema_set

from .testdata.sample_models import OTHER_SPEC, SAMPLE_SPEC


@pytest.fixture(scope="session")
def sample_specs() -> tuple[CollectionSpec, ...]:
    """The sample collections: `users` (with a subcollection) and `requests`."""
    return (SAMPLE_SPEC, OTHER_SPEC)


@pytest.fixture(scope="session")
def sample_schemas(sample_specs: tuple[CollectionSpec, ...]) -> SchemaSet:
    """The schema set of the sample collections."""
    return build_schema_set(sample_specs)
