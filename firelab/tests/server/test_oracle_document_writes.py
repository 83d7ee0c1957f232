"""document_writes.json replayed through the wire (REST): reads, writes, preconditions, masks.

Each case runs in its own project, as recorded. Server times differ from the recording, so
responses are compared with every timestamp replaced by the order in which it first appears
in the case: equal times must stay equal and different ones different. Times a later step
reuses (an update-time precondition) are mapped to ours. Page tokens are opaque. Requests were
sent without an `Authorization` header, except the steps the recorder marked as the owner's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
CASES = json.loads((ORACLE / "document_writes.json").read_text("utf-8"))["cases"]
OWNER_STEPS = {
    ("list collection ids", 2),
    ("list collection ids", 3),
    ("list collection ids", 4),
    ("list documents with missing, as admin", 1),
}
"""Steps tools/oracle/document_writes.py sent with `Authorization: Bearer owner`."""

_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
_VERSION = re.compile(r"\(\d{13,}\)")
_AUTO_ID = re.compile(r"/[A-Za-z0-9]{20}$")


def shape(value: Any, times: dict[str, str]) -> Any:
    """`value` with times replaced by their order of appearance, tokens and IDs by tags."""
    if isinstance(value, dict):
        return {
            key: "<token>" if key == "nextPageToken" else shape(item, times)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [shape(item, times) for item in value]
    if isinstance(value, str):
        if _TIME.match(value):
            return times.setdefault(value, f"<time {len(times)}>")
        if value.startswith("projects/") and _AUTO_ID.search(value):
            return _AUTO_ID.sub("/<auto>", value)
        return _VERSION.sub("(<n>)", value)
    return value


def _pair_times(recorded: Any, ours: Any, mapping: dict[str, str]) -> None:
    if isinstance(recorded, dict) and isinstance(ours, dict):
        for key, item in recorded.items():
            if key in ours:
                _pair_times(item, ours[key], mapping)
    elif isinstance(recorded, list) and isinstance(ours, list):
        for left, right in zip(recorded, ours, strict=False):
            _pair_times(left, right, mapping)
    elif isinstance(recorded, str) and isinstance(ours, str) and _TIME.match(recorded):
        mapping.setdefault(recorded, ours)


def run_case(client: httpx.Client, case: dict[str, Any]) -> list[tuple[int, Any]]:
    """Every step's (status, parsed body), with recorded times and tokens mapped to ours."""
    answers: list[tuple[int, Any]] = []
    mapping: dict[str, str] = {}
    token = ""
    for index, step in enumerate(case["steps"]):
        path, body = step["path"], step["body"]
        if "pageToken=" in path:
            path = re.sub(r"pageToken=[^&]*", f"pageToken={quote(token, safe='')}", path)
        text = None if body is None else json.dumps(body)
        for recorded, ours in mapping.items():
            if text is not None:
                text = text.replace(recorded, ours)
        headers = {"Content-Type": "application/json"}
        if (case["name"], index) in OWNER_STEPS:
            headers["Authorization"] = "Bearer owner"
        response = client.request(
            step["method"], f"/v1/{path}", content=None if text is None else text, headers=headers
        )
        parsed = response.json() if response.content else None
        if isinstance(parsed, dict):
            token = parsed.get("nextPageToken", token)
        _pair_times(step["response"], parsed, mapping)
        answers.append((response.status_code, parsed))
    return answers


@pytest.fixture(scope="module")
def http(firestore_server):
    """An HTTP client for the session's server."""
    with httpx.Client(base_url=f"http://{firestore_server.host}", timeout=30) as client:
        yield client


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_document_call_answers_as_recorded(http, case):
    """Every step answers the recorded status and body (times compared by their order)."""
    answers = run_case(http, case)
    recorded_times: dict[str, str] = {}
    our_times: dict[str, str] = {}
    for step, (status, body) in zip(case["steps"], answers, strict=True):
        assert status == step["status"], step
        assert shape(body, our_times) == shape(step["response"], recorded_times), step
