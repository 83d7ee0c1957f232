"""How long find_nearest takes on the local Firestore server: 10,000 documents holding
384-dimension vectors (the size of a small sentence-embedding model's output), queried through
google-cloud-firestore as an app or a function would.

Printed, each as the median of `--queries` queries with random query vectors:

* cold: the first query after loading, which decodes every stored vector once;
* each distance measure over the whole collection, limit 10;
* the same with an equality pre-filter keeping a tenth of the documents, and with a threshold;
* a plain query reading the same ten documents by an equality filter (the floor: what the
  server costs for ten 384-dimension results whatever the search);
* the ratio of each to that floor.

A run on the shared 2-core development machine (2026-12-07, other work running): loading
10,000 documents 55 s; the cold query 1.2 s; warm searches of the whole collection 62-75 ms
(1.2-1.4x the floor of 53 ms), with the 1/10 pre-filter 115 ms (2.2x), with a threshold 67 ms.
Most of a warm search is the client decoding ten 384-dimension results, as in the floor.

The server runs in this process (as in the tests). Run on demand (not a timed test):

    .venv/bin/python benchmarks/vector_search.py [--documents 10000] [--dimension 384]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.base_vector_query import DistanceMeasure
from google.cloud.firestore_v1.types import firestore as firestore_types
from google.cloud.firestore_v1.vector import Vector

from firelab.server import FirestoreServer

PROJECT = "demo-bench-vectors"
GROUPS = 10


def load(client: firestore.Client, documents: int, dimension: int, rng: random.Random) -> None:
    """Commits of 400 documents through the client's generated API with protobuf messages
    built directly: the object API's per-value encoding (proto-plus) would cost about 50 ms
    per 384-dimension document on this machine, more than the server spends storing it."""
    commit_request = firestore_types.CommitRequest.pb()
    database = f"projects/{PROJECT}/databases/(default)"
    for start in range(0, documents, 400):
        request = commit_request(database=database)
        for number in range(start, min(start + 400, documents)):
            document = request.writes.add().update
            document.name = f"{database}/documents/profiles/p{number:06}"
            document.fields["group"].integer_value = number % GROUPS
            document.fields["pinned"].boolean_value = number < 10
            vector = document.fields["embedding"].map_value.fields
            vector["__type__"].string_value = "__vector__"
            elements = vector["value"].array_value.values
            for _ in range(dimension):
                elements.add().double_value = rng.gauss(0, 1)
        client._firestore_api.commit(request=request)


def median_ms(run: Callable[[], int], queries: int) -> tuple[float, int]:
    times = []
    count = 0
    for _ in range(queries):
        started = time.perf_counter()
        count = run()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--dimension", type=int, default=384)
    parser.add_argument("--queries", type=int, default=15)
    args = parser.parse_args()
    rng = random.Random(18)
    server = FirestoreServer().start()
    try:
        os.environ["FIRESTORE_EMULATOR_HOST"] = server.address
        client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
        started = time.perf_counter()
        load(client, args.documents, args.dimension, rng)
        print(
            f"loaded {args.documents} documents of {args.dimension} dimensions "
            f"in {time.perf_counter() - started:.1f} s"
        )
        profiles = client.collection("profiles")

        def nearest(
            measure: DistanceMeasure, query: Any = profiles, **options: Any
        ) -> Callable[[], int]:
            def run() -> int:
                vector = Vector([rng.gauss(0, 1) for _ in range(args.dimension)])
                found = query.find_nearest(
                    vector_field="embedding",
                    query_vector=vector,
                    distance_measure=measure,
                    limit=10,
                    **options,
                ).get()
                return len(found)

            return run

        cold, _ = median_ms(nearest(DistanceMeasure.EUCLIDEAN), 1)
        one_group = profiles.where(filter=FieldFilter("group", "==", 3))
        pinned = profiles.where(filter=FieldFilter("pinned", "==", True))
        floor, _ = median_ms(lambda: len(pinned.get()), args.queries)
        rows = [
            ("EUCLIDEAN, whole collection", nearest(DistanceMeasure.EUCLIDEAN)),
            ("COSINE, whole collection", nearest(DistanceMeasure.COSINE)),
            ("DOT_PRODUCT, whole collection", nearest(DistanceMeasure.DOT_PRODUCT)),
            ("COSINE, pre-filter group == 3 (1/10)", nearest(DistanceMeasure.COSINE, one_group)),
            (
                "COSINE, threshold 0.9",
                nearest(DistanceMeasure.COSINE, distance_threshold=0.9),
            ),
        ]
        print(f"{'query':44} {'median ms':>10} {'results':>8} {'x floor':>8}")
        print(f"{'cold first query (decodes every vector)':44} {cold:10.1f} {'':>8} {'':>8}")
        for name, run in rows:
            ms, count = median_ms(run, args.queries)
            print(f"{name:44} {ms:10.1f} {count:8} {ms / floor:8.1f}")
        print(f"{'floor: 10 documents by equality (no search)':44} {floor:10.1f} {10:8} {1:8.1f}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
