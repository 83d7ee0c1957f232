"""The client contract (mitche.flows, rendered as schema/flows.md) promises only writes the
models let a client make: every field it lists is a top-level field of the model that a client
may write in that operation, and a creation lists every field the model requires."""

from __future__ import annotations

import pytest

from mitche import models
from mitche.flows import FLOWS, Write
from mitche.models._base import WrittenBy, withdrawal_of, written_by
from mitche_dev.schemagen._flows import render_flows
from mitche_dev.schemagen._schemaset import withdrawal_text

WRITES = [
    pytest.param(write, id=f"{flow.name}:{write.path}")
    for flow in FLOWS
    for batch in flow.batches
    for write in batch
]
_ALLOWED = {
    "create": {WrittenBy.CLIENT, WrittenBy.CLIENT_CREATE},
    "update": {WrittenBy.CLIENT, WrittenBy.CLIENT_WITHDRAW},
    "set-merge": {WrittenBy.CLIENT},
    "delete": set(),
}


def _fields(write: Write) -> dict[str, WrittenBy]:
    model = getattr(models, write.model)
    return {info.alias or name: written_by(info) for name, info in model.model_fields.items()}


@pytest.mark.parametrize("write", WRITES)
def test_every_listed_field_is_the_clients_to_write(write: Write) -> None:
    """Each field is a field of the model that a client may write in this operation."""
    writers = _fields(write)
    for item in write.fields:
        assert item.name in writers, f"{write.model} has no field {item.name!r}"
        assert writers[item.name] in _ALLOWED[write.operation], (write.model, item.name)


@pytest.mark.parametrize("write", WRITES)
def test_a_withdrawal_writes_exactly_the_declared_value(write: Write) -> None:
    """A field the client only withdraws is written to the value its model declares, and only
    by an update (never a create nor a merge, which could create the document)."""
    model = getattr(models, write.model)
    infos = {info.alias or name: info for name, info in model.model_fields.items()}
    for item in write.fields:
        info = infos[item.name]
        if written_by(info) is WrittenBy.CLIENT_WITHDRAW:
            assert write.operation == "update", (write.model, item.name)
            assert item.value == withdrawal_text(withdrawal_of(info)), (write.model, item.name)
            assert not item.optional, (write.model, item.name)


def test_some_flow_withdraws_a_field() -> None:
    """The withdrawal check above is not vacuous: moving an event withdraws its approval."""
    withdrawn = [
        (flow.name, item.name)
        for flow in FLOWS
        for batch in flow.batches
        for write in batch
        for item in write.fields
        if written_by(getattr(models, write.model).model_fields[_python(write.model, item.name)])
        is WrittenBy.CLIENT_WITHDRAW
    ]
    assert ("moveEvent", "approval") in withdrawn


def _python(model_name: str, wire: str) -> str:
    model = getattr(models, model_name)
    return next(name for name, info in model.model_fields.items() if (info.alias or name) == wire)


@pytest.mark.parametrize("write", [w for w in WRITES if w.values[0].operation == "create"])
def test_a_creation_lists_every_required_field(write: Write) -> None:
    """A creation names every field the model requires (the rules require them too)."""
    model = getattr(models, write.model)
    required = {
        info.alias or name for name, info in model.model_fields.items() if info.is_required()
    }
    assert required <= {item.name for item in write.fields}


def test_each_flow_names_a_story_and_at_least_one_write() -> None:
    """Flows read as steps: a unique name, who acts, what for, and the writes."""
    assert len({flow.name for flow in FLOWS}) == len(FLOWS)
    for flow in FLOWS:
        assert flow.who
        assert flow.story
        assert flow.batches
        assert all(flow.batches)


def test_the_reference_lists_every_flow() -> None:
    """schema/flows.md has one section per flow."""
    text = render_flows()
    for flow in FLOWS:
        assert f"\n## {flow.name}\n" in text


def test_a_deletion_sets_no_field() -> None:
    """A delete lists no field (it writes none), and names the model of what it removes."""
    deletions = [write for param in WRITES for write in param.values if write.operation == "delete"]
    assert deletions
    for write in deletions:
        assert write.fields == ()
        assert hasattr(models, write.model)


def test_a_write_left_out_compares_wildcards_its_flow_derives() -> None:
    """A write left out of the batch (`Unless`) compares two wildcards the same flow derives
    from the member's input, one of them its own."""
    guarded = 0
    for flow in FLOWS:
        writes = [write for batch in flow.batches for write in batch]
        derived = {item.wildcard for write in writes for item in write.derived}
        for write in writes:
            if write.unless is None:
                continue
            guarded += 1
            assert {write.unless.wildcard, write.unless.equals} <= derived, flow.name
            assert f"{{{write.unless.wildcard}}}" in write.path, flow.name
    assert guarded
