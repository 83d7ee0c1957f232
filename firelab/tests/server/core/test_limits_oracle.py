"""Document limits replayed from limits.json: where each limit falls and the exact message."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from firelab.server.core import Emulator, FirestoreError
from firelab.server.core._protos import CommitRequest

from .oracle import load, value

CASES = load("limits.json")["cases"]


def expand(spec: list[Any]) -> dict[str, Any]:
    """A value generator of limits.json (`["string", n, ch]`, `["nest", n, mixed]`, …)."""
    kind = spec[0]
    if kind == "string":
        return {"stringValue": spec[2] * spec[1]}
    if kind == "bytes":
        return {"bytesValue": base64.b64encode(b"x" * spec[1]).decode()}
    if kind == "int":
        return {"integerValue": "1"}
    if kind == "map":
        return {"mapValue": {"fields": {k: expand(v) for k, v in spec[1].items()}}}
    if kind == "array":
        return {"arrayValue": {"values": [expand(v) for v in spec[1]]}}
    nested: dict[str, Any] = {"integerValue": "1"}
    for level in range(spec[1]):
        if spec[2] and level % 2 == 0:
            nested = {"arrayValue": {"values": [nested]}}
        else:
            nested = {"mapValue": {"fields": {"m": nested}}}
    return nested


def segment(spec: str | list[Any]) -> str:
    """A path segment: literal text or `["repeat", ch, n]`."""
    return spec if isinstance(spec, str) else spec[1] * spec[2]


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_limit_matches_the_official_emulator(case: dict[str, Any]) -> None:
    """The document is accepted, or refused with the recorded message."""
    database = Emulator().database("limits")
    request = CommitRequest(database=database.id.root)
    write = request.writes.add()
    path = "/".join(segment(s) for s in case["path"])
    write.update.name = f"{database.id.documents_root}/{path}"
    for name, spec in case["fields"].items():
        write.update.fields[name].CopyFrom(value(expand(spec)))
    outcome = case["outcome"]
    if outcome["status"] == 200:
        database.commit(request)
        return
    with pytest.raises(FirestoreError) as raised:
        database.commit(request)
    assert raised.value.code.name == "INVALID_ARGUMENT"
    assert raised.value.message == outcome["message"]
