"""Access decisions: owners bypass, everyone else is decided by one pluggable policy.

Every request from a caller who is not an owner goes through `AccessPolicy.decide` with what
Security Rules can see: the caller, the operation, the document path, the stored document,
the document as it would be after the write, the query of a list, and lookups of other
documents before and after the request. Queries, batches and transactions are decided as a
whole: one denied document denies the request.

With no rules loaded the official emulator lets every request through (auth.json: an end user's
GetDocument answers NOT_FOUND, not PERMISSION_DENIED), so `ALLOW_ALL` is the default policy.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from firelab.server._identity import Identity
from firelab.server.core import Code, DatabaseId, FirestoreError, PlannedCommit

__all__ = [
    "ALLOW_ALL",
    "AccessControl",
    "AccessPolicy",
    "AccessRequest",
    "AllowAll",
    "BatchAccessPolicy",
    "Decision",
    "Lookup",
    "Operation",
]

Lookup = Callable[[str], Any]
"""A full document name to the stored `Document` message, or None when absent."""


class Operation(enum.StrEnum):
    """The rules' operations (`get`/`list` make `read`, the rest make `write`)."""

    GET = "get"
    LIST = "list"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class AccessRequest:
    """One decision: may `identity` perform `operation` on `name`?

    `name` is the full document name; for `list` it is the collection's name (the parent
    followed by the collection ID), `query` the StructuredQuery message, `results` the
    documents the query returned and `collection_group` whether it spans every collection of
    that ID. `resource` is the stored document (None when absent), `request_resource` the
    document after a write (None for reads and deletes); `get`/`get_after` read other
    documents as they are before and after the request.
    """

    identity: Identity
    database: DatabaseId
    operation: Operation
    name: str
    resource: Any = None
    request_resource: Any = None
    query: Any = None
    get: Lookup | None = None
    get_after: Lookup | None = None
    results: tuple[Any, ...] = ()
    collection_group: bool = False
    time: datetime | None = None
    """`request.time`: a write's commit time; None means now (reads)."""


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome; `message` says why a request was denied, as the emulator words it."""

    allowed: bool
    message: str = ""


ALLOWED = Decision(True)


class AccessPolicy(Protocol):
    """Decides requests of callers that are not owners."""

    def decide(self, request: AccessRequest) -> Decision:
        """Allow or deny one request."""
        ...


@runtime_checkable
class BatchAccessPolicy(AccessPolicy, Protocol):
    """A policy that judges the writes of one commit together (Security Rules do: the writes
    of a batch or transaction share one budget of document access calls)."""

    def decide_batch(self, requests: Sequence[AccessRequest]) -> Decision:
        """Allow or deny every write of one commit."""
        ...


class AllowAll:
    """Every request is allowed: the emulator's behaviour with no rules loaded."""

    def decide(self, request: AccessRequest) -> Decision:
        """Allow."""
        return ALLOWED


ALLOW_ALL: AccessPolicy = AllowAll()


def denied(decision: Decision) -> FirestoreError:
    """The PERMISSION_DENIED error for a denial."""
    message = decision.message or "Missing or insufficient permissions."
    return FirestoreError(Code.PERMISSION_DENIED, message)


class AccessControl:
    """The server's access gate: owner bypass in front of each project's policy.

    A project uses the policy set for it (rules loaded through the emulator endpoint) or else
    the default one (rules given at start-up). Policies can be swapped at run time; each
    decision uses the policy current when it starts.
    """

    def __init__(self, policy: AccessPolicy = ALLOW_ALL) -> None:
        self._lock = threading.Lock()
        self._default = policy
        self._projects: dict[str, AccessPolicy] = {}

    def policy_for(self, project: str) -> AccessPolicy:
        """The policy deciding non-owner requests to `project`."""
        return self._projects.get(project, self._default)

    def set_policy(self, policy: AccessPolicy, project: str | None = None) -> None:
        """Use `policy` for `project` (every project without its own when None)."""
        with self._lock:
            if project is None:
                self._default = policy
            else:
                self._projects[project] = policy

    def bypassed(self, identity: Identity, database: DatabaseId) -> bool:
        """True when no decision is needed: an owner, or the allow-all policy."""
        return identity.owner or self.policy_for(database.project) is ALLOW_ALL

    def require(self, request: AccessRequest) -> None:
        """Raise PERMISSION_DENIED unless `request` is allowed."""
        if request.identity.owner:
            return
        decision = self.policy_for(request.database.project).decide(request)
        if not decision.allowed:
            raise denied(decision)

    def require_gets(
        self,
        identity: Identity,
        database: DatabaseId,
        documents: Iterable[tuple[str, Any]],
        get: Lookup,
    ) -> None:
        """Raise PERMISSION_DENIED unless every `(name, stored document or None)` get is allowed."""
        if self.bypassed(identity, database):
            return
        for name, document in documents:
            self.require(AccessRequest(identity, database, Operation.GET, name, document, get=get))

    def require_list(
        self,
        identity: Identity,
        database: DatabaseId,
        collection: str,
        query: Any,
        results: Iterable[Any],
        get: Lookup,
        *,
        collection_group: bool = False,
    ) -> None:
        """Raise PERMISSION_DENIED unless the query over `collection` may run."""
        if self.bypassed(identity, database):
            return
        self.require(
            AccessRequest(
                identity,
                database,
                Operation.LIST,
                collection,
                query=query,
                get=get,
                results=tuple(results),
                collection_group=collection_group,
            )
        )

    def write_check(
        self, identity: Identity, database: DatabaseId, get: Lookup
    ) -> Callable[[PlannedCommit], None] | None:
        """The core's commit hook deciding every write of a commit, or None to skip it."""
        if self.bypassed(identity, database):
            return None
        policy = self.policy_for(database.project)

        def check(planned: PlannedCommit) -> None:
            requests = []
            for write in planned.writes:
                if write.write.WhichOneof("operation") is None:
                    continue  # a verify: a precondition, not a write
                if write.after is None:
                    operation = Operation.DELETE
                elif write.before is None:
                    operation = Operation.CREATE
                else:
                    operation = Operation.UPDATE
                requests.append(
                    AccessRequest(
                        identity,
                        database,
                        operation,
                        write.name,
                        write.before,
                        write.after,
                        None,
                        planned.get_before,
                        planned.get_after,
                        time=planned.commit_time,
                    )
                )
            if isinstance(policy, BatchAccessPolicy):
                decision = policy.decide_batch(requests)
                if not decision.allowed:
                    raise denied(decision)
                return
            for request in requests:
                decision = policy.decide(request)
                if not decision.allowed:
                    raise denied(decision)

        return check
