"""Runs matrix scenarios against the session's Firestore server, in a project of their own
with firestore.rules loaded: a fresh world before each operation, one client per actor."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

from google.api_core.exceptions import PermissionDenied
from google.cloud.firestore import SERVER_TIMESTAMP, Client

from mitche.models import MitcheModel
from mitche.services.codec import to_document

from .scenarios import Context, Scenario
from .world import ACTORS, Actor, world

__all__ = ["PROBE_RULES", "PROJECT", "RULES_FILE", "RulesHarness", "stamps_request_time"]

PROJECT: Final = "demo-mitche-rules"
"""The project the rules tests use on the shared server, so no other suite sees their rules."""
RULES_FILE: Final = Path(__file__).resolve().parents[2] / "firestore.rules"
_BATCH: Final = 400


PROBE_RULES: Final = """rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /probe/{id} {
      allow create: if request.resource.data.at == request.time;
    }
  }
}
"""
"""A server timestamp must equal request.time, as on Firestore (`createdAt == request.time`
is the documented way to pin a creation time)."""


def stamps_request_time(server: Any) -> bool:
    """Whether the server's rules see a server timestamp written by a request as equal to
    that request's `request.time` (the firelab server did not when these tests were written:
    it evaluates rules at the wall-clock time, after the commit time transforms use)."""
    project = "demo-mitche-rules-probe"
    server.load_rules(PROBE_RULES, project=project)
    client = server.user_client("prober", {}, project=project)
    try:
        client.document("probe/at").create({"at": SERVER_TIMESTAMP})
    except PermissionDenied:
        return False
    return True


class RulesHarness:
    """The rules project on the session server, its admin client and its actors' clients."""

    def __init__(self, server: Any) -> None:
        self.server = server
        server.load_rules(RULES_FILE.read_text(encoding="utf-8"), project=PROJECT)
        self.owner: Client = server.owner_client(project=PROJECT)
        self.actors: dict[str, Actor] = {actor.name: actor for actor in ACTORS}
        self._clients: dict[str, Client] = {}
        self.performed = 0
        """Operations performed by actors since the rules were loaded."""

    def client(self, actor: Actor) -> Client:
        """The actor's client, carrying their ID token (cached per actor and claims)."""
        key = f"{actor.uid}:{sorted(actor.claims.items())}"
        found = self._clients.get(key)
        if found is None:
            # Members have verified their email (the rules let nobody else write), unless an
            # actor's claims say otherwise.
            claims = {"email_verified": True, **actor.claims}
            found = self.server.user_client(actor.uid, claims, project=PROJECT)
            self._clients[key] = found
        return found

    def reset(self) -> dt.datetime:
        """Empty the project and seed the world; returns the world's `now`."""
        self.server.clear(project=PROJECT)
        now = dt.datetime.now(dt.UTC)
        self.seed(world(now))
        return now

    def seed(self, documents: dict[str, MitcheModel | dict[str, Any]]) -> None:
        """Write documents with the rules bypassed (models as the functions write them)."""
        items = list(documents.items())
        for start in range(0, len(items), _BATCH):
            batch = self.owner.batch()
            for path, document in items[start : start + _BATCH]:
                data = (
                    to_document(document, self.owner)
                    if isinstance(document, MitcheModel)
                    else document
                )
                batch.set(self.owner.document(path), data)
            batch.commit()

    def context(self, actor: Actor, now: dt.datetime) -> Context:
        """What a scenario needs to act as `actor`."""
        return Context(self.client(actor), actor.uid or "visitor", actor.uid is not None, now)

    def allowed(self, scenario: Scenario, actor: Actor, now: dt.datetime) -> bool:
        """Perform the scenario as the actor: True if the rules let it through, False if they
        answered PERMISSION_DENIED (any other error propagates)."""
        if scenario.prepare is not None:
            scenario.prepare(self.owner, actor.uid or "visitor", now)
        return self.performs(scenario.run, actor, now)

    def performs(self, run: Callable[[Context], None], actor: Actor, now: dt.datetime) -> bool:
        """Run an operation as the actor: True if allowed, False on PERMISSION_DENIED."""
        self.performed += 1
        try:
            run(self.context(actor, now))
        except PermissionDenied:
            return False
        return True

    def coverage(self) -> dict[str, Any]:
        """The server's rule coverage report for the project."""
        status, body = self.server.request("GET", f"/emulator/v1/projects/{PROJECT}:ruleCoverage")
        if status != 200:
            raise RuntimeError(f"ruleCoverage answered {status}: {body!r}")
        report: dict[str, Any] = json.loads(body)
        return report
