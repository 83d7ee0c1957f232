"""Upload and download throughput of the local Storage server through the firebase web SDK, for
1 KB, 1 MB and 20 MB files, with the server's CPU per operation; beside a ceiling, in one run.

- `ours`: `python -m firelab.storage` enforcing a rule for a signed-in member (every client
  request is judged, as on the emulator), in its own process.
- `ceiling`: the same HTTP layer in its own process answering every request with canned
  bytes (no rules, no hashing, no store): what Python HTTP allows here, the figure to compare
  ours with.

The SDK runs under Node (benchmarks/storage_throughput.mjs), one operation at a time:
`uploadBytes` (one multipart request), `uploadBytesResumable` (256 KiB chunks doubling up to
32 MiB) and `getBytes`. Rounds alternate the servers; figures are medians. Run on demand (not a
timed test):

    .venv/bin/python benchmarks/storage_throughput.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PROJECT = "demo-bench-storage"
RULES = """rules_version = '2';
service firebase.storage {
  match /b/{bucket}/o {
    match /users/{uid}/{file} {
      allow read, write: if request.auth.uid == uid;
    }
  }
}
"""
SIZES = {"1 KB": 1024, "1 MB": 1024 * 1024, "20 MB": 20 * 1024 * 1024}
COUNTS = {1024: 100, 1024 * 1024: 20, 20 * 1024 * 1024: 3}
OPERATIONS = ("upload", "resumable", "download")
_TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds used so far by process `pid`."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def serve_ceiling() -> None:
    """The ceiling server: firelab.storage's HTTP layer answering canned responses."""
    from firelab.storage._http import HttpServer, Request, Response, json_response

    metadata = {
        "name": "users/bench/x",
        "bucket": f"{PROJECT}.appspot.com",
        "generation": "1",
        "metageneration": "1",
        "contentType": "application/octet-stream",
        "timeCreated": "2026-01-01T00:00:00.000Z",
        "updated": "2026-01-01T00:00:00.000Z",
        "size": "0",
        "md5Hash": "",
        "downloadTokens": "t",
    }
    blobs: dict[int, bytes] = {}

    def app(request: Request) -> Response:
        if request.query.get("alt") == "media":
            size = int(request.path.rsplit("-", 1)[1])
            return Response(200, blobs.setdefault(size, bytes(size)), "application/octet-stream")
        command = request.header("x-goog-upload-command") or ""
        headers = [("x-goog-upload-status", "final" if "finalize" in command else "active")]
        if command == "start":
            url = f"{request.base_url}/v0/b/{metadata['bucket']}/o?upload_id=1"
            headers.append(("x-goog-upload-url", url))
        return json_response(200, metadata, headers)

    server = HttpServer("127.0.0.1", 0, app)
    server.start()
    print(f"listening on 127.0.0.1:{server.port}", flush=True)
    sys.stdin.read()
    server.stop()


@dataclass
class Backend:
    """A server process, and the Node driver talking to it."""

    name: str
    server: subprocess.Popen[str]
    driver: subprocess.Popen[str]

    def run(self, line: str) -> tuple[float, float]:
        """(wall seconds, server CPU seconds) of one driver command."""
        assert self.driver.stdin is not None
        assert self.driver.stdout is not None
        before = cpu_seconds(self.server.pid)
        self.driver.stdin.write(line + "\n")
        self.driver.stdin.flush()
        answer = self.driver.stdout.readline()
        if not answer:
            raise RuntimeError(f"the Node driver for {self.name} stopped")
        return float(answer), cpu_seconds(self.server.pid) - before

    def stop(self) -> None:
        for process in (self.driver, self.server):
            if process.stdin is not None:
                process.stdin.close()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start(name: str, command: list[str]) -> Backend:
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    address = server.stdout.readline().split()[-1]
    environment = {
        **os.environ,
        "FIREBASE_STORAGE_EMULATOR_HOST": address,
        "STORAGE_PROJECT": PROJECT,
        "NODE_OPTIONS": "",
    }
    driver = subprocess.Popen(
        ["node", str(HERE / "storage_throughput.mjs")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=ROOT,
    )
    return Backend(name, server, driver)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--rounds", type=int, default=3)
    options.add_argument("--serve-ceiling", action="store_true", help=argparse.SUPPRESS)
    args = options.parse_args()
    if args.serve_ceiling:
        serve_ceiling()
        return
    rules = Path(os.environ.get("TMPDIR", "/tmp")) / "storage_throughput.rules"
    rules.write_text(RULES)
    python = sys.executable
    backends = [
        start(
            "ours",
            [
                python,
                "-m",
                "firelab.storage",
                "--port",
                "0",
                "--project",
                PROJECT,
                "--rules",
                str(rules),
            ],
        ),
        start("ceiling", [python, str(Path(__file__).resolve()), "--serve-ceiling"]),
    ]
    results: dict[tuple[str, str, int], list[tuple[float, float]]] = {}
    try:
        for backend in backends:
            for size in SIZES.values():
                backend.run(f"prepare {size}")
                backend.run(f"upload {size} 2")  # warm-up
        for _ in range(args.rounds):
            for size in SIZES.values():
                for operation in OPERATIONS:
                    for backend in backends:
                        count = COUNTS[size]
                        wall, cpu = backend.run(f"{operation} {size} {count}")
                        key = (backend.name, operation, size)
                        results.setdefault(key, []).append((wall / count, cpu / count))
    finally:
        for backend in backends:
            backend.stop()
    report(results, args.rounds)


def report(results: dict[tuple[str, str, int], list[tuple[float, float]]], rounds: int) -> None:
    print(f"Storage through the firebase web SDK, medians of {rounds} rounds")
    header = (
        f"{'operation':<28}{'ours MB/s':>11}{'ceiling MB/s':>14}{'ratio':>8}"
        f"{'ours ms/op':>12}{'ours CPU ms/op':>16}{'ceiling CPU ms/op':>19}"
    )
    print(header)
    rows = []
    for label, size in SIZES.items():
        for operation in OPERATIONS:
            ours = results[("ours", operation, size)]
            ceiling = results[("ceiling", operation, size)]
            ours_wall = statistics.median(w for w, _ in ours)
            ceiling_wall = statistics.median(w for w, _ in ceiling)
            ours_cpu = statistics.median(c for _, c in ours)
            ceiling_cpu = statistics.median(c for _, c in ceiling)
            mb = size / 1e6
            row = {
                "operation": f"{operation} {label}",
                "ours_mb_s": mb / ours_wall,
                "ceiling_mb_s": mb / ceiling_wall,
                "ratio": ceiling_wall / ours_wall,
                "ours_ms": ours_wall * 1e3,
                "ours_cpu_ms": ours_cpu * 1e3,
                "ceiling_cpu_ms": ceiling_cpu * 1e3,
            }
            rows.append(row)
            print(
                f"{row['operation']:<28}{row['ours_mb_s']:>11.2f}{row['ceiling_mb_s']:>14.2f}"
                f"{row['ratio']:>8.2f}{row['ours_ms']:>12.1f}{row['ours_cpu_ms']:>16.2f}"
                f"{row['ceiling_cpu_ms']:>19.2f}"
            )
    print(
        "ratio = ours' throughput / the ceiling's (1.00: no cost beyond Python HTTP). Server CPU"
        " per op is user + system time of the server process (clock ticks of 10 ms, averaged"
        " over the round's operations)."
    )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
