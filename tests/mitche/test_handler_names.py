"""Handler names are declared once (`mitche.handler_names`) and only declared names key
handlers, markers and ledgers."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitche.handler_names import HandlerName
from mitche.models.processed_events import ProcessedEvent, processed_event_id

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "functions" / "mitche"
DECLARATION = PACKAGE / "handler_names.py"


def _sources() -> list[Path]:
    return [path for path in sorted(PACKAGE.rglob("*.py")) if path != DECLARATION]


def _member(node: ast.expr) -> str | None:
    """The member name of a `HandlerName.X` expression, else None."""
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "HandlerName"
    ):
        return node.attr
    return None


def _module_dicts(tree: ast.Module) -> dict[str, ast.Dict]:
    """Module-level `NAME = {...}` (or annotated) assignments of dict literals."""
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and isinstance(value, ast.Dict):
            found[target.id] = value
    return found


def _key_members(key: ast.expr | None, tables: dict[str, ast.Dict]) -> list[str | None]:
    """The HandlerName members a mapping key can be: `HandlerName.X`, or a lookup in a
    module-level table whose values are all `HandlerName.X`. None marks anything else."""
    if key is None:
        return [None]
    if (member := _member(key)) is not None:
        return [member]
    if isinstance(key, ast.Subscript) and isinstance(key.value, ast.Name):
        table = tables.get(key.value.id)
        if table is not None:
            return [_member(value) for value in table.values]
    return [None]


def _trigger_keys() -> list[tuple[str, list[str | None]]]:
    """Every key of every mapping the triggers hand to `run_handlers`, by location."""
    keys = []
    for path in sorted((PACKAGE / "triggers").glob("*.py")):
        tree = ast.parse(path.read_text())
        tables = _module_dicts(tree)
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "run_handlers"
            ):
                continue
            where = f"{path.name}:{node.lineno}"
            mapping = node.args[1] if len(node.args) > 1 else None
            if not isinstance(mapping, ast.Dict):
                keys.append((where, [None]))
                continue
            keys.extend((where, _key_members(key, tables)) for key in mapping.keys)
    return keys


def test_every_trigger_maps_only_registered_names() -> None:
    """Each key a trigger gives `run_handlers` is a HandlerName member (written as one, or
    looked up in a table of members), never a string typed in place."""
    keys = _trigger_keys()
    assert len(keys) >= 20, "the walk found too few run_handlers mappings to judge"
    offenders = [
        f"{where}: {members}"
        for where, members in keys
        if any(member not in HandlerName.__members__ for member in members)
    ]
    assert offenders == []


def test_no_name_is_spelled_outside_its_declaration() -> None:
    """No module writes a registered name as a string: they all import the member."""
    values = {name.value for name in HandlerName}
    offenders = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}"
        for path in _sources()
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and node.value in values
    ]
    assert offenders == []


def test_names_are_unique() -> None:
    """No two members share a value (an enum would silently make the second an alias)."""
    assert len(HandlerName.__members__) == len(list(HandlerName))


@pytest.mark.parametrize("name", list(HandlerName))
def test_every_name_makes_a_valid_marker(name: HandlerName) -> None:
    """Each name fits the marker's stored `handler` field and starts its document id."""
    at = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    marker = ProcessedEvent.of(name, "event-1", at)
    assert marker.handler == name.value
    assert processed_event_id(name, "event-1").startswith(f"{name.value}-")


@given(event_id=st.text(min_size=1, max_size=200))
def test_different_handlers_never_share_a_marker(event_id: str) -> None:
    """For one event, every handler's marker has its own id, so one handler's marker never
    stops another."""
    ids = {processed_event_id(name, event_id) for name in HandlerName}
    assert len(ids) == len(HandlerName)


@pytest.mark.parametrize("typo", ["gamification.offering", "Gamification.offerings", ""])
def test_an_unregistered_name_makes_no_marker(typo: str) -> None:
    """A name that is not declared (a typo, another case) is refused at run time too."""
    with pytest.raises(ValueError, match="not a registered handler name"):
        processed_event_id(typo, "event-1")  # type: ignore[arg-type]
