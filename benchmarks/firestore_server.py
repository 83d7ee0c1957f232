"""Our Firestore server beside @firestore-emulator/server (npm) and a no-op Python gRPC server,
driven by the same google-cloud-firestore client, on the same workloads, in one run.

Workloads: single-document writes/s, point reads/s, a 1,000-document query, ten concurrent
read-modify-write transactions on one document; plus raw GetDocument calls (a bare gRPC stub)
as the plain cost of one RPC. Each server runs in its own process; the client is this process,
one request at a time (the ten transactions are ten threads).

- `ours`: `python -m firelab.server` with rules off (the client is the owner).
- `node`: @firestore-emulator/server 0.3 (benchmarks/firestore_emulator_node.cjs). It has no
  rules, no GetDocument and no transaction isolation (its transactions never wait or abort).
- `ceiling`: a grpc.aio server whose handlers answer constants (GetDocument and
  BatchGetDocuments a fixed document, Commit a fixed result): what Python gRPC allows here.
- `ours+rules`: our server enforcing benchmarks/firestore_server.rules for a signed-in member.
  The client can only act as an end user outside emulator mode, i.e. over TLS, so these
  requests pass a TLS entrance (firelab.server.UserClients, in a process of its own);
  `ours/tls` is the owner through that same entrance, the figure to compare it with.

Run (figures depend on the machine; not a timed test):

    .venv/bin/python benchmarks/firestore_server.py [--seconds 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
PROJECT = "demo-bench"
RULES = HERE / "firestore_server.rules"
NODE_SCRIPT = HERE / "firestore_emulator_node.cjs"
MEMBER = "bench-member"
SERVICE = "google.firestore.v1.Firestore"


# Servers ------------------------------------------------------------------------------------


@dataclass
class Server:
    """A server process and the address it printed."""

    name: str
    process: subprocess.Popen[str]
    address: str
    extra: str = ""

    def stop(self) -> None:
        """Close its stdin (the lifetime channel), then terminate if it lingers."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def launch(name: str, command: list[str], marker: str) -> Server:
    """Start `command`; wait for the stdout line containing `marker`, whose last word is the
    address (a second word after it, if any, goes to `extra`)."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=HERE.parent,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if marker in line:
            words = line.split(marker, 1)[1].split()
            return Server(name, process, words[0], " ".join(words[1:]))
    raise RuntimeError(f"{name} exited before listening ({process.wait()})")


def start_ours(rules: Path | None = None) -> Server:
    command = [sys.executable, "-m", "firelab.server", "--port", "0", "--project", PROJECT]
    if rules is not None:
        command += ["--rules", str(rules)]
    return launch("ours", command, "listening on ")


def start_node() -> Server:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed")
    return launch("node", [node, str(NODE_SCRIPT)], "listening on ")


def start_ceiling() -> Server:
    return launch("ceiling", [sys.executable, __file__, "--noop-server"], "listening on ")


def start_entrance(backend: str) -> Server:
    return launch("entrance", [sys.executable, __file__, "--entrance", backend], "entrance on ")


# The no-op server and the TLS entrance (run as child processes of this script) ----------------


def serve_noop() -> None:
    """A grpc.aio Firestore service answering constants, until stdin closes."""
    import grpc
    from google.cloud.firestore_v1.types import document, firestore

    document_class = document.Document.pb()
    found = document_class(name=f"projects/{PROJECT}/databases/(default)/documents/items/r")
    found.fields["n"].integer_value = 1
    found.create_time.seconds = found.update_time.seconds = 1
    got = firestore.BatchGetDocumentsResponse.pb()(found=found)
    got.read_time.seconds = 1
    committed = firestore.CommitResponse.pb()()
    committed.commit_time.seconds = 1
    committed.write_results.add(update_time=committed.commit_time)

    results = []
    for n in range(1000):
        response = firestore.RunQueryResponse.pb()()
        response.document.name = (
            f"projects/{PROJECT}/databases/(default)/documents/catalog/d{n:04d}"
        )
        for key, value in item(n).items():
            field = response.document.fields[key]
            if isinstance(value, bool) or not isinstance(value, int | float | list):
                field.string_value = value
            elif isinstance(value, int):
                field.integer_value = value
            elif isinstance(value, float):
                field.double_value = value
            else:
                for tag in value:
                    field.array_value.values.add().string_value = tag
        response.document.create_time.seconds = response.document.update_time.seconds = 1
        response.read_time.seconds = 1
        results.append(response)
    results[-1].done = True

    async def run_query(request: Any, context: Any) -> Any:
        for response in results:
            yield response

    async def get_document(request: Any, context: Any) -> Any:
        return found

    async def batch_get(request: Any, context: Any) -> Any:
        yield got

    async def commit(request: Any, context: Any) -> Any:
        return committed

    handlers = {
        "GetDocument": grpc.unary_unary_rpc_method_handler(
            get_document,
            request_deserializer=firestore.GetDocumentRequest.pb().FromString,
            response_serializer=document_class.SerializeToString,
        ),
        "BatchGetDocuments": grpc.unary_stream_rpc_method_handler(
            batch_get,
            request_deserializer=firestore.BatchGetDocumentsRequest.pb().FromString,
            response_serializer=firestore.BatchGetDocumentsResponse.pb().SerializeToString,
        ),
        "RunQuery": grpc.unary_stream_rpc_method_handler(
            run_query,
            request_deserializer=firestore.RunQueryRequest.pb().FromString,
            response_serializer=firestore.RunQueryResponse.pb().SerializeToString,
        ),
        "Commit": grpc.unary_unary_rpc_method_handler(
            commit,
            request_deserializer=firestore.CommitRequest.pb().FromString,
            response_serializer=firestore.CommitResponse.pb().SerializeToString,
        ),
    }

    async def main() -> None:
        server = grpc.aio.server()
        server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler(SERVICE, handlers),))
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        print(f"listening on 127.0.0.1:{port}", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await server.stop(0)

    asyncio.run(main())


def serve_entrance(backend: str) -> None:
    """A TLS entrance to `backend` (firelab.server.UserClients), until stdin closes; prints
    its address and the certificate to trust."""
    from firelab.server import UserClients

    with UserClients(backend) as clients:
        print(f"entrance on {clients.endpoint} {os.environ['GRPC_DEFAULT_SSL_ROOTS_FILE_PATH']}")
        sys.stdout.flush()
        sys.stdin.read()


# Clients ------------------------------------------------------------------------------------


def owner_client(address: str) -> Any:
    """google-cloud-firestore in emulator mode (the owner: rules off)."""
    from google.cloud import firestore

    os.environ["FIRESTORE_EMULATOR_HOST"] = address
    try:
        return firestore.Client(project=PROJECT)
    finally:
        del os.environ["FIRESTORE_EMULATOR_HOST"]


def token_client(entrance: str, token: str) -> Any:
    """google-cloud-firestore in normal mode through a TLS entrance, sending `token`."""
    from google.cloud import firestore

    from firelab.server import UserTokenCredentials

    return firestore.Client(
        project=PROJECT,
        credentials=UserTokenCredentials(token),
        client_options={"api_endpoint": entrance},
    )


# Workloads ----------------------------------------------------------------------------------


def item(n: int) -> dict[str, Any]:
    return {
        "n": n,
        "owner": MEMBER,
        "title": f"item {n}",
        "tags": ["a", "b"],
        "score": n / 7,
        "visibility": "public",
    }


def rate(action: Callable[[int], None], seconds: float) -> tuple[float, int]:
    """Calls of `action(i)` per second, one at a time, over about `seconds` (after a warm-up);
    and how many calls that was."""
    for i in range(50):
        action(i)
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(20):
            action(count)
            count += 1
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start), count


def writes_per_second(client: Any, seconds: float) -> tuple[float, int]:
    items = client.collection("items")
    return rate(lambda i: items.document(f"w{i % 5000}").set(item(i)), seconds)


def reads_per_second(client: Any, seconds: float) -> tuple[float, int]:
    document = client.document("items/r")

    def read(_: int) -> None:
        assert document.get().exists

    return rate(read, seconds)


def seed_big(client: Any) -> None:
    """1,000 public items in `catalog` (owner client), in batches of 500."""
    for first in range(0, 1000, 500):
        batch = client.batch()
        for n in range(first, first + 500):
            batch.set(client.document(f"catalog/d{n:04d}"), item(n))
        batch.commit()


def query_ms(client: Any, runs: int) -> float:
    """Median milliseconds to stream the 1,000 public documents of `catalog`."""
    from google.cloud.firestore_v1.base_query import FieldFilter

    query = client.collection("catalog").where(filter=FieldFilter("visibility", "==", "public"))
    times = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        count = sum(1 for _ in query.stream())
        times.append(time.perf_counter() - start)
        assert count == 1000, count
    return statistics.median(times[1:]) * 1000


FINALS: dict[str, list[int]] = {}
"""Each backend's counter after every transaction race (10 if no update was lost)."""


def transactions(client: Any, backend: str, workers: int = 10) -> tuple[float, int]:
    """Seconds for `workers` threads to increment one counter in a transaction each."""
    from google.cloud import firestore

    counter = client.document(f"counters/c{time.monotonic_ns()}")
    counter.set({"n": 0})

    @firestore.transactional
    def increment(transaction: Any) -> None:
        snapshot = counter.get(transaction=transaction)
        transaction.update(counter, {"n": snapshot.get("n") + 1})

    failures: list[BaseException] = []

    def work() -> None:
        try:
            increment(client.transaction(max_attempts=20))
        except Exception as error:  # a benchmark reports failures, it does not stop
            failures.append(error)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    FINALS.setdefault(backend, []).append(counter.get().get("n"))
    if failures:
        print(f"    ({len(failures)} transactions failed: {failures[0]!r:.80})")
    return elapsed, workers


def raw_get_document(address: str, seconds: float) -> tuple[float, int]:
    """GetDocument calls per second through a bare grpcio stub (no client library)."""
    import grpc
    from google.cloud.firestore_v1.types import document, firestore

    name = f"projects/{PROJECT}/databases/(default)/documents/items/r"
    request = firestore.GetDocumentRequest.pb()(name=name)
    with grpc.insecure_channel(address) as channel:
        call = channel.unary_unary(
            f"/{SERVICE}/GetDocument",
            request_serializer=firestore.GetDocumentRequest.pb().SerializeToString,
            response_deserializer=document.Document.pb().FromString,
        )
        metadata = (("authorization", "Bearer owner"),)
        return rate(lambda _: call(request, metadata=metadata), seconds)


# The run ------------------------------------------------------------------------------------


@dataclass
class Row:
    """One workload's figure per backend; `higher` if bigger is better; `cpu` is the server
    processes' CPU time per operation (µs), a figure the machine's other load disturbs less."""

    workload: str
    unit: str
    higher: bool
    figures: dict[str, float | None]
    note: str = ""
    cpu: dict[str, float] = field(default_factory=dict)


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process `pid` and its descendants."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, family = 0.0, {pid}
    for child in sorted(parents):
        if child in family or parents[child] in family:
            family.add(child)
            total += times.get(child, 0.0)
    return total


def sample(
    servers: dict[str, Server], work: dict[str, Callable[[], tuple[float, int]]], rounds: int
) -> tuple[dict[str, float | None], dict[str, float]]:
    """Run each backend's `work` (returning a figure and its operation count) `rounds` times,
    interleaved so the machine's other load falls on all alike; medians of the figures and
    server CPU µs per operation."""
    figures: dict[str, list[float]] = {name: [] for name in work}
    cpu: dict[str, list[float]] = {name: [] for name in work}
    for _ in range(rounds):
        for name, action in work.items():
            before = tree_cpu(servers[name].process.pid)
            figure, operations = action()
            used = tree_cpu(servers[name].process.pid) - before
            figures[name].append(figure)
            cpu[name].append(used / operations * 1e6)
    return (
        {name: statistics.median(values) for name, values in figures.items()},
        {name: statistics.median(values) for name, values in cpu.items()},
    )


@contextmanager
def running(*starters: Callable[[], Server]) -> Iterator[list[Server]]:
    servers: list[Server] = []
    try:
        for start in starters:
            servers.append(start())
        yield servers
    finally:
        for server in servers:
            server.stop()


def workloads(
    clients: dict[str, Any], seconds: float, runs: int
) -> list[tuple[Row, dict[str, Callable[[], tuple[float, int]]]]]:
    """The rows and, per backend, what measures them."""

    def each(
        names: list[str], make: Callable[[Any, str], Callable[[], tuple[float, int]]]
    ) -> dict[str, Callable[[], tuple[float, int]]]:
        return {name: make(clients[name], name) for name in names}

    everyone = list(clients)
    return [
        (
            Row("single-document writes", "writes/s", True, {}),
            each(everyone, lambda c, _: lambda: writes_per_second(c, seconds)),
        ),
        (
            Row("point reads", "reads/s", True, {}),
            each(everyone, lambda c, _: lambda: reads_per_second(c, seconds)),
        ),
        (
            Row("1,000-document query", "ms", False, {}),
            each(everyone, lambda c, _: lambda: (query_ms(c, runs), runs)),
        ),
        (
            Row("10 concurrent transactions, one doc", "s", False, {}),
            each(
                [n for n in everyone if n != "ceiling"],
                lambda c, name: lambda: transactions(c, name),
            ),
        ),
    ]


def measure(args: argparse.Namespace) -> list[Row]:
    seconds, runs, rounds = args.seconds, args.runs, args.rounds
    rows: list[Row] = []
    with running(start_ours, start_node, start_ceiling) as started:
        servers = {server.name: server for server in started}
        clients = {name: owner_client(server.address) for name, server in servers.items()}
        for name, client in clients.items():
            client.document("items/r").set(item(0))
            if name != "ceiling":
                seed_big(client)
        for row, work in workloads(clients, seconds, runs):
            print(f"measuring: {row.workload}", flush=True)
            row.figures, row.cpu = sample(servers, work, rounds)
            rows.append(row)
        print("measuring: GetDocument through a bare stub", flush=True)
        stub = {
            name: (lambda a=servers[name].address: raw_get_document(a, seconds))
            for name in ("ours", "ceiling")
        }
        figures, cpu = sample(servers, stub, rounds)
        rows.append(
            Row(
                "GetDocument (bare stub)",
                "calls/s",
                True,
                figures,
                "node: GetDocument not implemented",
                cpu,
            )
        )
        for client in clients.values():
            client.close()
    rows[3].note = "final counters: " + "; ".join(f"{k} {v}" for k, v in FINALS.items())
    print("measuring: rules on (through a TLS entrance)", flush=True)
    with running(lambda: start_ours(RULES)) as (ruled,):
        setup = owner_client(ruled.address)
        setup.document("items/r").set(item(0))
        seed_big(setup)
        setup.close()
        with running(lambda: start_entrance(ruled.address)) as (entrance,):
            os.environ["GRPC_DEFAULT_SSL_ROOTS_FILE_PATH"] = entrance.extra
            from firelab.tokens import mock_id_token

            token = mock_id_token(MEMBER, project=PROJECT, role="user")
            ruled_clients = {
                "ours/tls": token_client(entrance.address, "owner"),
                "ours+rules": token_client(entrance.address, token),
            }
            aliases = dict.fromkeys(ruled_clients, ruled)
            for row, (_, work) in zip(rows, workloads(ruled_clients, seconds, runs), strict=False):
                print(f"measuring with rules: {row.workload}", flush=True)
                figures, cpu = sample(aliases, work, rounds)
                row.figures.update(figures)
                row.cpu.update(cpu)
            for client in ruled_clients.values():
                client.close()
    return rows


def report(rows: list[Row]) -> None:
    columns = ["ours", "node", "ceiling", "ours/tls", "ours+rules"]
    print()
    header = f"{'workload':38} {'unit':9}" + "".join(f"{c:>11}" for c in columns)
    print(header + f"{'ours/node':>11}{'ours/ceil':>11}{'rules cost':>11}")
    for row in rows:
        cells = "".join(
            f"{row.figures[c]:>11.1f}" if row.figures.get(c) is not None else f"{'-':>11}"
            for c in columns
        )
        ratios = [
            _ratio(row, "ours", "node"),
            _ratio(row, "ours", "ceiling"),
            _ratio(row, "ours+rules", "ours/tls"),
        ]
        print(f"{row.workload:38} {row.unit:9}{cells}" + "".join(f"{r:>11}" for r in ratios))
        cpu = "".join(f"{row.cpu[c]:>11.0f}" if c in row.cpu else f"{'-':>11}" for c in columns)
        print(f"{'  server CPU per op':38} {'µs':9}{cpu}")
        if row.note:
            print(f"{'':48}{row.note}")
    print(
        "\nFigures are medians of interleaved rounds. ours/node, ours/ceil: how many times better"
        " ours is (>1: ours ahead; for times the ratio is inverted). rules cost: ours+rules"
        " relative to ours/tls (the same TLS path, rules off). Server CPU per op sums the server's"
        " processes (ours: server and relay child)."
    )


def _ratio(row: Row, mine: str, other: str) -> str:
    a, b = row.figures.get(mine), row.figures.get(other)
    if a is None or b is None or a == 0 or b == 0:
        return "-"
    return f"{(a / b if row.higher else b / a):.2f}x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput figure")
    parser.add_argument("--runs", type=int, default=5, help="queries per round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds per figure")
    parser.add_argument("--noop-server", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--entrance", metavar="HOST:PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.noop_server:
        serve_noop()
    elif args.entrance:
        serve_entrance(args.entrance)
    else:
        report(measure(args))


if __name__ == "__main__":
    main()
