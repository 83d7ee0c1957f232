"""Find a codebase's Cloud Functions the way the Firebase CLI does.

The CLI imports `main.py` from the functions source directory and keeps every module-level
function carrying the firebase-functions SDK's `__firebase_endpoint__` manifest entry. We do
the same, then sort the entries by what fires them.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from firelab.functions._paths import DocumentPattern

__all__ = ["DiscoveredFunction", "FunctionKind", "FunctionsCodebase", "load_codebase"]

_FIRESTORE_EVENT_PREFIX = "google.cloud.firestore.document.v1."
_STORAGE_EVENT_PREFIX = "google.cloud.storage.object.v1."


class FunctionKind(StrEnum):
    """What fires a function."""

    FIRESTORE = "firestore"
    STORAGE = "storage"
    CALLABLE = "callable"
    HTTPS = "https"
    SCHEDULED = "scheduled"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class DiscoveredFunction:
    """One decorated function and the parts of its manifest entry the local stack uses."""

    name: str
    kind: FunctionKind
    handler: Callable[..., Any]
    endpoint: Any
    """The SDK's `ManifestEndpoint` (kept as-is: it is the SDK's own contract)."""

    @property
    def event_type(self) -> str | None:
        trigger = self.endpoint.eventTrigger
        return None if trigger is None else str(trigger["eventType"])

    @property
    def document_pattern(self) -> DocumentPattern | None:
        """The document path pattern a Firestore trigger listens to."""
        trigger = self.endpoint.eventTrigger
        if trigger is None or self.kind is not FunctionKind.FIRESTORE:
            return None
        patterns = trigger.get("eventFilterPathPatterns") or {}
        filters = trigger.get("eventFilters") or {}
        return DocumentPattern(str(patterns.get("document") or filters["document"]))

    @property
    def bucket(self) -> str | None:
        """The bucket a Cloud Storage trigger watches (its `bucket` event filter); a params
        expression (`bucket=params.STORAGE_BUCKET`) is resolved now, from the environment, as
        the CLI resolves it at deploy."""
        trigger = self.endpoint.eventTrigger
        if trigger is None or self.kind is not FunctionKind.STORAGE:
            return None
        bucket = (trigger.get("eventFilters") or {}).get("bucket")
        bucket = getattr(bucket, "value", bucket)
        return str(bucket) if bucket else None

    @property
    def database(self) -> str:
        trigger = self.endpoint.eventTrigger
        filters = (trigger or {}).get("eventFilters") or {}
        return str(filters.get("database", "(default)"))

    @property
    def schedule(self) -> str | None:
        trigger = self.endpoint.scheduleTrigger
        return None if trigger is None else str(trigger["schedule"])

    @property
    def time_zone(self) -> str | None:
        trigger = self.endpoint.scheduleTrigger
        zone = None if trigger is None else trigger.get("timeZone")
        return zone if isinstance(zone, str) else None


def _kind(endpoint: Any) -> FunctionKind:
    if endpoint.callableTrigger is not None:
        return FunctionKind.CALLABLE
    if endpoint.httpsTrigger is not None:
        return FunctionKind.HTTPS
    if endpoint.scheduleTrigger is not None:
        return FunctionKind.SCHEDULED
    trigger = endpoint.eventTrigger
    if trigger is not None and str(trigger["eventType"]).startswith(_FIRESTORE_EVENT_PREFIX):
        return FunctionKind.FIRESTORE
    if trigger is not None and str(trigger["eventType"]).startswith(_STORAGE_EVENT_PREFIX):
        return FunctionKind.STORAGE
    return FunctionKind.OTHER


@dataclass(frozen=True, slots=True)
class FunctionsCodebase:
    """Every function a codebase's `main.py` exports, by name."""

    source: Path
    functions: dict[str, DiscoveredFunction]

    def of_kind(self, kind: FunctionKind) -> list[DiscoveredFunction]:
        return [f for f in self.functions.values() if f.kind is kind]


def load_codebase(source: Path, module_file: str = "main.py") -> FunctionsCodebase:
    """Import `source/main.py` (with `source` importable, as the runtime does) and collect."""
    source = source.resolve()
    path = source / module_file
    if not path.is_file():
        raise FileNotFoundError(f"no {module_file} in functions source {source}")
    if str(source) not in sys.path:
        sys.path.insert(0, str(source))
    spec = importlib.util.spec_from_file_location(f"_firelab_functions_{abs(hash(source))}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    functions: dict[str, DiscoveredFunction] = {}
    for _, member in inspect.getmembers(module, inspect.isfunction):
        endpoint = getattr(member, "__firebase_endpoint__", None)
        if endpoint is None:
            continue
        name = str(endpoint.entryPoint)
        functions[name] = DiscoveredFunction(name, _kind(endpoint), member, endpoint)
    return FunctionsCodebase(source, functions)
