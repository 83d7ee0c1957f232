"""unsupported.json replayed through the wire: ExecutePipeline is refused on a standard-edition
database whoever asks, PartitionQuery is not implemented.

The official emulator ignores explain options; production answers them, and clients rely on
that (see test_query_explain.py). Those cases replay with production's difference applied:
explain metrics on the last response, and without `analyze` no results at all; everything else
is as recorded."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf import json_format

from firelab.server import _protos as protos

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
DATA = json.loads((ORACLE / "unsupported.json").read_text("utf-8"))
DB = "projects/unsupported/databases/(default)"
DOCS = f"{DB}/documents"
METHODS = {
    "RunQuery": (protos.RunQueryRequest, protos.RunQueryResponse, True),
    "RunAggregationQuery": (
        protos.RunAggregationQueryRequest,
        protos.RunAggregationQueryResponse,
        True,
    ),
    "ExecutePipeline": (protos.ExecutePipelineRequest, protos.ExecutePipelineResponse, True),
    "PartitionQuery": (protos.PartitionQueryRequest, protos.PartitionQueryResponse, False),
}


@pytest.fixture(scope="module")
def host(firestore_server) -> str:
    """The server, seeded as recorded: `c/a {n: 1}` and `c/b {n: 2}`."""
    writes = [
        {"update": {"name": f"{DOCS}/c/{doc}", "fields": {"n": {"integerValue": str(n)}}}}
        for doc, n in (("a", 1), ("b", 2))
    ]
    response = httpx.post(
        f"http://{firestore_server.host}/v1/{DOCS}:commit",
        json={"writes": writes},
        headers={"Authorization": "Bearer owner"},
    )
    assert response.status_code == 200
    return str(firestore_server.host)


def summarise(responses: list[Any]) -> dict[str, Any]:
    """What the recording kept of a stream (tools/oracle/unsupported.py)."""
    as_json = [json_format.MessageToDict(response) for response in responses]
    return {
        "documents": [
            item["document"]["name"][len(DOCS) + 1 :] for item in as_json if "document" in item
        ],
        "aggregations": [item["result"]["aggregateFields"] for item in as_json if "result" in item],
        "explain_metrics": any("explainMetrics" in item for item in as_json),
        "done": bool(as_json) and as_json[-1].get("done", False),
    }


def call(host: str, case: dict[str, Any]) -> dict[str, Any]:
    """One recorded RPC, summarised."""
    request_type, response_type, streaming = METHODS[case["rpc"]]
    request = json_format.ParseDict(case["request"], request_type())
    metadata = [] if case["authorization"] is None else [("authorization", case["authorization"])]
    path = f"/google.firestore.v1.Firestore/{case['rpc']}"
    with grpc.insecure_channel(host) as channel:
        make = channel.unary_stream if streaming else channel.unary_unary
        stub = make(path, request_type.SerializeToString, response_type.FromString)
        try:
            answer = stub(request, metadata=metadata, timeout=10)
            responses = list(answer) if streaming else [answer]
        except grpc.RpcError as error:
            return {"code": error.code().name, "message": error.details()}
    return summarise(responses)


GRPC = DATA["grpc"]
REST = DATA["rest"]


def explain_options(request: dict[str, Any]) -> dict[str, Any] | None:
    """A recorded request's explain options (REST or gRPC spelling), None without."""
    found = request.get("explain_options", request.get("explainOptions"))
    return found if isinstance(found, dict) else None


def in_production(case: dict[str, Any]) -> dict[str, Any]:
    """The recorded outcome with production's answer to explain options applied."""
    outcome = dict(case["outcome"])
    options = explain_options(case["request"])
    if options is None:
        return outcome
    outcome["explain_metrics"] = True
    if not options.get("analyze", False):
        outcome.update(documents=[], aggregations=[], done=case["rpc"] == "RunQuery")
    return outcome


@pytest.mark.parametrize("case", GRPC, ids=[case["name"] for case in GRPC])
def test_grpc_answers_as_recorded(host, case):
    """Results (with production's explain metrics when asked), or the recorded refusal."""
    assert call(host, case) == in_production(case)


@pytest.mark.parametrize("case", REST, ids=[case["name"] for case in REST])
def test_rest_answers_as_recorded(host, case):
    """The same over REST, byte for byte (server times normalised)."""
    response = httpx.post(
        f"http://{host}/v1/{DOCS}:{case['verb']}",
        json=case["body"],
        headers={"Authorization": "Bearer owner"},
    )
    text = re.sub(r'"(readTime|createTime|updateTime)": "[^"]+"', r'"\1": "<time>"', response.text)
    options = explain_options(case["body"])
    if options is None:
        assert (response.status_code, text) == (case["outcome"]["status"], case["outcome"]["body"])
        return
    answered, recorded = json.loads(text), json.loads(case["outcome"]["body"])
    metrics = answered[-1].pop("explainMetrics")
    assert metrics["planSummary"]["indexesUsed"]
    assert ("executionStats" in metrics) == options.get("analyze", False)
    if not options.get("analyze", False):
        recorded = [{"readTime": "<time>", "done": True}]
    assert (response.status_code, answered) == (case["outcome"]["status"], recorded)
