"""The generated JSON Schemas accept every valid example the models accept.

JSON Schema is what non-Python clients validate against, so it must agree with the pydantic
models on real documents, not only on the generator's own samples.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from mitche.models.registry import collection_specs, module_name
from mitche_dev.schemagen._documents import documents

ROOT = Path(__file__).resolve().parents[3]
TESTDATA = ROOT / "tests" / "mitche" / "models" / "testdata"


def _testdata(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"_schema_examples_{name}", TESTDATA / f"{name}.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _examples() -> Iterator[Any]:
    """(schema file stem, model, example) for every collection and subcollection example."""
    shapes = documents(collection_specs().values())
    main = {d.collection: d for d in shapes if not d.is_subcollection}
    nested = {d.path: d for d in shapes if d.is_subcollection}
    for collection in collection_specs():
        data = _testdata(module_name(collection))
        shape = main[collection.value]
        yield pytest.param(shape.file_stem, shape.model, data.VALID, id=collection.value)
        for path, example in data.SUBCOLLECTION_VALID.items():
            shape = nested[path]
            yield pytest.param(shape.file_stem, shape.model, example, id=path)


@pytest.mark.parametrize(("stem", "model", "example"), list(_examples()))
def test_valid_examples_satisfy_their_json_schema(stem: str, model: Any, example: Any) -> None:
    """An example the model accepts, dumped as JSON, validates against the committed schema."""
    schema = json.loads((ROOT / "schema" / "json" / f"{stem}.schema.json").read_text())
    wire = model.model_validate(example).model_dump(mode="json", by_alias=True, exclude_none=True)
    errors = sorted(Draft202012Validator(schema).iter_errors(wire), key=str)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []
