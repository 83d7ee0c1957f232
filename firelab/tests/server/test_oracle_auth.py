"""auth.json replayed through the wire: how the `Authorization` header is read, and when.

`classify` sends each header to REST `:listCollectionIds` (an admin-only call, so owners get
200, other callers 403, malformed headers their error). `grpc` and `rest` check where each RPC,
stream and endpoint reads the header among its other checks. The recording used the project
`auth`, which appears in the expected messages (with its length in error indices), so the
replay uses it too.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf import json_format

from firelab.server import _protos as protos

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
AUTH = json.loads((ORACLE / "auth.json").read_text("utf-8"))
DOCS = "/v1/projects/auth/databases/(default)/documents"

UNARY = {
    "GetDocument": (protos.GetDocumentRequest, protos.Document),
    "Commit": (protos.CommitRequest, protos.CommitResponse),
    "BeginTransaction": (protos.BeginTransactionRequest, protos.BeginTransactionResponse),
    "Rollback": (protos.RollbackRequest, protos.Empty),
    "ListDocuments": (protos.ListDocumentsRequest, protos.ListDocumentsResponse),
    "CreateDocument": (protos.CreateDocumentRequest, protos.Document),
    "UpdateDocument": (protos.UpdateDocumentRequest, protos.Document),
    "DeleteDocument": (protos.DeleteDocumentRequest, protos.Empty),
    "BatchWrite": (protos.BatchWriteRequest, protos.BatchWriteResponse),
    "ListCollectionIds": (protos.ListCollectionIdsRequest, protos.ListCollectionIdsResponse),
    "PartitionQuery": (protos.PartitionQueryRequest, protos.PartitionQueryResponse),
}
SERVER_STREAMING = {
    "BatchGetDocuments": (protos.BatchGetDocumentsRequest, protos.BatchGetDocumentsResponse),
    "RunQuery": (protos.RunQueryRequest, protos.RunQueryResponse),
    "RunAggregationQuery": (
        protos.RunAggregationQueryRequest,
        protos.RunAggregationQueryResponse,
    ),
}
BIDI = {
    "Listen": (protos.ListenRequest, protos.ListenResponse),
    "Write": (protos.WriteRequest, protos.WriteResponse),
}


@pytest.fixture(scope="module")
def channel(firestore_server) -> Iterator[grpc.Channel]:
    """A raw gRPC channel to the server's public port."""
    with grpc.insecure_channel(firestore_server.host) as opened:
        yield opened


def _metadata(authorization: str | None) -> list[tuple[str, str]]:
    return [] if authorization is None else [("authorization", authorization)]


def _outcome_of(error: grpc.RpcError) -> dict[str, str]:
    return {"code": error.code().name, "message": error.details() or ""}


def call(channel: grpc.Channel, case: dict[str, Any]) -> dict[str, str]:
    """Send one recorded RPC; its status code (and message unless OK)."""
    rpc, metadata = case["rpc"], _metadata(case["authorization"])
    path = f"/google.firestore.v1.Firestore/{rpc}"
    if rpc in BIDI:
        return _bidi(channel, path, case, metadata)
    if rpc in SERVER_STREAMING:
        request_type, response_type = SERVER_STREAMING[rpc]
        method: Any = channel.unary_stream(
            path, request_type.SerializeToString, response_type.FromString
        )
    else:
        request_type, response_type = UNARY[rpc]
        method = channel.unary_unary(path, request_type.SerializeToString, response_type.FromString)
    request = json_format.ParseDict(case["request"], request_type())
    try:
        answer = method(request, metadata=metadata, timeout=10)
        if rpc in SERVER_STREAMING:
            list(answer)
    except grpc.RpcError as error:
        return _outcome_of(error)
    return {"code": "OK"}


def _bidi(
    channel: grpc.Channel, path: str, case: dict[str, Any], metadata: list[tuple[str, str]]
) -> dict[str, str]:
    request_type, response_type = BIDI[case["rpc"]]
    done = threading.Event()

    def requests() -> Iterator[Any]:
        if case["request"] is not None:
            yield json_format.ParseDict(case["request"], request_type())
        done.wait(10)

    method = channel.stream_stream(path, request_type.SerializeToString, response_type.FromString)
    stream = method(requests(), metadata=metadata, timeout=10)
    try:
        next(stream)
    except grpc.RpcError as error:
        return _outcome_of(error)
    finally:
        done.set()
        stream.cancel()
    return {"code": "OK"}


CLASSIFY = AUTH["classify"]
GRPC = AUTH["grpc"]
REST = AUTH["rest"]


@pytest.mark.parametrize("case", CLASSIFY, ids=[case["name"] for case in CLASSIFY])
def test_rest_classifies_the_header_as_recorded(firestore_server, case):
    """Owners list collection IDs (200), other callers are refused (403), bad headers fail."""
    headers = {"Content-Type": "application/json"}
    if case["authorization"] is not None:
        headers["Authorization"] = case["authorization"]
    response = httpx.post(
        f"http://{firestore_server.host}{DOCS}:listCollectionIds", content=b"{}", headers=headers
    )
    assert (response.status_code, response.text) == (
        case["outcome"]["status"],
        case["outcome"]["body"],
    )


@pytest.mark.parametrize("case", GRPC, ids=[case["name"] for case in GRPC])
def test_grpc_reads_the_header_where_the_emulator_does(channel, case):
    """Each RPC and stream fails (or not) with the recorded status code and message."""
    outcome = call(channel, case)
    expected = case["outcome"]
    assert outcome["code"] == expected["code"]
    if expected["code"] != "OK":
        assert outcome["message"] == expected["message"]


@pytest.mark.parametrize("case", REST, ids=[case["name"] for case in REST])
def test_rest_and_emulator_endpoints_read_the_header_as_recorded(firestore_server, case):
    """REST and `/emulator/v1/…` calls answer the recorded status and body."""
    headers = {"Content-Type": "application/json"}
    if case["authorization"] is not None:
        headers["Authorization"] = case["authorization"]
    response = httpx.request(
        case["method"],
        f"http://{firestore_server.host}{case['path']}",
        content=None if case["body"] is None else case["body"].encode(),
        headers=headers,
    )
    assert (response.status_code, response.text) == (
        case["outcome"]["status"],
        case["outcome"]["body"],
    )
