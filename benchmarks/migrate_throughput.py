"""Migration 0001 (private account) over a few thousand members: documents per second by page
size, apply and rollback, side by side in one run.

Seeds N members in the old shape (security map and rate-limit times on the user document) into
an in-process firelab server, then runs the real runner (`mitche_dev.migrate.run_migration`,
the code `apply` and `rollback` use) in interleaved rounds: for each page size, apply then roll
back, so every round starts from the same data. Prints per page size the median seconds and
members per second of apply and of rollback, and each page size's apply rate as a ratio of the
default page size's. Every member is read and written through the google-cloud-firestore
client over gRPC: two reads and two writes per member plus one log update per page.

    .venv/bin/python benchmarks/migrate_throughput.py [--members 2000] [--rounds 3] [--json]

Measured on this 2-core machine while seven other sessions ran their tests (so the spread
between page sizes is mostly noise), 1,000 members, median of 2 rounds:

    page  apply s  members/s  rollback s  members/s  apply rate vs page 100
      25    15.48         65       16.73         60   1.44x
     100    22.25         45       19.28         52    1.0x
     200    16.89         59       14.32         70   1.32x

About 15-20 ms per member against the local server (two reads in one batched get, two
conditional writes, the log's cursor per page); page size matters little, since every member
costs the same round trips' share. At this rate a million members take five to six hours
against the local server; the cursor lets such a run stop and resume at any page.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.server import FirestoreServer
from mitche.models import MigrationDirection, Security, User
from mitche_dev.migrate import DEFAULT_PAGE_SIZE, MIGRATIONS_DIR, load_migrations, run_migration
from mitche_dev.migrate._log import read_log

PROJECT = "demo-migrate-bench"
PAGE_SIZES = (25, DEFAULT_PAGE_SIZE, 200)


def _member(index: int) -> dict[str, Any]:
    at = dt.datetime(2026, 11, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=index)
    user = User.model_validate(
        {
            "profile": {"displayName": f"Member {index}", "anonymousAlias": f"Quiet {index:05d}"},
            "security": Security(strikes=index % 3, last_strike_at=at if index % 3 else None),
            "lastRequestAt": at,
            "lastMessageAt": at,
            "createdAt": at,
            "updatedAt": at,
        }
    )
    return user.to_firestore()


def _seed(client: firestore.Client, members: int) -> None:
    for start in range(0, members, 400):
        batch = client.batch()
        for index in range(start, min(start + 400, members)):
            batch.set(client.document(f"users/m{index:06d}"), _member(index))
        batch.commit()


def _run(client: firestore.Client, direction: MigrationDirection, page_size: int) -> float:
    [migration] = [m for m in load_migrations(MIGRATIONS_DIR) if m.version == 1]
    entry = read_log(client).get(migration.id)
    started = time.perf_counter()
    report = run_migration(
        client,
        migration,
        direction=direction,
        entry=entry,
        by="benchmark",
        stream=io.StringIO(),
        page_size=page_size,
    )
    elapsed = time.perf_counter() - started
    if report.changed == 0:
        raise RuntimeError(f"{direction.value} with page size {page_size} changed nothing")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with FirestoreServer(port=0) as server:
        os.environ["FIRESTORE_EMULATOR_HOST"] = server.address
        client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())  # type: ignore[no-untyped-call]
        _seed(client, args.members)
        times: dict[int, dict[str, list[float]]] = {
            size: {"apply": [], "rollback": []} for size in PAGE_SIZES
        }
        for _ in range(args.rounds):
            for size in PAGE_SIZES:
                times[size]["apply"].append(_run(client, MigrationDirection.UP, size))
                times[size]["rollback"].append(_run(client, MigrationDirection.DOWN, size))
    rows = []
    base = statistics.median(times[DEFAULT_PAGE_SIZE]["apply"])
    for size in PAGE_SIZES:
        apply_s = statistics.median(times[size]["apply"])
        back_s = statistics.median(times[size]["rollback"])
        rows.append(
            {
                "pageSize": size,
                "applySeconds": round(apply_s, 2),
                "applyPerSecond": round(args.members / apply_s),
                "rollbackSeconds": round(back_s, 2),
                "rollbackPerSecond": round(args.members / back_s),
                "applyRateVsDefault": round(base / apply_s, 2),
            }
        )
    if args.json:
        print(json.dumps({"members": args.members, "rounds": args.rounds, "rows": rows}))
        return 0
    print(f"migration 0001 over {args.members:,} members, median of {args.rounds} rounds")
    print("page  apply s  members/s  rollback s  members/s  apply rate vs page 100")
    for row in rows:
        print(
            f"{row['pageSize']:>4}  {row['applySeconds']:>7}  {row['applyPerSecond']:>9,}"
            f"  {row['rollbackSeconds']:>10}  {row['rollbackPerSecond']:>9,}"
            f"  {row['applyRateVsDefault']:>5}x"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
