"""How each kind of Cloud Function runs in production, chosen once and applied in `main.py`.

Every function passes one of these settings to its decorator, so none runs on defaults nobody
chose; `tests/repo/test_deploy_manifest.py` reads the manifest firebase-tools deploys and
checks each function carries the settings `main.py` gives it.

Why these values:

* **Region** `us-central1`: functions run next to the Firestore database whose events they
  handle and whose documents they read and write, and `us-central1` lies in the `nam5`
  multi-region (Firebase's default location). A project whose database lives elsewhere
  changes `REGION` once (for example `europe-west1` for `eur3`).
* **Firestore triggers**: 256 MiB (the codebase imports in about 90 MiB; a handler holds one
  event's documents), 60 s (a handler is one transaction or batch over a few documents), at
  most 20 instances (so a burst of writes cannot fan out into hundreds of instances contending
  on the same member and counter documents, which sustain about one write per second), and a
  concurrency of 4 (the Python functions framework serves each instance with a small thread
  pool, 4 threads per CPU by default; more concurrent requests would only queue inside it).
* **Callables** (moderators and admins): 256 MiB, 30 s (the app waits for the answer), at most
  5 instances (few people may call them), concurrency 4.
* **Schedules**: 256 MiB, 300 s (a roll-up reads every counter shard of two days; lifting
  suspensions or expiring overdue requests walks a bounded batch), one instance with
  concurrency 1 (a run never overlaps another), and 3 retries: every scheduled handler is
  idempotent (the roll-up recomputes a day from its shards; lifting a suspension and expiring
  a request re-check the document in a transaction). A schedule that is not idempotent must
  not use `SCHEDULE` as it is: it passes `**{**SCHEDULE, "retry_count": 0}`.

Retries of Firestore triggers: every handler is idempotent (markers created in the same
transaction as the effect), but the Python SDK writes `retry: false` into every Firestore
trigger and offers no option to change it (firebase/firebase-functions-python#165). A failed
delivery is logged with its event id; `python -m mitche.commands` recomputes what a lost
delivery would have written.
"""

from __future__ import annotations

from typing import Final, TypedDict

from firebase_functions.options import MemoryOption

__all__ = [
    "CALLABLE",
    "EMBEDDING_TRIGGER",
    "REGION",
    "SCHEDULE",
    "TRIGGER",
    "RuntimeSettings",
    "ScheduleSettings",
]

REGION: Final = "us-central1"
"""Where every function runs: the Firestore database's region."""


class RuntimeSettings(TypedDict):
    """The options every function sets (keyword arguments of the SDK's decorators)."""

    region: str
    memory: MemoryOption
    timeout_sec: int
    max_instances: int
    concurrency: int


class ScheduleSettings(RuntimeSettings):
    """A schedule's options: the runtime ones, plus Cloud Scheduler's retries."""

    retry_count: int


TRIGGER: Final = RuntimeSettings(
    region=REGION,
    memory=MemoryOption.MB_256,
    timeout_sec=60,
    max_instances=20,
    concurrency=4,
)
"""Firestore triggers: short, idempotent transactions over a few documents."""

EMBEDDING_TRIGGER: Final = RuntimeSettings(
    region=REGION,
    memory=MemoryOption.MB_512,
    timeout_sec=60,
    max_instances=20,
    concurrency=4,
)
"""Firestore triggers that embed text (the match cards): the sentence encoder's weights take
about 130 MiB on top of the codebase's 90 (mitche.domain.matching._embedder)."""

CALLABLE: Final = RuntimeSettings(
    region=REGION,
    memory=MemoryOption.MB_256,
    timeout_sec=30,
    max_instances=5,
    concurrency=4,
)
"""Callables for moderators and admins: someone waits for the answer."""

SCHEDULE: Final = ScheduleSettings(
    region=REGION,
    memory=MemoryOption.MB_256,
    timeout_sec=300,
    max_instances=1,
    concurrency=1,
    retry_count=3,
)
"""Schedules: one run at a time, retried because their handlers are idempotent."""
