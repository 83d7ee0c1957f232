"""What the console costs the local stack when nobody has it open: client throughput with the
console enabled (judged requests recorded with their rules traces, function runs recorded with
their output and cost) against the same stack with it disabled, in one run.

Each stack runs in its own process (`python -m firelab.stack`-like, from this file), with the
console tests' rules and functions (a validated write per member, a trigger writing a summary
of each note). The load comes from this process over the REST API with members' ID tokens:
per operation an allowed write (which fires the trigger), a denied write (the rules keep its
trace) and an allowed read. A round ends when the stack's functions are idle, so the
triggers' work is inside the time. Rounds alternate the two stacks; figures are medians.
Run on demand (not a timed test):

    .venv/bin/python benchmarks/console_overhead.py [--rounds 5] [--operations 300] [--no-denials]

`--no-denials` leaves the denied write out: the cost of the console for traffic the rules allow
(a denial is traced by evaluating it a second time, so denial-heavy traffic costs more).
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TESTDATA = ROOT / "firelab" / "tests" / "console" / "testdata"
PROJECT = "demo-bench-console"
MEMBERS = 40
THREADS = 4


def serve(console: bool) -> None:
    """One stack until stdin closes; prints its addresses as one JSON line."""
    from firelab.stack import LocalStack, StackConfig

    config = StackConfig(
        project=PROJECT,
        rules=TESTDATA / "firestore.rules",
        functions_source=TESTDATA / "codebase",
        console=console,
        auth=False,
        storage=False,
    )
    with LocalStack(config) as stack:
        assert stack.firestore is not None
        assert stack.functions is not None
        address = {"firestore": stack.firestore.address, "functions": stack.functions.url}
        print(json.dumps(address), flush=True)
        sys.stdin.read()


def token(uid: str) -> str:
    from firelab.tokens import mock_id_token

    return mock_id_token(uid, project=PROJECT)


class Load:
    """Sends the operations to one stack over keep-alive connections, THREADS at a time."""

    def __init__(self, firestore: str, functions: str, *, denials: bool = True) -> None:
        self.denials = denials
        self.host, port = firestore.rsplit(":", 1)
        self.port = int(port)
        self.functions = functions.removeprefix("http://")
        self.tokens = {f"m{n}": token(f"m{n}") for n in range(MEMBERS)}

    def _send(
        self,
        connection: http.client.HTTPConnection,
        method: str,
        path: str,
        uid: str,
        body: dict[str, object] | None,
        expected: int,
    ) -> None:
        url = f"/v1/projects/{PROJECT}/databases/(default)/documents/{path}"
        data = None if body is None else json.dumps(body)
        headers = {
            "Authorization": f"Bearer {self.tokens[uid]}",
            "Content-Type": "application/json",
        }
        connection.request(method, url, body=data, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != expected:
            raise RuntimeError(f"{method} {path} as {uid}: {response.status}, not {expected}")

    def _worker(self, numbers: range, round_number: int) -> None:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        for n in numbers:
            uid = f"m{n % MEMBERS}"
            note = {
                "fields": {
                    "title": {"stringValue": f"r{round_number}-{n}"},
                    "score": {"integerValue": str(n % 10)},
                }
            }
            denied = {"fields": {"title": {"stringValue": "x"}, "score": {"integerValue": "42"}}}
            self._send(connection, "PATCH", f"notes/{uid}", uid, note, 200)
            if self.denials:
                self._send(connection, "PATCH", f"notes/{uid}", uid, denied, 403)
            self._send(connection, "GET", f"notes/{uid}", uid, None, 200)
        connection.close()

    def round(self, operations: int, round_number: int) -> float:
        """Seconds for `operations` (three requests each) and the triggers they fire."""
        started = time.perf_counter()
        threads = [
            threading.Thread(
                target=self._worker, args=(range(t, operations, THREADS), round_number)
            )
            for t in range(THREADS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        host, port = self.functions.rsplit(":", 1)
        idle = http.client.HTTPConnection(host, int(port), timeout=120)
        idle.request("POST", "/__firelab/idle?timeout=110")
        if idle.getresponse().status != 200:
            raise RuntimeError("the functions did not become idle")
        return time.perf_counter() - started


def start(console: bool, *, denials: bool) -> tuple[subprocess.Popen[str], Load]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", "on" if console else "off"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    address = json.loads(line)
    return process, Load(address["firestore"], address["functions"], denials=denials)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--operations", type=int, default=300)
    options.add_argument("--no-denials", action="store_true", help="only allowed requests")
    options.add_argument("--serve", choices=["on", "off"], help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.serve:
        serve(args.serve == "on")
        return
    denials = not args.no_denials
    stacks = {
        "console disabled": start(False, denials=denials),
        "console enabled": start(True, denials=denials),
    }
    try:
        for _, load in stacks.values():
            load.round(MEMBERS, 0)  # warm-up: every member's note exists, imports are done
        seconds: dict[str, list[float]] = {name: [] for name in stacks}
        for round_number in range(1, args.rounds + 1):
            order = list(stacks) if round_number % 2 else list(reversed(stacks))
            for name in order:
                seconds[name].append(stacks[name][1].round(args.operations, round_number))
    finally:
        for process, _ in stacks.values():
            assert process.stdin is not None
            process.stdin.close()
            process.wait(timeout=60)
    requests = args.operations * (3 if denials else 2)
    kinds = "allowed write firing a trigger, " + ("denied write, " if denials else "")
    print(
        f"{args.operations} operations per round ({kinds}allowed read: {requests} requests), "
        f"{THREADS} client threads, {args.rounds} rounds alternating, medians:"
    )
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name, median in medians.items():
        print(f"  {name:<17} {requests / median:8.1f} requests/s  ({median:.2f} s per round)")
    ratio = medians["console disabled"] / medians["console enabled"]
    print(f"  enabled / disabled throughput: {ratio:.3f}")


if __name__ == "__main__":
    main()
