"""grpc_settings.json replayed through the wire: v1beta1 is v1 under another name, and the
largest gRPC message (100 MiB) and REST body (16 MiB) the emulator accepts.

Server reflection (`services`) is not served: the list of reflected services is left out.
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
DATA = json.loads((ORACLE / "grpc_settings.json").read_text("utf-8"))
DB = "projects/grpc-settings/databases/(default)"
DOCS = f"{DB}/documents"
TYPES = {
    "Commit": (protos.CommitRequest, protos.CommitResponse),
    "GetDocument": (protos.GetDocumentRequest, protos.Document),
    "ListCollectionIds": (protos.ListCollectionIdsRequest, protos.ListCollectionIdsResponse),
    "PartitionQuery": (protos.PartitionQueryRequest, protos.PartitionQueryResponse),
}


def _without_times(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: "<time>" if key.endswith("Time") else _without_times(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_without_times(item) for item in value]
    return value


def call(host: str, service: str, method: str, request: Any, *, owner: bool) -> dict[str, Any]:
    """One unary call; the code and message, or the response as ProtoJSON without times."""
    request_type, response_type = TYPES[method]
    with grpc.insecure_channel(
        host, options=[("grpc.max_send_message_length", 200 * 1024 * 1024)]
    ) as channel:
        stub = channel.unary_unary(
            f"/{service}/{method}", request_type.SerializeToString, response_type.FromString
        )
        metadata = [("authorization", "Bearer owner")] if owner else []
        try:
            response = stub(request, metadata=metadata, timeout=120)
        except grpc.RpcError as error:
            return {"code": error.code().name, "message": error.details()}
    return {"code": "OK", "response": _without_times(json_format.MessageToDict(response))}


V1BETA1 = DATA["v1beta1"]


@pytest.fixture(scope="module")
def host(firestore_server) -> str:
    """The server's address, with the v1beta1 cases' project empty."""
    return str(firestore_server.host)


@pytest.mark.parametrize("case", V1BETA1, ids=[case["name"] for case in V1BETA1])
def test_v1beta1_is_the_same_service_as_v1(host, case):
    """A commit through one service is read through the other; errors name the service."""
    request = json_format.ParseDict(case["request"], TYPES[case["method"]][0]())
    outcome = call(host, case["service"], case["method"], request, owner=case["owner"])
    assert outcome == case["outcome"]


def _commit_of(megabytes: int) -> Any:
    """The recorded request: `megabytes` documents of one 1,000,000-byte string each."""
    request = protos.CommitRequest(database=DB)
    for index in range(megabytes):
        write = request.writes.add()
        write.update.name = f"{DOCS}/sizes/{index}"
        write.update.fields["s"].string_value = "x" * 1_000_000
    return request


@pytest.mark.slow
@pytest.mark.parametrize("case", DATA["grpc_sizes"], ids=lambda case: f"{case['megabytes']} MB")
def test_grpc_messages_up_to_100_mib_are_accepted(host, case):
    """Commits of 5, 20 and 64 MB pass; 105 MB is RESOURCE_EXHAUSTED (the message is grpcio's)."""
    outcome = call(
        host, "google.firestore.v1.Firestore", "Commit", _commit_of(case["megabytes"]), owner=True
    )
    assert outcome["code"] == case["outcome"]["code"]


def _rest_body(total: int) -> bytes:
    """A `:commit` body of exactly `total` bytes (tools/oracle/grpc_settings.py `rest_body`)."""
    writes: list[dict[str, Any]] = []
    while True:
        writes.append(
            {"update": {"name": f"{DOCS}/rest/{len(writes)}", "fields": {"s": {"stringValue": ""}}}}
        )
        if len(json.dumps({"writes": writes})) + 900_000 > total:
            break
        writes[-1]["update"]["fields"]["s"]["stringValue"] = "x" * 900_000
    filler = total - len(json.dumps({"writes": writes}))
    writes[-1]["update"]["fields"]["s"]["stringValue"] = "x" * filler
    body = json.dumps({"writes": writes}).encode()
    assert len(body) == total
    return body


@pytest.mark.parametrize("case", DATA["rest_sizes"], ids=lambda case: f"{case['bytes']} bytes")
def test_rest_bodies_up_to_16_mib_are_accepted(host, case):
    """16 MiB commits; one byte more is 413 with an empty body and no content type."""
    response = httpx.post(
        f"http://{host}/v1/{DOCS}:commit",
        content=_rest_body(case["bytes"]),
        headers={"Content-Type": "application/json", "Authorization": "Bearer owner"},
        timeout=120,
    )
    outcome = case["outcome"]
    assert response.status_code == outcome["status"]
    assert response.headers.get("content-type") == outcome["content_type"]
    if response.status_code != 200:
        assert response.text == outcome["body"]
