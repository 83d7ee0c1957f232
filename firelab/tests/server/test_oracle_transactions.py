"""transactions.json replayed through the wire: what transactions lock, how long conflicting
writes wait (2 s), when transactions end or abort, and how `verify` writes are checked.

The server runs on a lock clock the replay drives (as in core/test_transactions_oracle.py): each
step runs in its own thread, and when every running step waits for a lock the clock jumps to
the earliest lock deadline; a recorded `sleep` moves it by its seconds. Waits are clock time.

Steps run as recorded: over REST as the owner, except transactional GetDocument and
ListDocuments, which went over gRPC. Each scenario uses its own project. Times are rounded to
half a second; transaction IDs are not compared (the official emulator also spends IDs on
requests outside transactions). `compare` weakens a step's check: `status`, `codes` (no
messages) or `none`.
"""

from __future__ import annotations

import base64
import json
import math
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import httpx
import pytest
from google.protobuf import json_format

from firelab.server import FirestoreServer
from firelab.server import _protos as protos
from firelab.server.core import Database, Emulator
from firelab.server.core._transactions import LockState

ORACLE = Path(__file__).parents[1] / "oracle" / "firestore-emulator-1.22.0"
SCENARIOS = json.loads((ORACLE / "transactions.json").read_text("utf-8"))["scenarios"]
OWNER = {"Authorization": "Bearer owner"}


def _status_name(code: int) -> str:
    return next(status for status in grpc.StatusCode if status.value[0] == code).name


def rest_write(base: str, shorthand: dict[str, Any]) -> dict[str, Any]:
    """The REST write for the recording's shorthand (tools/oracle/transactions.py)."""
    if "delete" in shorthand:
        out: dict[str, Any] = {"delete": f"{base}/{shorthand['delete']}"}
    elif "verify" in shorthand:
        out = {"verify": f"{base}/{shorthand['verify']}"}
    else:
        fields: dict[str, Any] = {}
        if "n" in shorthand:
            fields["n"] = {"integerValue": str(shorthand["n"])}
        if shorthand.get("reserved"):
            fields["__x__"] = {"nullValue": None}
        out = {"update": {"name": f"{base}/{shorthand['update']}", "fields": fields}}
    if "exists" in shorthand:
        out["currentDocument"] = {"exists": shorthand["exists"]}
    if "mask" in shorthand:
        out["updateMask"] = {"fieldPaths": shorthand["mask"]}
    if "increment" in shorthand:
        out["updateTransforms"] = [
            {"fieldPath": shorthand["increment"], "increment": {"integerValue": "1"}}
        ]
    return out


class ManualClock:
    """The lock clock's seconds, moved only by the replay."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def clocked_server() -> Iterator[tuple[FirestoreServer, ManualClock]]:
    clock = ManualClock()
    with FirestoreServer(emulator=Emulator(monotonic=clock)) as server:
        yield server, clock


class Runner:
    """Runs one scenario's steps against the server, recording outcomes by label."""

    def __init__(self, server: FirestoreServer, clock: ManualClock, project: str) -> None:
        self.server = server
        self.clock = clock
        self.host = server.address
        self.project = project
        self.base = f"projects/{project}/databases/(default)/documents"
        self.transactions: dict[str, str] = {}
        self.outcomes: dict[str, dict[str, Any]] = {}
        self.threads: dict[str, threading.Thread] = {}
        self.active: set[str] = set()

    @property
    def database(self) -> Database:
        return self.server.emulator.database(self.project)

    def rest(self, method: str, path: str, body: Any = None) -> tuple[str, str, Any]:
        with httpx.Client(timeout=120) as client:
            response = client.request(
                method, f"http://{self.host}/{path}", json=body, headers=OWNER
            )
        if response.status_code == 200:
            is_json = response.headers.get("content-type") == "application/json"
            return "OK", "", response.json() if is_json else None
        error = response.json()["error"]
        return error["status"], error.get("message", ""), None

    def grpc(self, method: str, request: Any, response_type: Any) -> tuple[str, str, Any]:
        with grpc.insecure_channel(self.host) as channel:
            stub = channel.unary_unary(
                f"/google.firestore.v1.Firestore/{method}",
                type(request).SerializeToString,
                response_type.FromString,
            )
            try:
                answer = stub(request, metadata=[("authorization", "Bearer owner")], timeout=120)
            except grpc.RpcError as error:
                return error.code().name, error.details() or "", None
        return "OK", "", json_format.MessageToDict(answer)

    def document(self, document: dict[str, Any]) -> dict[str, Any]:
        n = document.get("fields", {}).get("n", {}).get("integerValue")
        return {"name": document["name"][len(self.base) + 1 :], "n": None if n is None else int(n)}

    def execute(self, step: dict[str, Any]) -> tuple[str, str, Any]:
        op = step["op"]
        txn = self.transactions.get(step["txn"]) if "txn" in step else None
        base = self.base
        if op == "begin":
            body = {}
            if "options" in step:
                text = json.dumps(step["options"])
                for label, transaction in self.transactions.items():
                    text = text.replace("{" + label + "}", transaction)
                body = {"options": json.loads(text)}
            status, message, result = self.rest("POST", f"v1/{base}:beginTransaction", body)
            if result:
                self.transactions[step["as"]] = result["transaction"]
            return status, message, result
        if op == "read":
            body: dict[str, Any] = {"documents": [f"{base}/{d}" for d in step["documents"]]}
            if txn:
                body["transaction"] = txn
            if "new" in step:
                body["newTransaction"] = step["new"]
            status, message, result = self.rest("POST", f"v1/{base}:batchGet", body)
            return status, message, None if result is None else self._stream(step, result)
        if op == "get":
            if not txn:
                status, message, result = self.rest("GET", f"v1/{base}/{step['document']}")
            else:
                request = protos.GetDocumentRequest(name=f"{base}/{step['document']}")
                request.transaction = _bytes(txn)
                status, message, result = self.grpc("GetDocument", request, protos.Document)
            return status, message, self.document(result) if result else None
        if op == "list":
            if not txn:
                query = f"?pageSize={step['pageSize']}" if "pageSize" in step else ""
                path = f"v1/{base}/{step['collection']}{query}"
                status, message, result = self.rest("GET", path)
            else:
                request = protos.ListDocumentsRequest(
                    parent=base, collection_id=step["collection"], transaction=_bytes(txn)
                )
                request.page_size = step.get("pageSize", 0)
                status, message, result = self.grpc(
                    "ListDocuments", request, protos.ListDocumentsResponse
                )
            if result is None:
                return status, message, None
            return status, message, [self.document(d) for d in result.get("documents", [])]
        if op in ("query", "aggregate"):
            query = {"from": [{"collectionId": step["collection"]}]}
            if step.get("group"):
                query["from"][0]["allDescendants"] = True
            elif op == "query":
                query["from"][0]["allDescendants"] = False
            if op == "query":
                body = {"structuredQuery": query}
                verb = "runQuery"
            else:
                body = {
                    "structuredAggregationQuery": {
                        "structuredQuery": query,
                        "aggregations": [{"count": {}, "alias": "n"}],
                    }
                }
                verb = "runAggregationQuery"
            if txn:
                body["transaction"] = txn
            if "new" in step:
                body["newTransaction"] = step["new"]
            status, message, result = self.rest("POST", f"v1/{base}:{verb}", body)
            return status, message, None if result is None else self._stream(step, result)
        if op == "commit":
            body = {"writes": [rest_write(base, w) for w in step["writes"]]}
            if "raw" in step:
                body["transaction"] = step["raw"]
            elif txn:
                body["transaction"] = txn
            status, message, _ = self.rest("POST", f"v1/{base}:commit", body)
            return status, message, None
        if op == "batchWrite":
            body = {"writes": [rest_write(base, w) for w in step["writes"]]}
            status, message, result = self.rest("POST", f"v1/{base}:batchWrite", body)
            if result is None:
                return status, message, None
            statuses = [
                {"status": _status_name(item.get("code", 0)), "message": item.get("message", "")}
                for item in result["status"]
            ]
            return status, message, statuses
        if op == "rollback":
            body = {"transaction": step.get("raw", txn)}
            status, message, _ = self.rest("POST", f"v1/{base}:rollback", body)
            return status, message, None
        if op == "reset":
            status, message, _ = self.rest("POST", "reset")
            return status, message, None
        raise AssertionError(f"unknown step {op}")

    def _stream(self, step: dict[str, Any], responses: list[dict[str, Any]]) -> list[Any]:
        out: list[Any] = []
        for response in responses:
            if "transaction" in response:
                self.transactions[step["as"]] = response["transaction"]
                out.append({"transaction": response["transaction"]})
            if "found" in response:
                out.append({"found": self.document(response["found"])})
            if "missing" in response:
                out.append({"missing": response["missing"][len(self.base) + 1 :]})
            if "document" in response:
                out.append({"document": self.document(response["document"])})
            if "result" in response:
                count = response["result"]["aggregateFields"]["n"]["integerValue"]
                out.append({"count": int(count)})
        return out

    def timed(self, step: dict[str, Any]) -> None:
        start = self.clock.now
        database = self.database
        try:
            status, message, result = self.execute(step)
        finally:
            self.active.discard(step["label"])
            # A reset replaces the database: tell a replay waiting on the one it began with.
            database.recheck_locks()
            self.database.recheck_locks()
        elapsed = self.clock.now - start
        if step["op"] in ("get", "list") and "txn" in step:
            rounded = math.floor(elapsed * 2) / 2
        else:
            rounded = round(elapsed * 2) / 2
        outcome: dict[str, Any] = {
            "status": status,
            "message": message.replace(self.project, "{project}"),
            "elapsed": rounded,
        }
        if result is not None:
            outcome["result"] = json.loads(json.dumps(result).replace(self.project, "{project}"))
        self.outcomes[step["label"]] = outcome

    def run(self, steps: list[dict[str, Any]]) -> None:
        for step in steps:
            if step["op"] == "sleep":
                self.sleep(step["seconds"])
            elif step["op"] == "wait":
                for label in step["for"]:
                    self.finish(label)
            else:
                self.start(step)
                if not step.get("background"):
                    self.finish(step["label"])
        for label in list(self.threads):
            self.finish(label)

    def start(self, step: dict[str, Any]) -> None:
        """Send a step from its own thread; return once it is answered or waits for a lock."""
        self.active.add(step["label"])
        thread = threading.Thread(target=self.timed, args=(step,))
        self.threads[step["label"]] = thread
        thread.start()
        self.settle()

    def settle(self) -> None:
        """Until every running step has been answered or waits for a lock."""

        def quiet(state: LockState) -> bool:
            waiting = len(state.waiting_writers) + len(state.waiting_readers)
            return state.settled and waiting >= len(self.active)

        assert self.database.wait_for_locks(quiet, timeout=30), self.active

    def finish(self, label: str) -> None:
        """Let time pass, deadline by deadline, until step `label` has been answered."""
        while label in self.active:
            self.settle()
            if label in self.active:
                self.move_clock(self.database.lock_state().deadlines[0])
        self.threads.pop(label).join()

    def sleep(self, seconds: float) -> None:
        """A recorded pause: the clock moves by `seconds`, through every deadline on the way."""
        target = self.clock.now + seconds
        while True:
            self.settle()
            due = [d for d in self.database.lock_state().deadlines if d <= target]
            if not due:
                break
            self.move_clock(due[0])
        self.move_clock(target)
        self.settle()

    def move_clock(self, to: float) -> None:
        self.clock.now = max(self.clock.now, to)
        self.database.recheck_locks()


def _bytes(transaction: str) -> bytes:
    return base64.b64decode(transaction)


def _without_ids(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "<id>" if k == "transaction" else _without_ids(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def _without_messages(outcome: dict[str, Any]) -> dict[str, Any]:
    out = {key: value for key, value in outcome.items() if key != "message"}
    if isinstance(out.get("result"), list):
        out["result"] = [
            {k: v for k, v in item.items() if k != "message"} if isinstance(item, dict) else item
            for item in out["result"]
        ]
    return out


def _params() -> list[Any]:
    params = []
    for scenario in SCENARIOS:
        marks = [pytest.mark.slow] if scenario.get("slow") else []
        params.append(pytest.param(scenario, id=scenario["name"], marks=marks))
    return params


@pytest.mark.parametrize("scenario", _params())
def test_transaction_scenario_answers_as_recorded(clocked_server, scenario):
    """Every step's status, message, wait and result match the recording."""
    runner = Runner(*clocked_server, f"txn-{uuid.uuid4().hex[:8]}")
    runner.run(scenario["steps"])
    for step in scenario["steps"]:
        if "outcome" not in step:
            continue
        expected, actual = (
            _without_ids(step["outcome"]),
            _without_ids(runner.outcomes[step["label"]]),
        )
        compare = step.get("compare")
        if compare == "none":
            continue
        if compare == "status":
            assert actual["status"] == expected["status"], step["label"]
        elif compare == "codes":
            assert _without_messages(actual) == _without_messages(expected), step["label"]
        else:
            assert actual == expected, step["label"]
