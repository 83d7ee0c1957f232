"""Account erasure (right to be forgotten), as a resumable chain of steps.

A member who signed in within `REAUTH_WINDOW` calls `erase_account`; it records the erasure in
`systemSettings/erasures/records/{erasureId}` (`ErasureJob`) and every write of a running job
triggers one step (`erasure_step`), each writing the job again, through the phases:

1. `disable`: the Authentication account is disabled and its sessions revoked, so the member
   writes nothing more while their data goes;
2. `content`: documents outside the member's own, source by source (`ERASURE_SOURCES`), one page
   per step. Documents only they had a stake in are deleted (reviews, registrations, hearts,
   achievements, reveal consents and grants naming them, other members' blocks of them, their
   requests nobody was accepted on, with every request's exact location); documents others
   depend on are anonymised: every occurrence of the uid (a field, an array item, a map key)
   becomes the erasure's tombstone id `erased-...` (messages and conversations, so the other
   party's conversation still reads; offerings; requests they were helped or helped on; events,
   resources, stories, reports; audit entries the member made, whose actor and target paths name
   them). **Message texts are kept**: they are the other party's record of the conversation too;
   a member who wants a text gone deletes it before erasing. Each page leaves the query, so the
   next step runs the same query again;
3. `member`: every document below `users/{uid}` and the user document itself (its delete
   trigger takes the member off the leaderboards and the moderator roster), and the alias claim;
4. `files`: every Storage object below `uploads/{uid}/` and `exports/{uid}/`;
5. `account`: the Authentication account is deleted;
6. `sweep`: the member's documents once more, for what triggers of the earlier phases wrote
   there after they went (a deleted unread notification's trigger decrements the unread count,
   recreating the inbox summary); the earlier phases' triggers have run by then in practice,
   not by construction, so the scan is what proves the result;
7. `done`: the uid and alias key are removed from the record, which keeps only the erasure id,
   the tombstone, counts and times (no personal data).

Counters and ledgers stay consistent because every deletion goes through the same triggers as
a member's own deletion would; ledger entries of other members name documents, never the uid.
Each step commits its writes together with the job's move in one batch conditioned on the job's
update time, so a redelivered or concurrent step changes nothing twice; a failed step leaves
the job where it was; the member cannot call again once disabled, so a schedule
(`resume_stalled_erasures`, every 15 minutes) touches every job idle for `STALLED_AFTER`, which
runs its step again. `scan_for_member`
proves the result: no document or file still holds the uid, email, alias, identity fields or
exact coordinates, except the tombstones.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.firestore_v1 import DocumentReference, GeoPoint
from google.cloud.storage import Bucket  # type: ignore[import-untyped, unused-ignore]
from pydantic import ValidationError

from mitche.callables._audit import append_audit
from mitche.domain.aliases import alias_key
from mitche.errors import FailedPreconditionError, InvalidArgumentError, UnauthenticatedError
from mitche.handler_names import HandlerName
from mitche.handlers._awards import user_path
from mitche.handlers._context import Deps, DocumentChange, decode
from mitche.models import (
    ALIAS_CLAIMS,
    AuditActorRole,
    ErasureJob,
    ErasurePhase,
    MitcheModel,
    erasure_path,
)
from mitche.queries import query_for
from mitche.queries._privacy_queries import (
    ERASURE_SOURCES,
    MEMBER_SUBCOLLECTIONS,
    erasure_query_name,
    subcollection_query_name,
)
from mitche.services import CostSample, from_document, log_info, record_cost, to_document

__all__ = [
    "DELETED_SOURCES",
    "REAUTH_WINDOW",
    "AuthenticationAccounts",
    "ErasureRequest",
    "ErasureStepOutcome",
    "Finding",
    "anonymised",
    "erase_account",
    "erasure_step",
    "resume_stalled_erasures",
    "scan_for_member",
]

REAUTH_WINDOW: Final = dt.timedelta(minutes=5)
"""How recently the member must have signed in (their ID token's `auth_time`) to erase."""
STALLED_AFTER: Final = dt.timedelta(minutes=10)
"""An erasure whose last step is older than this is moved again by the schedule (a step takes
seconds; a failed one was retried by then, so the job is stuck)."""
RESUME_BATCH: Final = 100
"""Stalled erasures moved by one run of the schedule (the next run takes the rest)."""
PAGE_SIZE: Final = 100
"""Documents per step (each may take two writes: the document and a request's location)."""
DELETED_SOURCES: Final = frozenset(
    {
        "reviews",
        "registrations",
        "hearts",
        "achievements",
        "revealConsents",
        "revealGrants",
        "blockedBy",
    }
)
"""Sources whose documents are deleted rather than anonymised (nobody else depends on them)."""
_FOLDERS: Final = ("uploads", "exports")


class AuthenticationAccounts(Protocol):
    """What an erasure does to the Authentication account (the Admin SDK in production)."""

    def disable(self, uid: str) -> None:
        """Disable the account and revoke its sessions (nothing when it is gone)."""
        ...

    def delete(self, uid: str) -> None:
        """Delete the account (nothing when it is gone)."""
        ...


class ErasureRequest(MitcheModel):
    """A member asks to delete their account (nothing to say: it is always theirs)."""


@dataclass(frozen=True, slots=True)
class ErasureStepOutcome:
    """What one step did."""

    phase: ErasurePhase | None = None
    changed: int = 0
    lost_race: bool = False


# The callable ---------------------------------------------------------------------------------


def erase_account(
    deps: Deps, uid: str | None, claims: Mapping[str, Any], data: object
) -> dict[str, Any]:
    """Start the member's erasure (or report the one under way); refused unless they signed in
    within `REAUTH_WINDOW`."""
    if uid is None:
        raise UnauthenticatedError("sign in to delete your account")
    try:
        ErasureRequest.model_validate(data or {})
    except ValidationError as error:
        raise InvalidArgumentError(
            "an erasure takes no arguments: it is always of the signed-in member's own account"
        ) from error
    now = deps.now()
    signed_in = claims.get("auth_time")
    if (
        not isinstance(signed_in, int | float)
        or now - dt.datetime.fromtimestamp(signed_in, dt.UTC) > REAUTH_WINDOW
    ):
        raise FailedPreconditionError(
            "sign in again (within the last 5 minutes) to delete your account"
        )
    running = list(query_for(deps.client, "functions.privacy.erasureOf", uid=uid).stream())
    if running:
        job = from_document(ErasureJob, running[0].to_dict() or {})
        running[0].reference.update({"updatedAt": now})  # a stalled erasure moves again
        return {"erasureId": job.erasure_id, "phase": job.phase.value}
    profile = deps.client.document(user_path(uid)).get()
    alias = (profile.to_dict() or {}).get("profile", {}).get("anonymousAlias")
    erasure_id = uuid.uuid4().hex
    job = ErasureJob(
        erasure_id=erasure_id,
        uid=uid,
        tombstone=f"erased-{erasure_id[:16]}",
        phase=ErasurePhase.DISABLE,
        alias_key=alias_key(alias) if isinstance(alias, str) else None,
        requested_at=now,
        updated_at=now,
    )
    deps.client.document(erasure_path(erasure_id)).create(to_document(job, deps.client))
    append_audit(
        deps.client,
        actor=job.tombstone,
        actor_role=AuditActorRole.MEMBER,
        action=HandlerName.PRIVACY_ERASURE.value,
        target=erasure_path(erasure_id),
        request_id=erasure_id,
        at=now,
    )
    log_info("erasure requested", handler=HandlerName.PRIVACY_ERASURE, erasureId=erasure_id)
    return {"erasureId": erasure_id, "phase": job.phase.value}


def resume_stalled_erasures(deps: Deps, now: dt.datetime) -> tuple[str, ...]:
    """Touch every erasure under way whose last step is older than `STALLED_AFTER` (each touch
    is a write of the job, which runs its step again); returns their ids. The touch is
    conditioned on the job's update time, so a step that moved it meanwhile wins."""
    stalled = query_for(
        deps.client,
        "functions.privacy.stalledErasures",
        cutoff=now - STALLED_AFTER,
        limit=RESUME_BATCH,
    ).stream()
    found = list(stalled)
    moved: list[str] = []
    for snapshot in found:
        try:
            snapshot.reference.update(
                {"updatedAt": now},
                option=deps.client.write_option(last_update_time=snapshot.update_time),
            )
        except (exceptions.FailedPrecondition, exceptions.NotFound):
            continue
        moved.append(snapshot.id)
    handler = HandlerName.PRIVACY_ERASURE
    record_cost(CostSample(handler, max(1, len(found)), len(moved)))
    if moved:
        log_info("stalled erasures moved again", handler=handler, count=len(moved))
    return tuple(moved)


# Anonymising ----------------------------------------------------------------------------------


def anonymised(value: object, uid: str, tombstone: str) -> Any:
    """`value` with every occurrence of `uid` (a string, a segment of a path or a reference, an
    array item, a map key) replaced by the tombstone; other values as they were."""
    if isinstance(value, str):
        if value == uid:
            return tombstone
        if "/" in value and uid in value.split("/"):
            return "/".join(tombstone if part == uid else part for part in value.split("/"))
        return value
    if isinstance(value, DocumentReference) and uid in value._path:
        parts = [tombstone if part == uid else part for part in value._path]
        return value._client.document(*parts)
    if isinstance(value, dict):
        return {
            (tombstone if key == uid else key): anonymised(item, uid, tombstone)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [anonymised(item, uid, tombstone) for item in value]
    return value


# The steps ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Step:
    """The writes of one step, committed with the job's move in one conditional batch."""

    client: firestore.Client
    batch: firestore.WriteBatch
    changed: int = 0
    moves: dict[str, Any] = field(default_factory=dict)

    def delete(self, reference: DocumentReference) -> None:
        self.batch.delete(reference)
        self.changed += 1

    def update(self, reference: DocumentReference, fields: dict[str, Any]) -> None:
        self.batch.update(reference, fields)
        self.changed += 1


def _content_page(step: _Step, job: ErasureJob, uid: str) -> bool:
    """One page of the current content source; True when the source had nothing left."""
    name, *_ = ERASURE_SOURCES[job.source]
    query = query_for(step.client, erasure_query_name(name), uid=uid, pageSize=PAGE_SIZE)
    found = list(query.stream())
    for snapshot in found:
        data = snapshot.to_dict() or {}
        if name == "requests":
            step.delete(snapshot.reference.collection("private").document("location"))
            if not data.get("acceptedHelperIds"):
                step.delete(snapshot.reference)
                continue
        if name in DELETED_SOURCES:
            step.delete(snapshot.reference)
            continue
        rewritten = {
            key: value
            for key, value in anonymised(data, uid, job.tombstone).items()
            if data.get(key) != value
        }
        if rewritten:
            step.update(snapshot.reference, rewritten)
    return not found


def _member_page(step: _Step, job: ErasureJob, uid: str) -> bool:
    """One page of the member's own documents; the user document and alias claim go last."""
    if job.source < len(MEMBER_SUBCOLLECTIONS):
        name = MEMBER_SUBCOLLECTIONS[job.source]
        query = query_for(step.client, subcollection_query_name(name), uid=uid, pageSize=PAGE_SIZE)
        found = list(query.stream())
        for snapshot in found:
            step.delete(snapshot.reference)
        return not found
    step.delete(step.client.document(user_path(uid)))
    if job.alias_key:
        claim = step.client.document(f"{ALIAS_CLAIMS}/{job.alias_key}")
        found_claim = claim.get()
        if found_claim.exists and (found_claim.to_dict() or {}).get("ownerId") == uid:
            step.delete(claim)
    return True


def _delete_files(bucket: Bucket, uid: str) -> int:
    removed = 0
    for folder in _FOLDERS:
        for blob in bucket.client.list_blobs(bucket, prefix=f"{folder}/{uid}/"):
            try:
                blob.delete()
            except exceptions.NotFound:
                continue  # a concurrent step deleted it
            removed += 1
    return removed


_ORDER: Final = list(ErasurePhase)


def _next_phase(phase: ErasurePhase) -> ErasurePhase:
    return _ORDER[_ORDER.index(phase) + 1]


def erasure_step(
    deps: Deps, bucket: Bucket, accounts: AuthenticationAccounts, change: DocumentChange
) -> ErasureStepOutcome:
    """Move a running erasure one step forward (see the module docstring)."""
    handler = HandlerName.PRIVACY_ERASURE
    seen = decode(
        ErasureJob, change.after, path=change.path, handler=handler, event_id=change.event_id
    )
    if seen is None or seen.phase is ErasurePhase.DONE:
        return ErasureStepOutcome()
    reference = deps.client.document(change.path)
    snapshot = reference.get()
    job = decode(
        ErasureJob, snapshot.to_dict(), path=change.path, handler=handler, event_id=change.event_id
    )
    if job is None or job.uid is None or job.phase is ErasurePhase.DONE:
        return ErasureStepOutcome()
    uid, now = job.uid, deps.now()
    step = _Step(deps.client, deps.client.batch())
    finished = True
    files = 0
    match job.phase:
        case ErasurePhase.DISABLE:
            accounts.disable(uid)
        case ErasurePhase.CONTENT:
            finished = _content_page(step, job, uid) and job.source + 1 >= len(ERASURE_SOURCES)
            if not finished and not step.changed:
                step.moves["source"] = job.source + 1
        case ErasurePhase.MEMBER | ErasurePhase.SWEEP:
            done = _member_page(step, job, uid)
            finished = done and job.source >= len(MEMBER_SUBCOLLECTIONS)
            if done and not finished:
                step.moves["source"] = job.source + 1
        case ErasurePhase.FILES:
            files = _delete_files(bucket, uid)
        case ErasurePhase.ACCOUNT:
            accounts.delete(uid)
    if finished:
        phase = _next_phase(job.phase)
        step.moves.update({"phase": phase.value, "source": 0})
        if phase is ErasurePhase.DONE:
            step.moves.update(
                {
                    "uid": firestore.DELETE_FIELD,
                    "aliasKey": firestore.DELETE_FIELD,
                    "completedAt": now,
                }
            )
    step.moves.update(
        {"updatedAt": now, "changed": job.changed + step.changed, "files": job.files + files}
    )
    step.batch.update(
        reference,
        step.moves,
        option=deps.client.write_option(last_update_time=snapshot.update_time),
    )
    try:
        step.batch.commit()
    except exceptions.FailedPrecondition:
        log_info("erasure step lost a race; the job moved on", handler=handler, path=change.path)
        return ErasureStepOutcome(lost_race=True)
    return ErasureStepOutcome(phase=job.phase, changed=step.changed)


# The scan -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """A place that still holds something of the erased member."""

    where: str
    """A document path (and field) or a Storage object name."""
    what: str
    """Which needle was found."""


def _strings(value: object, at: str) -> Iterable[tuple[str, str]]:
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield f"{at}.{key}", str(key)
            yield from _strings(item, f"{at}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{at}[{index}]")
    elif isinstance(value, GeoPoint):
        yield at, f"{value.latitude:.5f},{value.longitude:.5f}"
    elif isinstance(value, DocumentReference):
        yield at, value.path


def _documents(client: firestore.Client) -> Iterable[tuple[str, dict[str, Any]]]:
    """Every document of the database, subcollections included (an operator's scan: it reads
    everything, on demand only, never on a schedule)."""
    pending = list(client.collections())
    while pending:
        collection = pending.pop()
        for reference in collection.list_documents():
            snapshot = reference.get()
            if snapshot.exists:
                yield reference.path, snapshot.to_dict() or {}
            pending.extend(reference.collections())


def scan_for_member(
    client: firestore.Client,
    bucket: Bucket | None,
    needles: Mapping[str, str],
    *,
    allowed: Iterable[str] = (),
) -> list[Finding]:
    """Every document field, document path and Storage object name holding one of `needles`
    (label → text: the uid, email, alias, legal name, phone, exact coordinates as
    `lat,lng` with 5 decimals), except inside the `allowed` documents (the erasure records).
    An empty list proves the member gone."""
    wanted = {label: text.casefold() for label, text in needles.items() if text}
    skip = set(allowed)
    found: list[Finding] = []
    for path, data in _documents(client):
        if path in skip:
            continue
        for label, text in wanted.items():
            if text in path.casefold():
                found.append(Finding(path, label))
        for at, text in _strings(data, path):
            for label, needle in wanted.items():
                if needle in text.casefold():
                    found.append(Finding(at, label))
    if bucket is not None:
        for blob in bucket.client.list_blobs(bucket):
            for label, needle in wanted.items():
                if needle in blob.name.casefold():
                    found.append(Finding(blob.name, label))
    return found
