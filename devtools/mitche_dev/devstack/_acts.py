"""What the seed does, act by act: members' writes, moderators' and admins' calls, the operator's
commands and the schedules, each as production would see it.

The demo tells its story as the documents it ends with (`demo_documents`); the seed does not
write those documents. It replays the acts that lead to them, the way the platform lives them:
a member's app writes only the fields a client may write (`client_fields`: every top-level key
whose model field is CLIENT or CLIENT_CREATE), a moderator decides through the callable a
moderator's app calls (the registry's own code path, `Call`), the operator runs the setup
commands, and the schedules run their handlers. Everything server-owned (moderation, counts,
unread badges, grants, ledgers, totals, claims, notifications, analytics) is then produced by
the functions, which must run while the seed does (`seed(..., settle=...)`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from google.cloud.firestore_v1 import Client

from mitche.models._base import MitcheModel, WrittenBy, written_by
from mitche.services.codec import to_document

__all__ = [
    "Act",
    "Call",
    "Operator",
    "Schedule",
    "Write",
    "client_fields",
    "server_keys",
]


@dataclass(frozen=True, slots=True)
class Write:
    """A member's app writes `data` at `path` (created, or merged into what is there)."""

    path: str
    data: Mapping[str, Any]
    merge: bool = False
    """Merge into the existing document (an update of some fields) instead of replacing it."""


@dataclass(frozen=True, slots=True)
class Call:
    """`caller` calls the callable `name` with `data`, at `at` (the demo's clock, so the
    decision's stamps keep the demo's times)."""

    name: str
    caller: str
    claims: Mapping[str, Any]
    data: Mapping[str, Any]
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class Operator:
    """The operator runs a command of `python -m mitche.commands` (`grant-role`, a backfill)."""

    command: str
    args: Mapping[str, str] = field(default_factory=dict)
    at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Schedule:
    """A scheduled function's handler runs at `at` (the schedule firing)."""

    name: str
    at: dt.datetime


Act: TypeAlias = Write | Call | Operator | Schedule
"""One step of the demo's story; the seed waits for the functions to settle after each."""


def _writer(model: type[MitcheModel], key: str) -> WrittenBy:
    """Who writes the top-level wire key `key` of `model` (nested documents without writer
    annotations are written whole by whoever owns them)."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == key:
            try:
                return written_by(info)
            except LookupError:
                return WrittenBy.CLIENT
    raise KeyError(f"{model.__name__} has no field {key!r}")


def client_fields(model: MitcheModel, client: Client) -> dict[str, Any]:
    """The document as a member's app writes it: its encoded form without any key whose field
    the server owns."""
    document = to_document(model, client)
    return {
        key: value for key, value in document.items() if not _writer(type(model), key).server_owned
    }


def server_keys(model: type[MitcheModel], data: Mapping[str, Any]) -> list[str]:
    """The keys of `data` that only the server may write on a `model` document (what a seed
    write must never carry)."""
    return sorted(key for key in data if _writer(model, key).server_owned)
