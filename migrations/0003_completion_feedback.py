"""Requests lose `completion.feedback`: an exchange's feedback is given and paid once, on its
offering (`requesterFeedback`, one per helper), so the request's copy went out of the model.

Since the help cycle (issue 19) the rules refuse a new `completion.feedback` and nothing reads or
pays it; a request completed before then may still carry one, which the model no longer
accepts. This migration removes the field from every request that has it (the rest of
`completion` stays as it is); a request without it is left alone, so applying twice changes
nothing. `down` writes nothing (the migrated shape is valid under the old models too); the
removed feedback is in the backup the runner writes before `apply`, and `restore` brings those
documents back exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCOPE = "requests/{requestId}"
READS = ("requests/{requestId}",)
WRITES = ("requests/{requestId}",)

# The field as it was named when this migration was written (a migration is a record).
REMOVED = "feedback"

Document = dict[str, Any]


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Drop `completion.feedback` from the request, if it has one."""
    changed: dict[str, Document | None] = {}
    for path, request in documents.items():
        if request is None:
            continue
        completion = request.get("completion")
        if not isinstance(completion, Mapping) or REMOVED not in completion:
            continue
        kept = {key: value for key, value in completion.items() if key != REMOVED}
        changed[path] = {**request, "completion": kept}
    return changed


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Nothing to write: a request without `completion.feedback` is also the old shape (the
    field was optional), so the models before this migration accept every migrated document.
    The removed values themselves come back only from the backup (`restore`)."""
    return {}
