"""What a deploy creates is what main.py declares.

The manifest is discovered the way firebase-tools discovers it at deploy (the Functions SDK's
admin server, run by a venv holding only the lock, serving `/__/functions.yaml`), and checked
against the decorators in main.py as written, whatever functions it holds when the test runs:
every function, its trigger (event type and document path, schedule and time zone, callable),
and the runtime settings from `mitche.deployment` it passes.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from firebase_functions.options import Timezone

from mitche.models import Collection
from mitche_dev.discovery import DiscoveryError, discover, endpoint_summary

ROOT = Path(__file__).resolve().parents[2]
FUNCTIONS = ROOT / "functions"

FIRESTORE_EVENTS = {
    f"on_document_{kind}{suffix}": f"google.cloud.firestore.document.v1.{kind}{event_suffix}"
    for kind in ("written", "created", "updated", "deleted")
    for suffix, event_suffix in (("", ""), ("_with_auth_context", ".withAuthContext"))
}
"""The SDK's Firestore decorators and the Eventarc event type each deploys."""

STORAGE_EVENTS = {
    f"on_object_{kind}": f"google.cloud.storage.object.v1.{event}"
    for kind, event in (
        ("finalized", "finalized"),
        ("deleted", "deleted"),
        ("archived", "archived"),
        ("metadata_updated", "metadataUpdated"),
    )
}
"""The SDK's Cloud Storage decorators and the Eventarc event type each deploys."""

TRIGGER_OPTIONS = {
    "document",
    "database",
    "namespace",
    "schedule",
    "timezone",
    "retry_count",
    "bucket",
}
"""Decorator options that shape the trigger rather than the runtime."""

SETTINGS = {
    "region": "region",
    "memory": "availableMemoryMb",
    "timeout_sec": "timeoutSeconds",
    "max_instances": "maxInstances",
    "min_instances": "minInstances",
    "concurrency": "concurrency",
}
"""Runtime options and the manifest field each becomes."""

FIRESTORE_PREFIX = "google.cloud.firestore."

DELIBERATE = ("region", "memory", "timeout_sec", "max_instances", "concurrency")
"""Settings no function may leave to the platform's defaults."""


@dataclass(frozen=True)
class Declared:
    """A function as main.py declares it: the decorator and the options it passes."""

    name: str
    decorator: str
    options: dict[str, Any]


def _load_main() -> ModuleType:
    spec = importlib.util.spec_from_file_location("deployed_main", FUNCTIONS / "main.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _declared() -> list[Declared]:
    """Every module-level function of main.py with an SDK decorator, its options evaluated."""
    namespace = vars(_load_main())
    tree = ast.parse((FUNCTIONS / "main.py").read_text())
    found = []
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call):
                continue
            name = ast.unparse(decorator.func)
            if not name.startswith(("firestore_fn.", "https_fn.", "scheduler_fn.", "storage_fn.")):
                continue
            assert decorator.args == [], f"{node.name}: decorator options are keywords"
            options: dict[str, Any] = {}
            for keyword in decorator.keywords:
                value = eval(compile(ast.Expression(keyword.value), "main.py", "eval"), namespace)
                options.update(value if keyword.arg is None else {keyword.arg: value})
            found.append(Declared(node.name, name, options))
    return found


@pytest.fixture(scope="module")
def declared() -> dict[str, Declared]:
    return {function.name: function for function in _declared()}


@pytest.fixture(scope="module")
def manifest(functions_python: Path) -> dict[str, Any]:
    return discover(functions_python, FUNCTIONS)


@pytest.fixture(scope="module")
def endpoints(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = manifest["endpoints"]
    return found


def _document(endpoint: dict[str, Any]) -> str | None:
    trigger = endpoint["eventTrigger"]
    patterns = {**trigger.get("eventFilters", {}), **trigger.get("eventFilterPathPatterns", {})}
    document: str | None = patterns.get("document")
    return document


def _trigger_mismatches(function: Declared, endpoint: dict[str, Any]) -> list[str]:
    kind = function.decorator.split(".", 1)[1]
    options = function.options
    if kind in FIRESTORE_EVENTS:
        trigger = endpoint.get("eventTrigger", {})
        expected = {
            "eventType": FIRESTORE_EVENTS[kind],
            "document": options["document"],
            "database": options.get("database", "(default)"),
        }
        actual = {
            "eventType": trigger.get("eventType"),
            "document": _document(endpoint),
            "database": trigger.get("eventFilters", {}).get("database"),
        }
    elif kind in STORAGE_EVENTS:
        trigger = endpoint.get("eventTrigger", {})
        expected = {"eventType": STORAGE_EVENTS[kind], "bucket": str(options["bucket"])}
        actual = {
            "eventType": trigger.get("eventType"),
            "bucket": str(trigger.get("eventFilters", {}).get("bucket")),
        }
    elif kind == "on_schedule":
        trigger = endpoint.get("scheduleTrigger", {})
        zone = options.get("timezone")
        expected = {
            "schedule": options["schedule"],
            "timeZone": zone.key if isinstance(zone, Timezone) else zone,
            "retryCount": options.get("retry_count"),
        }
        actual = {
            "schedule": trigger.get("schedule"),
            "timeZone": trigger.get("timeZone"),
            "retryCount": (trigger.get("retryConfig") or {}).get("retryCount"),
        }
    elif kind == "on_call":
        expected, actual = {"callable": True}, {"callable": "callableTrigger" in endpoint}
    elif kind == "on_request":
        expected, actual = {"https": True}, {"https": "httpsTrigger" in endpoint}
    else:
        return [f"{function.name}: teach this test the decorator {function.decorator}"]
    return [f"{function.name}: declared {expected}, deploys {actual}"] if expected != actual else []


def test_the_manifest_deploys_exactly_the_functions_main_declares(
    declared: dict[str, Declared], endpoints: dict[str, dict[str, Any]]
) -> None:
    """Every decorated function of main.py deploys under its own name, and nothing else does."""
    assert declared, "main.py declares no functions: the AST walk found nothing"
    assert sorted(endpoints) == sorted(declared)
    assert {name: endpoint["entryPoint"] for name, endpoint in endpoints.items()} == {
        name: name for name in endpoints
    }


def test_every_trigger_deploys_as_its_decorator_declares(
    declared: dict[str, Declared], endpoints: dict[str, dict[str, Any]]
) -> None:
    """Firestore triggers watch their event type and document path, schedules run on their
    schedule and time zone with their retries, callables are callable."""
    mismatches = [
        mismatch
        for name, function in sorted(declared.items())
        for mismatch in _trigger_mismatches(function, endpoints.get(name, {}))
    ]
    assert mismatches == []


def test_every_function_runs_with_deliberate_settings(
    declared: dict[str, Declared], endpoints: dict[str, dict[str, Any]]
) -> None:
    """Each function passes region, memory, timeout, max instances and concurrency (from
    mitche.deployment) and deploys with exactly those values."""
    mismatches = []
    for name, function in sorted(declared.items()):
        unknown = set(function.options) - TRIGGER_OPTIONS - set(SETTINGS)
        missing = [option for option in DELIBERATE if option not in function.options]
        if unknown or missing:
            mismatches.append(f"{name}: unknown options {unknown}, missing settings {missing}")
            continue
        for option, field in SETTINGS.items():
            if option not in function.options:
                continue
            value = function.options[option]
            expected = [value] if option == "region" else int(value)
            if endpoints[name].get(field) != expected:
                mismatches.append(f"{name}: {field} {endpoints[name].get(field)} != {expected}")
    assert mismatches == []


def test_firestore_triggers_deploy_without_retries_because_the_sdk_allows_none(
    endpoints: dict[str, dict[str, Any]],
) -> None:
    """Every handler is idempotent, but the Python SDK hardcodes `retry: false` for Firestore
    triggers (firebase/firebase-functions-python#165). When this fails, the SDK has learnt to
    retry them: turn retries on in mitche.deployment."""
    retries = {
        name: endpoint["eventTrigger"].get("retry")
        for name, endpoint in endpoints.items()
        if "eventTrigger" in endpoint
    }
    assert retries
    assert set(retries.values()) == {False}


def test_trigger_paths_watch_collections_of_the_data_model(
    endpoints: dict[str, dict[str, Any]],
) -> None:
    """A Firestore trigger watches documents (an even number of segments) below one of the 13
    collections; wildcards stand only for document ids, never for collection ids."""
    collections = {collection.value for collection in Collection}
    offenders = []
    for name, endpoint in sorted(endpoints.items()):
        if not endpoint.get("eventTrigger", {}).get("eventType", "").startswith(FIRESTORE_PREFIX):
            continue
        segments = (_document(endpoint) or "").split("/")
        collection_ids = segments[0::2]
        if (
            len(segments) % 2
            or segments[0] not in collections
            or any("{" in segment for segment in collection_ids)
        ):
            offenders.append(f"{name}: {'/'.join(segments)}")
    assert offenders == []


def test_a_codebase_with_schedules_asks_for_cloud_scheduler(manifest: dict[str, Any]) -> None:
    """The manifest declares the APIs a deploy must enable: Cloud Scheduler for schedules."""
    has_schedules = any("scheduleTrigger" in e for e in manifest["endpoints"].values())
    apis = {api["api"] for api in manifest.get("requiredAPIs", [])}
    assert has_schedules == ("cloudscheduler.googleapis.com" in apis)


def test_the_summary_names_every_function(endpoints: dict[str, dict[str, Any]]) -> None:
    """scripts/deploy prints one line per function it is about to deploy."""
    lines = endpoint_summary({"endpoints": endpoints})
    assert [line.split(":", 1)[0] for line in lines] == sorted(endpoints)


def test_discovery_fails_loudly_on_a_codebase_that_does_not_import(
    functions_python: Path, tmp_path: Path
) -> None:
    """A main.py that raises at import stops discovery with the error, as a deploy would stop."""
    (tmp_path / "main.py").write_text("raise RuntimeError('main.py is broken')\n")
    with pytest.raises(DiscoveryError, match=r"main\.py is broken"):
        discover(functions_python, tmp_path)
