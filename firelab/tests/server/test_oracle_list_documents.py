"""list_documents.json replayed through the wire: ListDocuments without a collection ID, page
tokens across collections, the order of its checks, and REST paths ending in a slash.

Seeded as recorded (two commits in project `list`, each document `{n: i, m: true}`);
`at_first_commit` reads at the first commit's time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf import json_format

from firelab.server import _protos as protos

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
DATA = json.loads((ORACLE / "list_documents.json").read_text("utf-8"))
DOCS = "projects/list/databases/(default)/documents"
OWNER = [("authorization", "Bearer owner")]


def _relative(name: str) -> str:
    return name[len(DOCS) + 1 :]


@pytest.fixture(scope="module")
def seeded(firestore_server) -> dict[str, Any]:
    """The recorded seed, committed in two batches; the first commit's time."""
    times = []
    with httpx.Client(base_url=f"http://{firestore_server.host}") as client:
        for batch in DATA["seed"]:
            writes = [
                {
                    "update": {
                        "name": f"{DOCS}/{path}",
                        "fields": {"n": {"integerValue": str(i)}, "m": {"booleanValue": True}},
                    }
                }
                for i, path in enumerate(batch)
            ]
            response = client.post(
                f"/v1/{DOCS}:commit",
                json={"writes": writes},
                headers={"Authorization": "Bearer owner"},
            )
            assert response.status_code == 200, response.text
            times.append(response.json()["commitTime"])
    return {"first_commit": times[0], "host": firestore_server.host}


def _list(channel: grpc.Channel, request: Any, owner: bool) -> dict[str, Any]:
    method = channel.unary_unary(
        "/google.firestore.v1.Firestore/ListDocuments",
        protos.ListDocumentsRequest.SerializeToString,
        protos.ListDocumentsResponse.FromString,
    )
    try:
        response = method(request, metadata=OWNER if owner else [], timeout=10)
    except grpc.RpcError as error:
        return {"code": error.code().name, "message": error.details()}
    return {
        "documents": [
            {"name": _relative(document.name), "fields": sorted(document.fields)}
            for document in response.documents
        ],
        "next_page_token": response.next_page_token,
    }


def run(seeded: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    """One recorded ListDocuments case: its documents, pages or error."""
    spec = dict(case["request"])
    pages = spec.pop("pages", False)
    if spec.pop("at_first_commit", False):
        spec["read_time"] = seeded["first_commit"]
    parent = f"{DOCS}/{case['parent']}" if case["parent"] else DOCS
    request = json_format.ParseDict({"parent": parent, **spec}, protos.ListDocumentsRequest())
    with grpc.insecure_channel(seeded["host"]) as channel:
        if not pages:
            out = _list(channel, request, case["owner"])
            out.pop("next_page_token", None)
            return out
        result = []
        while True:
            out = _list(channel, request, case["owner"])
            if "code" in out:
                return out
            result.append([document["name"] for document in out["documents"]])
            if not out["next_page_token"]:
                return {"pages": result}
            request.page_token = out["next_page_token"]


GRPC = DATA["grpc"]
REST = DATA["rest"]


@pytest.mark.parametrize("case", GRPC, ids=[case["name"] for case in GRPC])
def test_list_documents_answers_as_recorded(seeded, case):
    """The documents, pages or error of each recorded request."""
    assert run(seeded, case) == case["outcome"]


@pytest.mark.parametrize("case", REST, ids=[case["name"] for case in REST])
def test_rest_paths_with_a_trailing_slash_list_as_recorded(seeded, case):
    """`…/documents/` lists the root, `…/c/a/` a document, `…/c/` is a bad document name."""
    response = httpx.get(
        f"http://{seeded['host']}/v1/{DOCS}{case['path']}",
        headers={"Authorization": "Bearer owner"},
    )
    outcome = case["outcome"]
    assert response.status_code == outcome["status"]
    if "body" in outcome:
        assert response.text == outcome["body"]
    elif "error" in outcome:
        assert response.json()["error"] == outcome["error"]
    else:
        body = response.json()
        names = [_relative(document["name"]) for document in body.get("documents", [])]
        assert (names, bool(body.get("nextPageToken"))) == (
            outcome["documents"],
            outcome["next_page"],
        )
