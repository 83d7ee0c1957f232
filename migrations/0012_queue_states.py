"""Stories and reports created by members get the queue state their moderators' queue filters
on: a tapestry thread without `status` is stored `pending`, a report without `status` `open`.

Clients may not write either field (server-owned), and until this release nothing stored them:
the models defaulted them when reading, but `tapestry.awaitingReview` (`status == 'pending'`)
and `reports.openBySeverity` (`status == 'open'`) never match a missing field, so every story
and report a member created waited in no queue. From this release the first screening stores a
story's status and triage a report's; this migration gives the documents created before it the
same value. A document that has a status is left alone, so applying twice changes nothing.
`down` writes nothing: the stored defaults are what the old models read anyway.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCOPE = ("tapestryThreads/{threadId}", "reports/{reportId}")
READS = SCOPE
WRITES = SCOPE

# The values as they were named when this migration was written (a migration is a record).
INITIAL = {"tapestryThreads": "pending", "reports": "open"}

Document = dict[str, Any]


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Store the queue state of a story or report that has none."""
    changed: dict[str, Document | None] = {}
    for path, document in documents.items():
        collection = path.split("/", 1)[0]
        if document is None or collection not in INITIAL or "status" in document:
            continue
        changed[path] = {**document, "status": INITIAL[collection]}
    return changed


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Nothing to write: with or without the stored default, the old models read the same
    status."""
    return {}
