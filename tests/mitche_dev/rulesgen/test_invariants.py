"""Every cross-field validator a client can break is either translated into the rules
(`INVARIANTS`) or listed with the reason it is not (`UNENFORCED`)."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from pydantic import BaseModel

from mitche.models import written_by
from mitche.models.registry import collection_specs
from mitche_dev.rulesgen import INVARIANTS, UNENFORCED


def _nested_models(annotation: object) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in typing.get_args(annotation):
        yield from _nested_models(argument)


def _client_writable_models() -> set[type[BaseModel]]:
    """Document models with a client-written field, and every model nested in those fields."""
    documents = [spec.model for spec in collection_specs().values()]
    documents += [sub.model for spec in collection_specs().values() for sub in spec.subcollections]
    found: set[type[BaseModel]] = set()
    pending: list[type[BaseModel]] = []
    for model in documents:
        client = [info for info in model.model_fields.values() if not written_by(info).server_owned]
        if client:
            found.add(model)
            pending += [nested for info in client for nested in _nested_models(info.annotation)]
    while pending:
        model = pending.pop()
        if model in found:
            continue
        found.add(model)
        for info in model.model_fields.values():
            pending.extend(_nested_models(info.annotation))
    return found


def _validators(model: type[BaseModel]) -> set[str]:
    return set(model.__pydantic_decorators__.model_validators)


def test_every_validator_of_a_client_writable_model_is_accounted_for():
    """No model validator is silently missing from the rules."""
    missing = []
    for model in sorted(_client_writable_models(), key=lambda found: found.__name__):
        translated = {invariant.mirrors for invariant in INVARIANTS.get(model, ())}
        explained = {name.split(" ")[0] for name in UNENFORCED.get(model, {})}
        missing += [
            f"{model.__name__}.{name}"
            for name in sorted(_validators(model) - translated - explained)
        ]
    assert missing == []


def test_the_tables_name_only_real_validators():
    """Each entry names a validator its model has (or a field check: geohash precision)."""
    for model, invariants in INVARIANTS.items():
        names = {invariant.mirrors for invariant in invariants} - {"geohash precision"}
        assert names <= _validators(model), model.__name__
    for model, reasons in UNENFORCED.items():
        names = {name.split(" ")[0] for name in reasons}
        assert names <= _validators(model), model.__name__
        assert all(reason.strip() for reason in reasons.values())
