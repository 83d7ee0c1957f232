"""Migration 0002 (near-me entries) over a few thousand requests, events, resources and
offerings: documents per second of apply, of a dry run over applied data (what a second pass
costs: reads only) and of rollback, side by side in one run.

Seeds N source documents (a quarter per collection, nine in ten listed) into an in-process
firelab server, then runs the real runner (`mitche_dev.migrate.run_migration`) in interleaved
rounds: apply, dry run, rollback, so every round starts from the same data. Prints the median
seconds and documents per second of each, and each one's rate as a ratio of apply's. Every
document is read with its entry in one batched get through the google-cloud-firestore client
over gRPC; apply and rollback add one conditional write per listed document and the log's
cursor per page.

    .venv/bin/python benchmarks/near_me_backfill.py [--documents 2000] [--rounds 3] [--json]

Measured on this 2-core machine while other sessions ran their tests, 4,000 documents
(1,000 per collection, 3,600 listed), median of 3 rounds:

    run             seconds  documents/s  rate vs apply
    apply             11.84          338           1.0x
    dry run after       9.8          408          1.21x
    rollback           9.93          403          1.19x

Reading dominates (a page's query plus one batched get of its documents and their entries): a
pass that writes nothing is only a fifth faster than one that writes an entry for nine
documents in ten. At ~340 documents per second against the local server, a million source
documents take under an hour, resumable at any page.
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
from mitche.models import MigrationDirection
from mitche_dev.migrate import MIGRATIONS_DIR, Migration, load_migrations, run_migration
from mitche_dev.migrate._log import read_log

PROJECT = "demo-near-me-bench"
T0 = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
CELLS = ("u05kq4", "u05kq5", "u05kq6", "u05kqd", "u05kqe")
COLLECTIONS = ("requests", "communityEvents", "resources", "offerings")


def _source(collection: str, index: int) -> dict[str, Any]:
    """The fields the listing reads, listed unless `index` is a multiple of ten (then closed)."""
    cell = CELLS[index % len(CELLS)]
    common: dict[str, Any] = {
        "visibility": "community",
        "moderation": {"status": "approved", "reportCount": 0},
        "location": {"geohash": cell + "bc"},
        "category": "food",
    }
    closed = index % 10 == 0
    if collection == "requests":
        deadline = T0 + dt.timedelta(hours=index)
        return common | {"status": "closed" if closed else "open", "deadline": deadline}
    if collection == "communityEvents":
        return common | {
            "status": "cancelled" if closed else "scheduled",
            "approval": {"state": "approved"},
            "startsAt": T0 + dt.timedelta(hours=index),
        }
    if collection == "resources":
        return common | {"status": "draft" if closed else "active"}
    return common | {"status": "withdrawn" if closed else "offered", "requestPath": None}


def _seed(client: firestore.Client, documents: int) -> None:
    writes = [
        (f"{collection}/d{index:06d}", _source(collection, index))
        for index in range(documents // len(COLLECTIONS))
        for collection in COLLECTIONS
    ]
    for start in range(0, len(writes), 400):
        batch = client.batch()
        for path, data in writes[start : start + 400]:
            batch.set(client.document(path), data)
        batch.commit()


def _run(
    client: firestore.Client, migration: Migration, direction: MigrationDirection, *, dry: bool
) -> float:
    started = time.perf_counter()
    report = run_migration(
        client,
        migration,
        direction=direction,
        entry=read_log(client).get(migration.id),
        by="benchmark",
        stream=io.StringIO(),
        dry_run=dry,
    )
    elapsed = time.perf_counter() - started
    if (report.changed == 0) != dry:
        raise RuntimeError(f"{direction.value} (dry run: {dry}) changed {report.changed}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    [migration] = [m for m in load_migrations(MIGRATIONS_DIR) if m.id == "0002_near_me_entries"]
    times: dict[str, list[float]] = {"apply": [], "dry run after": [], "rollback": []}
    with FirestoreServer(port=0) as server:
        os.environ["FIRESTORE_EMULATOR_HOST"] = server.address
        client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())  # type: ignore[no-untyped-call]
        _seed(client, args.documents)
        for _ in range(args.rounds):
            times["apply"].append(_run(client, migration, MigrationDirection.UP, dry=False))
            times["dry run after"].append(_run(client, migration, MigrationDirection.UP, dry=True))
            times["rollback"].append(_run(client, migration, MigrationDirection.DOWN, dry=False))
    base = statistics.median(times["apply"])
    rows = [
        {
            "run": name,
            "seconds": round(statistics.median(values), 2),
            "documentsPerSecond": round(args.documents / statistics.median(values)),
            "rateVsApply": round(base / statistics.median(values), 2),
        }
        for name, values in times.items()
    ]
    if args.json:
        print(json.dumps({"documents": args.documents, "rounds": args.rounds, "rows": rows}))
        return 0
    print(f"migration 0002 over {args.documents:,} documents, median of {args.rounds} rounds")
    print("run             seconds  documents/s  rate vs apply")
    for row in rows:
        print(
            f"{row['run']:<14}  {row['seconds']:>7}  {row['documentsPerSecond']:>11,}"
            f"  {row['rateVsApply']:>12}x"
        )
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
