"""A member's privacy records: what they consented to, and the state of their data export.

Both live below the member's private documents, read only by the member:

* `users/{userId}/private/consents` (`Consents`): the terms version the member accepted and
  their answer to each optional purpose (analytics counting, leaderboards), each with the
  version of the purpose's wording they answered and when. The member writes it; a function
  applies the purposes to the settings the platform reads (`privacy.leaderboardOptIn`,
  `privacy.analyticsOptIn` of the user document), so a withdrawal takes effect everywhere the
  platform already honours those settings.
* `users/{userId}/private/export` (`ExportJob`): one export at a time, written by functions
  only. The job is resumable: it records which source it is reading and the cursor of the
  last page written, and every step moves it forward from there (see
  `mitche.handlers._export`). Once ready it names the archive in Storage and expires through
  its TTL field; the archive goes with it.

An account erasure is recorded in `systemSettings/erasures/records/{erasureId}` (`ErasureJob`),
functions only: while it runs it names the member (so a retry can finish it); once done the uid
is removed and what remains is the deletion record, without personal data (see
`mitche.handlers._erasure`).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Final, Self

from pydantic import Field, model_validator

from mitche.models._base import CLIENT, SERVER, MitcheModel, Timestamp

__all__ = [
    "CONSENTS_DOCUMENT",
    "ERASURES",
    "EXPORT_DOCUMENT",
    "EXPORT_RETENTION",
    "ConsentPurpose",
    "Consents",
    "ErasureJob",
    "ErasurePhase",
    "ExportJob",
    "ExportStatus",
    "PurposeConsent",
    "consents_path",
    "erasure_path",
    "export_path",
]

CONSENTS_DOCUMENT: Final = "consents"
"""The id of the consents document below `users/{userId}/private`."""
EXPORT_DOCUMENT: Final = "export"
"""The id of the export job document below `users/{userId}/private`."""
EXPORT_RETENTION: Final = dt.timedelta(days=7)
"""How long a ready archive (and its download link) is kept."""

ERASURES: Final = "systemSettings/erasures/records"
"""Where account erasures are recorded (`ErasureJob`), below a fixed settings document id."""

_Version = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]


def consents_path(user_id: str) -> str:
    """`users/{userId}/private/consents`."""
    return f"users/{user_id}/private/{CONSENTS_DOCUMENT}"


def erasure_path(erasure_id: str) -> str:
    """`systemSettings/erasures/records/{erasureId}`."""
    return f"{ERASURES}/{erasure_id}"


def export_path(user_id: str) -> str:
    """`users/{userId}/private/export`."""
    return f"users/{user_id}/private/{EXPORT_DOCUMENT}"


class ConsentPurpose(StrEnum):
    """Optional purposes a member may agree to and withdraw from at any time."""

    ANALYTICS = "analytics"
    """Being counted in the daily activity analytics (active members, their area)."""
    LEADERBOARDS = "leaderboards"
    """Appearing on the leaderboards under the anonymous alias."""


class PurposeConsent(MitcheModel):
    """The member's answer about one purpose."""

    granted: bool
    """Whether the member agrees."""
    version: _Version
    """Version of the purpose's wording the member answered."""
    answered_at: Timestamp
    """When the member answered."""


class Consents(MitcheModel):
    """`users/{userId}/private/consents`: what the member agreed to, with versions and times."""

    terms_version: Annotated[_Version, CLIENT]
    """Version of the terms of use the member accepted."""
    terms_accepted_at: Annotated[Timestamp, CLIENT]
    """When the member accepted that version."""
    analytics: Annotated[PurposeConsent, CLIENT]
    """Counting the member in daily analytics."""
    leaderboards: Annotated[PurposeConsent, CLIENT]
    """Showing the member on leaderboards."""
    updated_at: Annotated[Timestamp, CLIENT]
    """Last change (request.time)."""

    @model_validator(mode="after")
    def _answers_not_after_update(self) -> Self:
        for answer in (self.terms_accepted_at, self.analytics.answered_at):
            if answer > self.updated_at:
                raise ValueError("an answer cannot be later than updatedAt")
        if self.leaderboards.answered_at > self.updated_at:
            raise ValueError("an answer cannot be later than updatedAt")
        return self


class ExportStatus(StrEnum):
    """Where an export stands."""

    RUNNING = "running"
    """Reading the member's data, page by page."""
    READY = "ready"
    """The archive is in Storage until `expiresAt`."""
    FAILED = "failed"
    """A step failed for good (see `error`); asking again starts a new export."""


class ExportJob(MitcheModel):
    """`users/{userId}/private/export`: the member's latest export; functions only."""

    export_id: Annotated[str, Field(min_length=1, max_length=64), SERVER]
    """Id of this export (names its folder in Storage)."""
    status: Annotated[ExportStatus, SERVER]
    """Where the export stands."""
    source: Annotated[int, Field(ge=0, le=100), SERVER] = 0
    """Index of the source being read (`mitche.handlers._export.SOURCES`)."""
    page: Annotated[int, Field(ge=0, le=1_000_000), SERVER] = 0
    """Pages of the current source already written."""
    cursor: Annotated[str | None, Field(max_length=1500), SERVER] = None
    """Path of the last document written from the current source; None at its start."""
    documents: Annotated[int, Field(ge=0), SERVER] = 0
    """Documents written to the archive so far."""
    archive_path: Annotated[str | None, Field(max_length=400), SERVER] = None
    """Storage object of the ready archive (`exports/{uid}/{exportId}/...zip`)."""
    size_bytes: Annotated[int | None, Field(ge=0), SERVER] = None
    """Size of the ready archive."""
    error: Annotated[str | None, Field(max_length=500), SERVER] = None
    """Why the export failed."""
    requested_at: Annotated[Timestamp, SERVER]
    """When the member asked."""
    updated_at: Annotated[Timestamp, SERVER]
    """When the job last moved (a running job idle for long is resumed when asked again)."""
    ready_at: Annotated[Timestamp | None, SERVER] = None
    """When the archive was written."""
    expires_at: Annotated[Timestamp | None, SERVER] = None
    """TTL field: Firestore deletes the job (and a function its archive) after this time."""

    @model_validator(mode="after")
    def _ready_has_archive(self) -> Self:
        ready = self.status is ExportStatus.READY
        if ready != (self.archive_path is not None and self.ready_at is not None):
            raise ValueError("archivePath and readyAt are set exactly when status is 'ready'")
        return self


class ErasurePhase(StrEnum):
    """The phases of an erasure, in order."""

    DISABLE = "disable"
    """The Authentication account is disabled and its sessions revoked: no more writes."""
    CONTENT = "content"
    """Documents elsewhere: anonymised (others depend on them) or deleted, source by source."""
    MEMBER = "member"
    """The user document and every document below it, page by page."""
    FILES = "files"
    """The member's Storage files (uploads and exports)."""
    ACCOUNT = "account"
    """The Authentication account is deleted."""
    SWEEP = "sweep"
    """The member's documents again: whatever a trigger of the earlier phases wrote below
    `users/{uid}` after they went (an unread count decremented for a deleted notification)."""
    DONE = "done"
    """Finished: the uid is gone from the record."""


class ErasureJob(MitcheModel):
    """`systemSettings/erasures/records/{erasureId}`: one account erasure; functions only."""

    erasure_id: Annotated[str, Field(min_length=1, max_length=64), SERVER]
    """Id of the erasure (equals the document id)."""
    uid: Annotated[str | None, Field(max_length=128), SERVER] = None
    """The member being erased; removed when the erasure is done."""
    tombstone: Annotated[str, Field(min_length=1, max_length=64), SERVER]
    """The id that replaces the member in documents others depend on (`erased-...`)."""
    phase: Annotated[ErasurePhase, SERVER]
    """The phase under way."""
    source: Annotated[int, Field(ge=0, le=100), SERVER] = 0
    """Index of the source being worked through in the current phase."""
    alias_key: Annotated[str | None, Field(max_length=80), SERVER] = None
    """The member's alias claim to release; removed when the erasure is done."""
    changed: Annotated[int, Field(ge=0), SERVER] = 0
    """Documents anonymised or deleted so far."""
    files: Annotated[int, Field(ge=0), SERVER] = 0
    """Storage files deleted."""
    requested_at: Annotated[Timestamp, SERVER]
    """When the member asked."""
    updated_at: Annotated[Timestamp, SERVER]
    """When the erasure last moved."""
    completed_at: Annotated[Timestamp | None, SERVER] = None
    """When it finished."""

    @model_validator(mode="after")
    def _done_forgets(self) -> Self:
        done = self.phase is ErasurePhase.DONE
        if done != (self.completed_at is not None):
            raise ValueError("completedAt is set exactly when phase is 'done'")
        if done and (self.uid is not None or self.alias_key is not None):
            raise ValueError("a finished erasure names nobody: uid and aliasKey are removed")
        if not done and self.uid is None:
            raise ValueError("a running erasure names its member (uid)")
        return self
