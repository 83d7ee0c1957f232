"""A member's data export (right of access and portability), as a resumable chain of steps.

The member asks through a callable (`request_export`), which writes the job
`users/{uid}/private/export` (`ExportJob`, status `running`). Every write of a running job
triggers one step (`export_step`), and each step writes the job again, so the job moves itself
forward one bounded piece at a time, well inside a function's timeout however long the
member's history is:

1. a source step reads one page (`PAGE_SIZE` documents in id order, after the job's cursor)
   of one source (`SOURCES`: the user document, each of the member's subcollections, and the
   documents they authored elsewhere, found through `mitche.queries` by the field that names
   them) and writes it as a part file `exports/{uid}/{exportId}/parts/...json` in Storage;
2. once every source is read, the final step joins the parts into one zip archive (a JSON file
   per source, `manifest.json`, and a README.md saying what each file holds), stores it as
   `exports/{uid}/{exportId}/mitche-export.zip` with a download token, deletes the parts and
   older archives, marks the job `ready` until `expiresAt` (`EXPORT_RETENTION`) and notifies
   the member (`DATA_EXPORT_READY`, keyed by the export id, so once).

Each step works from the job as stored now (not the event's copy) and writes it back only if it
is unchanged since it was read (a precondition on its update time): a redelivered or
concurrent step rewrites the same part (the part's name comes from the job's position) and
then loses the race, so nothing is written twice and nothing is skipped. A step that fails
leaves the job where it was; asking again resumes it (the callable touches a job idle for
`STALLED_AFTER`). The archive is read only by the member (storage.rules, `exports/{uid}`); the
download URL their app gets (getDownloadURL) carries the token and dies with the archive: when
the job expires (TTL) or a new export replaces it, the archive is deleted.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from typing import Any, Final

from google.api_core import exceptions
from google.cloud import firestore
from google.cloud.firestore_v1 import DocumentReference, GeoPoint
from google.cloud.firestore_v1.field_path import FieldPath
from google.cloud.storage import Bucket  # type: ignore[import-untyped, unused-ignore]
from pydantic import ValidationError

from mitche.callables._audit import append_audit
from mitche.errors import InvalidArgumentError, UnauthenticatedError
from mitche.handler_names import HandlerName
from mitche.handlers._awards import user_path
from mitche.handlers._context import Deps, DocumentChange, decode
from mitche.handlers._identity import identity_in_clear, identity_path
from mitche.handlers._notify import notify
from mitche.models import (
    EXPORT_RETENTION,
    AuditActorRole,
    ExportJob,
    ExportStatus,
    MitcheModel,
    NotificationKind,
    export_path,
)
from mitche.queries import query_for
from mitche.queries._privacy_queries import (
    AUTHORED_SOURCES,
    MEMBER_SUBCOLLECTIONS,
    authored_query_name,
    subcollection_query_name,
)
from mitche.sealing import data_key_path
from mitche.services import Unit, from_document, log_info, run_transaction

__all__ = [
    "ARCHIVE_NAME",
    "DOWNLOAD_TOKENS_KEY",
    "SOURCES",
    "STALLED_AFTER",
    "ExportRequest",
    "ExportSource",
    "StepOutcome",
    "export_folder",
    "export_step",
    "jsonable",
    "remove_expired_export",
    "request_export",
]

PAGE_SIZE: Final = 200
"""Documents per part: one page of one source per step."""
STALLED_AFTER: Final = dt.timedelta(minutes=5)
"""A running job not moved for this long is resumed when the member asks again."""
ARCHIVE_NAME: Final = "mitche-export.zip"
DOWNLOAD_TOKENS_KEY: Final = "firebaseStorageDownloadTokens"
"""The object metadata key Firebase Storage reads download tokens from (comma-separated)."""


@dataclass(frozen=True, slots=True)
class ExportSource:
    """One file of the archive and how its documents are found."""

    name: str
    """The file's name in the archive, without `.json`."""
    about: str
    """What the file holds (written to the archive's README)."""
    query: str | None = None
    """The catalog query reading its pages (uid and cursor bound); None for the user document."""


SOURCES: Final = (
    ExportSource("profile", "Your user document `users/{uid}`: profile, settings, points."),
    *(
        ExportSource(
            f"member.{name}",
            f"Your documents below `users/{{uid}}/{name}`.",
            subcollection_query_name(name),
        )
        for name in MEMBER_SUBCOLLECTIONS
    ),
    *(
        ExportSource(
            name,
            f"The `{collection}` documents whose `{field}` is you"
            + (
                " (all `requests/{id}/private/location` of your requests follow each one)"
                if name == "requests"
                else ""
            )
            + ".",
            authored_query_name(name),
        )
        for name, collection, _group, field in AUTHORED_SOURCES
    ),
)
"""Every file of the archive, in the order the job reads them."""


class ExportRequest(MitcheModel):
    """A member asks for an export of their own data (nothing to say: it is always theirs)."""


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What one step did."""

    documents: int = 0
    part: str | None = None
    archive: str | None = None
    lost_race: bool = False


def export_folder(user_id: str, export_id: str | None = None) -> str:
    """`exports/{uid}/` or `exports/{uid}/{exportId}/` in Storage."""
    return f"exports/{user_id}/" + (f"{export_id}/" if export_id else "")


def jsonable(value: object) -> Any:
    """A Firestore value as JSON: times in ISO 8601, references as paths, points as maps."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, DocumentReference):
        return value.path
    if isinstance(value, GeoPoint):
        return {"latitude": value.latitude, "longitude": value.longitude}
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value


# The callable ---------------------------------------------------------------------------------


def request_export(deps: Deps, uid: str | None, data: object) -> dict[str, Any]:
    """Start the member's export, or report the one under way (resuming it when stalled)."""
    if uid is None:
        raise UnauthenticatedError("sign in to export your data")
    try:
        ExportRequest.model_validate(data or {})
    except ValidationError as error:
        raise InvalidArgumentError(
            "an export takes no arguments: it is always of the signed-in member's own data"
        ) from error
    path = export_path(uid)
    now = deps.now()

    def work(unit: Unit) -> tuple[ExportJob, bool]:
        stored = unit.get(path)
        job = from_document(ExportJob, stored) if stored is not None else None
        if job is not None and job.status is ExportStatus.RUNNING:
            if now - job.updated_at >= STALLED_AFTER:
                unit.update(path, {"updatedAt": now})
            return job, False
        fresh = ExportJob(
            export_id=uuid.uuid4().hex,
            status=ExportStatus.RUNNING,
            requested_at=now,
            updated_at=now,
        )
        unit.set(path, fresh)
        return fresh, True

    job, started = run_transaction(deps.client, HandlerName.PRIVACY_EXPORT_REQUEST, work)
    if started:
        append_audit(
            deps.client,
            actor=uid,
            actor_role=AuditActorRole.MEMBER,
            action="privacy.export",
            target=path,
            request_id=job.export_id,
            at=now,
        )
    log_info("export requested", handler=HandlerName.PRIVACY_EXPORT_REQUEST, uid=uid)
    return {"exportId": job.export_id, "status": job.status.value}


# The steps ------------------------------------------------------------------------------------


def _page(
    client: firestore.Client, source: ExportSource, uid: str, cursor: str | None
) -> list[tuple[str, dict[str, Any]]]:
    if source.query is None:
        snapshot = client.document(user_path(uid)).get()
        return [(snapshot.reference.path, snapshot.to_dict() or {})] if snapshot.exists else []
    after = None if cursor is None else {FieldPath.document_id(): client.document(cursor)}
    query = query_for(client, source.query, uid=uid, pageSize=PAGE_SIZE, start_after=after)
    return [(snapshot.reference.path, snapshot.to_dict() or {}) for snapshot in query.stream()]


def _with_locations(
    client: firestore.Client, documents: list[tuple[str, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """Each request followed by its private location (only its requester and helpers read it)."""
    references = [client.document(f"{path}/private/location") for path, _ in documents]
    locations = {
        snapshot.reference.path: snapshot.to_dict()
        for snapshot in client.get_all(references)
        if snapshot.exists
    }
    return [
        {
            "path": path,
            "data": jsonable(data),
            "privateLocation": jsonable(locations.get(f"{path}/private/location")),
        }
        for path, data in documents
    ]


def _private_in_clear(
    client: firestore.Client, uid: str, documents: list[tuple[str, dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The member's private documents as they may read them: their identity opened (it is
    sealed at rest, mitche.sealing), the wrapped data key left out (a key, not their data)."""
    found = dict(documents)
    rows = []
    for path, data in documents:
        if path == data_key_path(uid):
            continue
        if path == identity_path(uid):
            key = (
                found.get(data_key_path(uid)) or client.document(data_key_path(uid)).get().to_dict()
            )
            data = identity_in_clear(uid, data, key) or {}
        rows.append({"path": path, "data": jsonable(data)})
    return rows


def _part_name(uid: str, job: ExportJob) -> str:
    return f"{export_folder(uid, job.export_id)}parts/{job.source:03d}-{job.page:06d}.json"


def _read_source(
    client: firestore.Client, bucket: Bucket, uid: str, job: ExportJob
) -> tuple[dict[str, Any], StepOutcome]:
    source = SOURCES[job.source]
    documents = _page(client, source, uid, job.cursor)
    if source.name == "requests":
        rows = _with_locations(client, documents)
    elif source.name == "member.private":
        rows = _private_in_clear(client, uid, documents)
    else:
        rows = [{"path": path, "data": jsonable(data)} for path, data in documents]
    part = None
    if rows:
        part = _part_name(uid, job)
        bucket.blob(part).upload_from_string(
            json.dumps(rows, ensure_ascii=False), content_type="application/json"
        )
    more = source.query is not None and len(documents) == PAGE_SIZE
    moves: dict[str, Any] = (
        {"page": job.page + 1, "cursor": documents[-1][0]}
        if more
        else {"source": job.source + 1, "page": 0, "cursor": None}
    )
    moves["documents"] = job.documents + len(documents)
    return moves, StepOutcome(documents=len(documents), part=part)


def _readme(job: ExportJob, counts: dict[str, int]) -> str:
    lines = [
        "# Your Mitché data",
        "",
        f"Export `{job.export_id}`, asked for at {job.requested_at.isoformat()}.",
        "",
        "Each file is a JSON list of `{path, data}`: the document's path in Mitché's database and",
        "its fields (times in ISO 8601 UTC, places as latitude/longitude). `manifest.json` lists",
        "the files and how many documents each holds. Reports about you are not included: they",
        "would tell you who reported you.",
        "",
        "| file | documents | what it holds |",
        "|---|---|---|",
    ]
    for source in SOURCES:
        lines.append(f"| `{source.name}.json` | {counts[source.name]} | {source.about} |")
    return "\n".join(lines) + "\n"


def _assemble(
    bucket: Bucket, uid: str, job: ExportJob, now: dt.datetime
) -> tuple[dict[str, Any], StepOutcome]:
    folder = export_folder(uid, job.export_id)
    parts = sorted(bucket.client.list_blobs(bucket, prefix=f"{folder}parts/"), key=lambda b: b.name)
    files: dict[str, list[Any]] = {source.name: [] for source in SOURCES}
    for blob in parts:
        index = int(blob.name.rsplit("/", 1)[-1].split("-", 1)[0])
        files[SOURCES[index].name].extend(json.loads(blob.download_as_bytes()))
    counts = {name: len(rows) for name, rows in files.items()}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.md", _readme(job, counts))
        manifest = {
            "exportId": job.export_id,
            "uid": uid,
            "requestedAt": job.requested_at.isoformat(),
            "generatedAt": now.isoformat(),
            "files": {f"{name}.json": count for name, count in counts.items()},
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        for name, rows in files.items():
            archive.writestr(f"{name}.json", json.dumps(rows, ensure_ascii=False, indent=1))
    data = buffer.getvalue()
    name = f"{folder}{ARCHIVE_NAME}"
    blob = bucket.blob(name)
    blob.metadata = {DOWNLOAD_TOKENS_KEY: str(uuid.uuid4())}
    blob.upload_from_string(data, content_type="application/zip")
    for part in parts:
        _delete_quietly(part)
    for old in bucket.client.list_blobs(bucket, prefix=export_folder(uid)):
        if not old.name.startswith(folder):
            _delete_quietly(old)
    moves = {
        "status": ExportStatus.READY.value,
        "archivePath": name,
        "sizeBytes": len(data),
        "readyAt": now,
        "expiresAt": now + EXPORT_RETENTION,
        "cursor": None,
    }
    return moves, StepOutcome(archive=name)


def _delete_quietly(blob: Any) -> None:
    with contextlib.suppress(exceptions.NotFound):  # a concurrent step deleted it already
        blob.delete()


def export_step(deps: Deps, bucket: Bucket, change: DocumentChange) -> StepOutcome:
    """Move a running export one step forward (see the module docstring)."""
    handler = HandlerName.PRIVACY_EXPORT_STEP
    seen = decode(
        ExportJob, change.after, path=change.path, handler=handler, event_id=change.event_id
    )
    if seen is None or seen.status is not ExportStatus.RUNNING:
        return StepOutcome()
    uid = change.path.split("/")[1]
    reference = deps.client.document(export_path(uid))
    snapshot = reference.get()
    job = decode(
        ExportJob, snapshot.to_dict(), path=change.path, handler=handler, event_id=change.event_id
    )
    if job is None or job.status is not ExportStatus.RUNNING or job.export_id != seen.export_id:
        return StepOutcome()
    now = deps.now()
    if job.source < len(SOURCES):
        moves, outcome = _read_source(deps.client, bucket, uid, job)
    else:
        moves, outcome = _assemble(bucket, uid, job, now)
    moves["updatedAt"] = now
    try:
        reference.update(
            moves, option=deps.client.write_option(last_update_time=snapshot.update_time)
        )
    except exceptions.FailedPrecondition:
        log_info("export step lost a race; the job moved on", handler=handler, path=change.path)
        return StepOutcome(lost_race=True)
    if outcome.archive is not None:
        _notify_ready(deps, uid, job, now)
        log_info("export ready", handler=handler, path=change.path, archive=outcome.archive)
    return outcome


def _notify_ready(deps: Deps, uid: str, job: ExportJob, now: dt.datetime) -> None:
    """Tell the member their archive is ready (once per export: keyed by its id, so a
    redelivered final step finds the notification and writes nothing)."""
    days = EXPORT_RETENTION.days

    def work(unit: Unit) -> None:
        notify(
            unit,
            recipient=uid,
            kind=NotificationKind.DATA_EXPORT_READY,
            params={"days": days},
            target=export_path(uid),
            key=f"export:{job.export_id}",
            at=now,
        )

    run_transaction(deps.client, HandlerName.PRIVACY_EXPORT_STEP, work)


def remove_expired_export(bucket: Bucket, change: DocumentChange) -> int:
    """The job was deleted (its TTL passed): delete its archive; returns the files removed."""
    if change.before is None or change.after is not None:
        return 0
    uid = change.path.split("/")[1]
    removed = 0
    for blob in bucket.client.list_blobs(bucket, prefix=export_folder(uid)):
        _delete_quietly(blob)
        removed += 1
    if removed:
        log_info(
            "expired export removed",
            handler=HandlerName.PRIVACY_EXPORT_EXPIRED,
            path=change.path,
            files=removed,
        )
    return removed
