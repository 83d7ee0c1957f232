"""Transactions replayed from transactions.json: lock waits and their timeouts, aborts and
their messages, read-only snapshots, rollback, expiry, verify writes and the transaction IDs
themselves (the emulator's per-database counter).

The replay runs on a lock clock it drives itself, so no step waits on the wall clock: every
step runs in its own thread, and whenever all running steps wait for locks, the clock jumps
to the earliest lock deadline (a recorded `sleep` moves it by its seconds). A step's recorded
wait (`elapsed`, to 0.5 s) is then the clock time it spent, exactly.
"""

from __future__ import annotations

import base64
import math
import threading
from typing import Any

import pytest
from google.protobuf import json_format

from firelab.server.core import Database, Emulator, FirestoreError
from firelab.server.core._protos import (
    BatchGetDocumentsRequest,
    BatchWriteRequest,
    BeginTransactionRequest,
    CommitRequest,
    Document,
    GetDocumentRequest,
    ListDocumentsRequest,
    RollbackRequest,
    RunAggregationQueryRequest,
    RunQueryRequest,
    TransactionOptions,
    Write,
)
from firelab.server.core._transactions import LockState

from .oracle import load, relative, verify_write

SCENARIOS = load("transactions.json")["scenarios"]


def _params(scenarios: list[dict[str, Any]]) -> list[Any]:
    return [
        pytest.param(s, id=s["name"], marks=[pytest.mark.slow] if s.get("slow") else [])
        for s in scenarios
    ]


class ManualClock:
    """The lock clock's seconds, moved only by the replay."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Replay:
    """Runs one scenario's steps against a fresh emulator and records outcomes."""

    def __init__(self, project: str) -> None:
        self.clock = ManualClock()
        self.emulator = Emulator(monotonic=self.clock)
        self.project = project
        self.transactions: dict[str, bytes] = {}
        self.outcomes: dict[str, dict[str, Any]] = {}
        self.threads: dict[str, threading.Thread] = {}
        self.active: set[str] = set()
        """Labels of steps still running (a step leaves it before it signals the lock
        table, so a waiter on the table sees it gone)."""

    @property
    def database(self) -> Database:
        return self.emulator.database(self.project)

    def name(self, path: str) -> str:
        return f"{self.database.id.documents_root}/{path}"

    def write(self, spec: dict[str, Any]) -> Write:
        write = verify_write(self.name(spec["verify"]), None) if "verify" in spec else Write()
        if "delete" in spec:
            write.delete = self.name(spec["delete"])
        elif "update" in spec:
            write.update.name = self.name(spec["update"])
            if "n" in spec:
                write.update.fields["n"].integer_value = spec["n"]
            if spec.get("reserved"):
                write.update.fields["__x__"].null_value = 0
        if "exists" in spec:
            write.current_document.exists = spec["exists"]
        if "mask" in spec:
            write.update_mask.field_paths.extend(spec["mask"])
        if "increment" in spec:
            transform = write.update_transforms.add()
            transform.field_path = spec["increment"]
            transform.increment.integer_value = 1
        return write

    def document(self, document: Document) -> dict[str, Any]:
        n = document.fields["n"].integer_value if "n" in document.fields else None
        return {"name": relative(self.database, document.name), "n": n}

    def options(self, data: dict[str, Any]) -> TransactionOptions:
        text = base64.b64encode(b"").decode()
        for label, raw in self.transactions.items():
            text = base64.b64encode(raw).decode()
            data = _replace(data, "{" + label + "}", text)
        options = TransactionOptions()
        json_format.ParseDict(data, options)
        return options

    def execute(self, step: dict[str, Any]) -> Any:
        op = step["op"]
        database = self.database
        transaction = self.transactions.get(step["txn"]) if "txn" in step else None
        if op == "begin":
            request = BeginTransactionRequest(database=database.id.root)
            if "options" in step:
                request.options.CopyFrom(self.options(step["options"]))
            raw = database.begin_transaction(request).transaction
            self.transactions[step["as"]] = raw
            return {"transaction": base64.b64encode(raw).decode()}
        if op == "read":
            batch = BatchGetDocumentsRequest(
                database=database.id.root, documents=[self.name(d) for d in step["documents"]]
            )
            if transaction is not None:
                batch.transaction = transaction
            if "new" in step:
                batch.new_transaction.CopyFrom(self.options(step["new"]))
            out = []
            for response in database.batch_get_documents(batch):
                if response.transaction:
                    self.transactions[step["as"]] = response.transaction
                    out.append({"transaction": base64.b64encode(response.transaction).decode()})
                elif response.HasField("found"):
                    out.append({"found": self.document(response.found)})
                else:
                    out.append({"missing": relative(database, response.missing)})
            return out
        if op == "get":
            get = GetDocumentRequest(name=self.name(step["document"]))
            if transaction is not None:
                get.transaction = transaction
            return self.document(database.get_document(get))
        if op == "list":
            listing = ListDocumentsRequest(
                parent=database.id.documents_root,
                collection_id=step["collection"],
                page_size=step.get("pageSize", 0),
            )
            if transaction is not None:
                listing.transaction = transaction
            return [self.document(d) for d in database.list_documents(listing).documents]
        if op == "query":
            query = RunQueryRequest(parent=database.id.documents_root)
            selector = query.structured_query.from_.add()
            selector.collection_id = step["collection"]
            selector.all_descendants = step.get("group", False)
            if transaction is not None:
                query.transaction = transaction
            if "new" in step:
                query.new_transaction.CopyFrom(self.options(step["new"]))
            out = []
            for response in database.run_query(query):
                if response.transaction:
                    self.transactions[step["as"]] = response.transaction
                    out.append({"transaction": base64.b64encode(response.transaction).decode()})
                if response.HasField("document"):
                    out.append({"document": self.document(response.document)})
            return out
        if op == "aggregate":
            aggregation = RunAggregationQueryRequest(parent=database.id.documents_root)
            structured = aggregation.structured_aggregation_query
            structured.structured_query.from_.add().collection_id = step["collection"]
            structured.aggregations.add(alias="n").count.SetInParent()
            if transaction is not None:
                aggregation.transaction = transaction
            if "new" in step:
                aggregation.new_transaction.CopyFrom(self.options(step["new"]))
            out = []
            for response in database.run_aggregation_query(aggregation):
                if response.transaction:
                    self.transactions[step["as"]] = response.transaction
                    out.append({"transaction": base64.b64encode(response.transaction).decode()})
                out.append({"count": response.result.aggregate_fields["n"].integer_value})
            return out
        if op == "commit":
            commit = CommitRequest(
                database=database.id.root, writes=[self.write(w) for w in step["writes"]]
            )
            if "raw" in step:
                commit.transaction = base64.b64decode(step["raw"])
            elif transaction is not None:
                commit.transaction = transaction
            database.commit(commit)
            return None
        if op == "batchWrite":
            writes = BatchWriteRequest(
                database=database.id.root, writes=[self.write(w) for w in step["writes"]]
            )
            response = database.batch_write(writes)
            return [
                {"status": _code(status.code), "message": status.message}
                for status in response.status
            ]
        if op == "rollback":
            raw = base64.b64decode(step["raw"]) if "raw" in step else transaction
            database.rollback(RollbackRequest(database=database.id.root, transaction=raw or b""))
            return None
        if op == "reset":
            self.emulator.reset()
            return None
        raise AssertionError(f"unknown step {op}")

    def timed(self, step: dict[str, Any]) -> None:
        start = self.clock.now
        database = self.database
        status, message, result = "OK", "", None
        try:
            result = self.execute(step)
        except FirestoreError as error:
            status, message = error.code.name, error.message
        finally:
            self.active.discard(step["label"])
            # A reset replaces the database: tell a replay waiting on the one it began with.
            database.recheck_locks()
            self.database.recheck_locks()
        elapsed = math.floor((self.clock.now - start) * 2 + 0.5) / 2
        outcome: dict[str, Any] = {
            "status": status,
            "message": message.replace(self.project, "{project}"),
            "elapsed": elapsed,
        }
        if result is not None:
            outcome["result"] = result
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
        """Run a step in its own thread until it ends or waits for a lock."""
        self.active.add(step["label"])
        thread = threading.Thread(target=self.timed, args=(step,))
        self.threads[step["label"]] = thread
        thread.start()
        self.settle()

    def settle(self) -> None:
        """Until every running step has ended or waits for a lock."""

        def quiet(state: LockState) -> bool:
            waiting = len(state.waiting_writers) + len(state.waiting_readers)
            return state.settled and waiting >= len(self.active)

        assert self.database.wait_for_locks(quiet), (self.active, self.database.lock_state())

    def finish(self, label: str) -> None:
        """Let time pass, deadline by deadline, until step `label` has ended."""
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


def _replace(data: Any, needle: str, text: str) -> Any:
    if isinstance(data, dict):
        return {k: _replace(v, needle, text) for k, v in data.items()}
    if isinstance(data, str):
        return data.replace(needle, text)
    return data


_CODES = [
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
]


def _code(number: int) -> str:
    return _CODES[number]


def _expected(step: dict[str, Any], outcome: dict[str, Any]) -> tuple[Any, Any]:
    compare = step.get("compare")
    wanted = dict(step["outcome"])
    if compare == "status":
        return outcome["status"], wanted["status"]
    if compare == "codes":
        got = {k: v for k, v in outcome.items() if k != "message"}
        wanted.pop("message")
        if "result" in wanted:
            wanted["result"] = [{"status": r["status"]} for r in wanted["result"]]
            got["result"] = [{"status": r["status"]} for r in got["result"]]
        return got, wanted
    return outcome, wanted


@pytest.mark.parametrize("scenario", _params(SCENARIOS))
def test_transaction_scenario_matches_the_official_emulator(scenario: dict[str, Any]) -> None:
    """Every step gets the recorded status, message, wait (to 0.5 s) and result."""
    replay = Replay("txn-000000-0")
    replay.run(scenario["steps"])
    for step in scenario["steps"]:
        if "outcome" not in step or step.get("compare") == "none":
            continue
        got, wanted = _expected(step, replay.outcomes[step["label"]])
        assert got == wanted, step["label"]
