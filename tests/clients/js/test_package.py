"""@mitche/client installed from its tarball: what the tarball holds, every client query of the
catalog run through it as its intended caller on a server that enforces the rules and the
indexes, and a small app walking the start of the help cycle on the local stack."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest

from firelab.server import FirestoreServer
from firelab.server.core import QueryProfile
from firelab.stack import LocalStack, StackConfig
from mitche.queries import Caller, client_queries
from mitche_dev.devstack import DEMO_NOW, demo_accounts, demo_stack
from tests.mitche.queries.conftest import DEMO_EMPTY, DEMO_PARAMS

from .conftest import ROOT

pytestmark = pytest.mark.server

PROJECT: Final = "demo-mitche-client-package"
ACTING: Final = {
    Caller.VISITOR: None,
    Caller.MEMBER: "alice",
    Caller.MODERATOR: "mod",
    Caller.ADMIN: "ada",
}
"""Who runs a query of each caller, unless its parameters name the member (`uid`)."""
ORGANISER: Final = {"events.attendees": "carol"}
CLAIMS: Final = {account.uid: dict(account.custom_claims) for account in demo_accounts()}


def _node(app: Path, script: str, env: dict[str, str], *args: str) -> Any:
    done = subprocess.run(
        ["node", f"dist/{script}", *args],
        cwd=app,
        env={**os.environ, **env, "NODE_OPTIONS": "", "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_tarball_holds_the_build_the_types_and_the_reference(tarball):
    """The packed package ships compiled ES modules with declarations and the generated
    reference, and declares firebase as a peer dependency, not a dependency."""
    with tarfile.open(tarball) as packed:
        names = set(packed.getnames())
        manifest = json.load(packed.extractfile("package/package.json"))  # type: ignore[arg-type]
    assert {"package/dist/index.js", "package/dist/index.d.ts", "package/README.md"} <= names
    assert "package/docs/reference/README.md" in names
    assert manifest["peerDependencies"] == {"firebase": "^12.0.0"}
    assert "dependencies" not in manifest


def _wire(value: object) -> object:
    if isinstance(value, dt.datetime):
        return {"$date": value.isoformat()}
    return value


def _cases() -> dict[str, dict[str, Any]]:
    cases: dict[str, dict[str, Any]] = {}
    for query in client_queries():
        params = dict(DEMO_PARAMS[query.name])
        uid = params.pop("uid", None)
        actor = ORGANISER.get(query.name, uid if isinstance(uid, str) else ACTING[query.caller])
        cases[query.name] = {
            "actor": actor,
            "claims": {"email_verified": True, **CLAIMS.get(actor or "", {})},
            "params": {name: _wire(value) for name, value in params.items()},
        }
    return cases


@pytest.fixture(scope="module")
def enforcing_rules_server() -> Iterator[tuple[FirestoreServer, list[QueryProfile]]]:
    """A stack with firestore.rules and enforced firestore.indexes.json, the demo seeded as the
    dev stack seeds it (its functions running), and the profile of every query served after."""
    profiles: list[QueryProfile] = []
    with demo_stack(PROJECT, DEMO_NOW, rules=True, enforce_indexes=True) as stack:
        assert stack.firestore is not None
        stack.firestore.emulator.settings.query_observer = profiles.append
        yield stack.firestore, profiles


def test_every_client_query_runs_through_the_package(app, enforcing_rules_server, tmp_path):
    """Each client query of the catalog, built by the package and run by its intended caller,
    is allowed by the rules, served by the committed indexes (the server refuses any other),
    and finds the demo documents the same declaration finds from Python."""
    server, profiles = enforcing_rules_server
    cases = tmp_path / "cases.json"
    cases.write_text(json.dumps(_cases()), encoding="utf-8")
    env = {"APP_PROJECT": PROJECT, "FIRESTORE_EMULATOR_HOST": server.address}
    outcome = _node(app, "catalog.js", env, str(cases))
    failed = {name: result["error"] for name, result in outcome.items() if not result["ok"]}
    assert not failed, json.dumps(failed, indent=2)
    empty = {name for name, result in outcome.items() if result["count"] == 0}
    assert empty <= DEMO_EMPTY, sorted(empty - DEMO_EMPTY)
    assert set(outcome) == {query.name for query in client_queries()}
    assert profiles
    assert all(profile.plan for profile in profiles)


def _setup_commands() -> None:
    for command in (("init-settings",), ("load-catalog",)):
        done = subprocess.run(
            [sys.executable, "-m", "mitche.commands", *command],
            env=os.environ.copy(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"{command} failed:\n{done.stderr}{done.stdout}"


def test_a_small_app_walks_the_help_cycle(app):
    """Two members sign up and join (`joinCommunity`), alice takes another alias
    (`changeAlias`); alice posts a located request through `postRequest` (its
    public cell computed by the package as the rules check it) and finds it among her own;
    bob offers help with `offerHelp`, alice finds the offer waiting for her answer and accepts
    it; bob writes in the conversation the functions opened, alice reads it, bob proposes
    completion, alice confirms and rates, then marks the request fulfilled, and both consent to
    reveal themselves to each other: every write a flow
    of the package, every one accepted by the rules. A title too long never leaves the app,
    and a callable's refusal arrives typed."""
    config = StackConfig(
        project=PROJECT,
        rules=ROOT / "firestore.rules",
        storage_rules=ROOT / "storage.rules",
        indexes=ROOT / "firestore.indexes.json",
        enforce_indexes=True,
        functions_source=ROOT / "functions",
        auth=True,
    )
    stack = LocalStack(config).start(before_functions=lambda _: _setup_commands())
    try:
        assert stack.firestore is not None
        assert stack.auth is not None
        assert stack.functions is not None
        env = {
            "APP_PROJECT": PROJECT,
            "FIRESTORE_EMULATOR_HOST": stack.firestore.address,
            "FIREBASE_AUTH_EMULATOR_HOST": stack.auth.host,
            "APP_FUNCTIONS_URL": stack.functions.url,
        }
        seen = _node(app, "help.js", env)
    finally:
        stack.stop()
    assert seen["requestId"] in seen["myRequests"]
    assert len(seen["geohash"]) == 6
    assert seen["geohash"].startswith(seen["area"])
    assert seen["refusedBeforeSending"] == "title"
    assert seen["offeringId"] in seen["awaiting"]
    assert seen["callableCode"] == "permission-denied"
    assert seen["conversationId"]
    assert seen["offeringStatus"] == "completed"
    assert seen["rating"] == 5
    assert seen["requestStatus"] == "fulfilled"
    assert seen["consent"] == "consented"
    assert seen["alias"] == seen["newAlias"]
