"""export_import.json `requests` replayed through the wire: the emulator's `:export` and
`:import` endpoints, their accepted bodies, their errors and what lands in the directory.

Imports of deliberately damaged exports are the core's concern (tests/firelab/server/core) and
are left out here; so is the directory entry the official emulator leaves behind when an export
name holds a slash (it creates the first segment, then fails).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
RECORDING = json.loads((ORACLE / "export_import.json").read_text("utf-8"))
DAMAGED = "/bad/"
REQUESTS = [r for r in RECORDING["requests"] if DAMAGED not in json.dumps(r["body"])]
SLASHED = "export with a name holding a slash"


def _listing(directory: Path) -> list[str]:
    names = sorted(path.name for path in directory.iterdir())
    return [re.sub(r"^firestore_export_\d+$", "firestore_export_<n>", name) for name in names]


@pytest.fixture(scope="module")
def replay(firestore_server, tmp_path_factory) -> dict[str, dict[str, Any]]:
    """Every replayed request's outcome and the export directory's listing after it."""
    root = tmp_path_factory.mktemp("export")
    (root / "out").mkdir()
    (root / "out" / "file.txt").write_text("not a directory")
    for relative, data in RECORDING["exports"]["default"].items():
        target = root / "default" / "firestore_export" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))
    by_database: dict[str, list[dict[str, Any]]] = {}
    for document in RECORDING["documents"]:
        by_database.setdefault(document["database"], []).append(document)
    owner = {"Authorization": "Bearer owner"}
    with httpx.Client(base_url=f"http://{firestore_server.host}", timeout=30) as client:
        for database, documents in by_database.items():
            name = f"projects/demo-export/databases/{database}"
            writes = [
                {"update": {"name": f"{name}/documents/{d['path']}", "fields": d["fields"]}}
                for d in documents
            ]
            response = client.post(
                f"/v1/{name}/documents:commit", json={"writes": writes}, headers=owner
            )
            assert response.status_code == 200, response.text
        out: dict[str, dict[str, Any]] = {}
        for request in REQUESTS:
            text = request["raw"]
            if request["body"] is not None:
                text = json.dumps(request["body"]).replace("{dir}", str(root))
            headers = {"Content-Type": "application/json", **(request["headers"] or {})}
            response = client.request(
                request["method"], request["path"], content=text, headers=headers
            )
            out[request["name"]] = {
                "status": response.status_code,
                "content_type": response.headers.get("content-type"),
                "response": response.text.replace(str(root).replace("/", "\\/"), "{dir}"),
                "listing": _listing(root / "out"),
            }
    return out


@pytest.mark.parametrize("request_", REQUESTS, ids=[r["name"] for r in REQUESTS])
def test_export_and_import_endpoints_answer_as_recorded(replay, request_):
    """Status, content type and body as recorded; the export directory holds what it held."""
    outcome = replay[request_["name"]]
    assert (outcome["status"], outcome["content_type"], outcome["response"]) == (
        request_["status"],
        request_["content_type"],
        request_["response"],
    )
    expected = [
        re.sub(r"^firestore_export_\d+$", "firestore_export_<n>", name)
        for name in request_["export_directory_lists"]
        if name != "a"
    ]
    assert outcome["listing"] == expected
