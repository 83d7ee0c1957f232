"""Matching at city scale on the local server: 10,000 helper cards and 100,000 request cards,
then the two suggestion callables' handlers as a function runs them.

Printed:

* embedding time per document: USE-M3 over the labelled set's 68 texts, one at a time (as a
  trigger embeds) and as one batch;
* loading time of the cards (not a figure of the product: a benchmark shortcut);
* `suggested_helpers` and `requests_to_help`: the cold first call (the server decodes every
  stored vector once), then the median and the 90th percentile of `--calls` calls, with the reads
  each call bills (request + card + the caller's blocks both ways + one per neighbour returned,
  + one per request named).

The cards' vectors are the embeddings of 400 generated request and helper texts (categories
times French and English phrasings) each with small Gaussian noise per document, renormalised:
embedding 110,000 distinct texts would take longer than the benchmark itself and the search
cost does not depend on what the numbers say. Cards are written through the client's generated
API with protobuf messages copied from a pool (the object API would spend about 30 ms per
512-number vector encoding it). Helpers and requests are spread over Lyon's cells.

Runs (2026-12-07, the shared 2-core machine, load average 2-4 from other sessions, as
`uptime` printed before and after each run; 10 calls after the cold one):

    1,000 helpers, 5,000 requests: loading 3 s
    suggested_helpers,  50 candidates  cold    98  median  39  p90  60 ms   52 reads/call
    requests_to_help,   50 candidates  cold   346  median  41  p90  57 ms   58 reads/call
    suggested_helpers, 200 candidates  cold   131  median  84  p90 105 ms  202 reads/call
    requests_to_help,  200 candidates  cold   132  median 112  p90 134 ms  211 reads/call

    10,000 helpers, 20,000 requests: loading 17 s
    suggested_helpers,  50 candidates  cold   624  median  66  p90  69 ms   52 reads/call
    requests_to_help,   50 candidates  cold 1,639  median  60  p90  92 ms   58 reads/call
    suggested_helpers, 200 candidates  cold   140  median 135  p90 142 ms  202 reads/call
    requests_to_help,  200 candidates  cold   145  median 131  p90 146 ms  211 reads/call

    10,000 helpers, 100,000 requests: loading 72 s (about 1,500 cards/s)
    suggested_helpers,  50 candidates  cold   643  median  71  p90  72 ms   52 reads/call
    requests_to_help,   50 candidates  cold 7,011  median 104  p90 310 ms   56 reads/call
    suggested_helpers, 200 candidates  cold   196  median 155  p90 168 ms  202 reads/call
    requests_to_help,  200 candidates  cold   101  median 243  p90 337 ms  211 reads/call

    10,000 helpers, 100,000 requests, after the calls read the caller's blocks both ways
    (two more reads per call; later the same day, load average 2.8-4.1): loading 115 s
    suggested_helpers,  50 candidates  cold 1,184  median  95  p90 103 ms   54 reads/call
    requests_to_help,   50 candidates  cold 12,451 median 130  p90 180 ms   58 reads/call
    suggested_helpers, 200 candidates  cold   208  median 148  p90 180 ms  204 reads/call
    requests_to_help,  200 candidates  cold   234  median 191  p90 220 ms  213 reads/call

    (an earlier run of the same size, before the first search coded the filtered fields in
    the same pass as the vectors: medians 72, 254, 133, 118 ms, p90 at most 268 ms, cold
    8,455 ms: a median moves by a factor of two from run to run with the other sessions' load)

Embedding: 2-33 ms per document alone, 1.3-4.7 ms in a batch of 68 (the spread is the load).
The 300 ms target holds for the median at 10,000 helpers and 100,000 requests (a p90 can pass
it on this shared machine). The cold call is the local
server building its vector matrix of the collection (one parse per stored card, then kept
current on every write); after it a search costs one numpy pass over the stored vectors (about
20 ms for 100,000 vectors of 512 numbers on a quiet core) and reads only the cards returned.

The same 10,000 / 20,000 run with the previous server (main at bc15a2b, which parsed every
card a pre-filter selected on each search, and walked each vector's 512 numbers in Python on
each write), minutes apart (5 calls): loading 60 s; suggested_helpers median 517 ms (50
candidates) and 539 ms (200); requests_to_help 1,000 ms and 1,051 ms: 4-17 times the figures
above, and loading 3.5 times slower (the 100,000-request load took over an hour under heavier
load). Production serves the same queries from its vector index; reads per call are what
production bills: 4 plus one per candidate (plus one per request named), for a caller who
blocked nobody and whom nobody blocked.

Run on demand: `.venv/bin/python benchmarks/matching_scale.py [--helpers 10000]
[--requests 100000] [--calls 20] [--candidates 200]`
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any, Final

import numpy as np
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1.types import document as document_types
from google.cloud.firestore_v1.types import firestore as firestore_types

from firelab.server import FirestoreServer
from mitche.domain.matching import SENTENCE_ENCODER, SentenceEncoder
from mitche.handlers import default_deps, suggest_helpers, suggest_requests
from mitche.models import HELPER_CARDS, REQUEST_CARDS
from mitche.services import recording_costs

PROJECT: Final = "demo-bench-matching"
CATEGORIES: Final = (
    "food",
    "transport",
    "health",
    "education",
    "household",
    "childcare",
    "emotionalSupport",
    "technology",
    "legal",
    "companionship",
)
NEEDS: Final = {
    "food": ("des courses pour cette semaine", "groceries delivered this week"),
    "transport": ("un trajet à l'hôpital jeudi", "a lift to the hospital on Thursday"),
    "health": ("refaire un pansement chaque jour", "someone to change a dressing daily"),
    "education": ("de l'aide en maths pour le brevet", "maths tutoring for my son"),
    "household": ("monter une armoire en kit", "assembling a wardrobe"),
    "childcare": ("garder mes enfants après l'école", "picking my kids up from school"),
    "emotionalSupport": ("parler à quelqu'un le soir", "someone to talk to in the evening"),
    "technology": ("réparer mon ordinateur lent", "fixing my slow laptop"),
    "legal": ("comprendre mon bail", "understanding my tenancy agreement"),
    "companionship": ("une visite pour jouer aux cartes", "a visit to play cards"),
}
LYON_CELLS: Final = [f"u05k{a}{b}" for a in "hjkmnpqrstuv" for b in "0123456789bcdefg"]


def pool_vectors(encoder: SentenceEncoder, rng: random.Random) -> tuple[np.ndarray, np.ndarray]:
    """(request vectors, helper vectors): 200 texts each from the needs table."""
    requests, helpers = [], []
    for index in range(200):
        category = CATEGORIES[index % len(CATEGORIES)]
        french, english = NEEDS[category]
        need = french if index % 2 else english
        asking = ("Besoin de", "I need", "Cherche", "Looking for")[index % 4]
        offering = ("Je peux aider pour", "I can help with", "Bénévole :", "Volunteer:")[index % 4]
        requests.append(f"{asking} {need} #{index}")
        helpers.append(f"{offering} {need} #{index}")
    return encoder.embed(requests), encoder.embed(helpers)


def vector_value(row: np.ndarray) -> Any:
    value = document_types.Value.pb()()
    fields = value.map_value.fields
    fields["__type__"].string_value = "__vector__"
    fields["value"].array_value.values.extend(
        document_types.Value.pb()(double_value=float(number)) for number in row
    )
    return value


def noisy_pool(base: np.ndarray, rng: np.random.Generator, copies: int) -> list[Any]:
    """`copies` protobuf vector values around the base vectors (noise 0.02, renormalised)."""
    values = []
    for index in range(copies):
        row = base[index % len(base)] + rng.normal(0, 0.02, base.shape[1])
        values.append(vector_value(row / np.linalg.norm(row)))
    return values


def load(client: firestore.Client, path: str, count: int, fill: Any) -> None:
    commit_request = firestore_types.CommitRequest.pb()
    database = f"projects/{PROJECT}/databases/(default)"
    for start in range(0, count, 500):
        request = commit_request(database=database)
        for number in range(start, min(start + 500, count)):
            document = request.writes.add().update
            document.name = f"{database}/documents/{path}/{number:06}"
            fill(number, document.fields)
        client._firestore_api.commit(request=request)


def timed(run: Any, calls: int) -> tuple[float, float, float, list[int]]:
    """(cold ms, median ms, p90 ms, reads per call) of `calls` calls after a cold one."""
    reads: list[int] = []
    started = time.perf_counter()
    run(0)
    cold = (time.perf_counter() - started) * 1000
    times = []
    for number in range(1, calls + 1):
        with recording_costs() as costs:
            started = time.perf_counter()
            run(number)
            times.append((time.perf_counter() - started) * 1000)
        reads.append(sum(sample.reads for sample in costs.samples))
    times.sort()
    return cold, statistics.median(times), times[int(len(times) * 0.9) - 1], reads


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--helpers", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--candidates", default="50,200", help="comma-separated pool sizes")
    args = parser.parse_args()
    rng, noise = random.Random(18), np.random.default_rng(18)

    encoder = SentenceEncoder()
    encoder.embed(["warm up"])
    data = json.loads((Path(__file__).parent / "data" / "matching_pairs.json").read_text())
    texts = [r["title"] + ". " + r["description"] for r in data["requests"]] + [
        " ".join(h["offers"]) for h in data["helpers"]
    ]
    started = time.perf_counter()
    for text in texts:
        encoder.embed([text])
    one = (time.perf_counter() - started) * 1000 / len(texts)
    started = time.perf_counter()
    encoder.embed(texts)
    batch = (time.perf_counter() - started) * 1000 / len(texts)
    print(f"embedding: {one:.1f} ms per document alone, {batch:.1f} ms in a batch of {len(texts)}")

    request_base, helper_base = pool_vectors(encoder, rng)
    request_pool = noisy_pool(request_base, noise, 2000)
    helper_pool = noisy_pool(helper_base, noise, 2000)

    server = FirestoreServer().start()
    try:
        os.environ["FIRESTORE_EMULATOR_HOST"] = server.address
        os.environ["GOOGLE_CLOUD_PROJECT"] = PROJECT
        credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
        client = firestore.Client(project=PROJECT, credentials=credentials)

        def helper(number: int, fields: Any) -> None:
            fields["alias"].string_value = f"Helper {number}"
            fields["active"].boolean_value = True
            fields["categories"].array_value.values.add().string_value = CATEGORIES[number % 10]
            fields["area"].string_value = rng.choice(LYON_CELLS)[:5]
            fields["travelKm"].double_value = 3.0 + number % 8
            fields["remoteOk"].boolean_value = number % 5 == 0
            language = ("fr", "en")[number % 3 == 0]
            fields["languages"].array_value.values.add().string_value = language
            fields["ratingAverage"].double_value = 4.0 + (number % 10) / 10
            fields["ratingCount"].integer_value = number % 30
            fields["openCommitments"].integer_value = number % 6
            fields["model"].string_value = SENTENCE_ENCODER
            fields["textHash"].string_value = f"{number:064x}"
            fields["embedding"].CopyFrom(helper_pool[number % len(helper_pool)])

        def request(number: int, fields: Any) -> None:
            fields["requesterId"].string_value = f"requester{number % 50_000:05}"
            fields["category"].string_value = CATEGORIES[number % 10]
            fields["cell"].string_value = rng.choice(LYON_CELLS)
            fields["remoteOk"].boolean_value = number % 4 == 0
            fields["urgency"].string_value = ("low", "medium", "high", "critical")[number % 4]
            language = ("fr", "en")[number % 3 == 0]
            fields["languages"].array_value.values.add().string_value = language
            fields["model"].string_value = SENTENCE_ENCODER
            fields["textHash"].string_value = f"{number:064x}"
            fields["embedding"].CopyFrom(request_pool[number % len(request_pool)])

        started = time.perf_counter()
        load(client, HELPER_CARDS, args.helpers, helper)
        load(client, REQUEST_CARDS, args.requests, request)
        print(
            f"loaded {args.helpers} helper cards and {args.requests} request cards "
            f"in {time.perf_counter() - started:.0f} s"
        )
        for number in range(args.calls + 1):
            uid = f"requester{number:05}"
            client.document(f"requests/{number:06}").set({"requesterId": uid})
        deps = default_deps()

        def helpers_for(number: int) -> None:
            answer = suggest_helpers(deps, f"requester{number:05}", {"requestId": f"{number:06}"})
            assert answer["helpers"], "suggestions found"

        def requests_for(number: int) -> None:
            suggest_requests(deps, f"{number:06}", {})

        print(f"{'call':34} {'cold ms':>9} {'median ms':>10} {'p90 ms':>8} {'reads/call':>11}")
        for candidates in (int(value) for value in args.candidates.split(",")):
            client.document("systemSettings/matching").set({"candidates": candidates})
            deps.settings.invalidate()
            calls = (("suggested_helpers", helpers_for), ("requests_to_help", requests_for))
            for name, run in calls:
                cold, median, p90, reads = timed(run, args.calls)
                label = f"{name}, {candidates} candidates"
                figures = f"{cold:9.0f} {median:10.0f} {p90:8.0f} {statistics.median(reads):11.0f}"
                print(f"{label:34} {figures}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
