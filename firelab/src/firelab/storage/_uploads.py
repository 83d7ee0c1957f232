"""Resumable upload sessions: started with the object's metadata, fed chunks, finalized once.

The state machine is the official emulator's (firebase-tools `emulator/storage/upload.js`):
a session is `active` until finalized (`final`) or cancelled (`cancelled`); chunks only go
to an active session; a finished session cannot be cancelled; finalizing twice answers with
the status the first finalize got. A session's bytes are dropped once it ends.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from enum import StrEnum

from firelab._errors import FirelabError
from firelab.storage._access import Caller

__all__ = [
    "NotCancellableError",
    "UploadNotActiveError",
    "UploadNotFoundError",
    "UploadPreviouslyFinalizedError",
    "UploadSession",
    "UploadSessions",
    "UploadStatus",
]


class UploadStatus(StrEnum):
    """What `X-Goog-Upload-Status` reports."""

    ACTIVE = "active"
    CANCELLED = "cancelled"
    FINAL = "final"


class UploadNotFoundError(FirelabError, LookupError):
    """No session has this id."""


class UploadNotActiveError(FirelabError, RuntimeError):
    """The session was cancelled or finished."""


class UploadPreviouslyFinalizedError(FirelabError, RuntimeError):
    """The session was already finalized."""


class NotCancellableError(FirelabError, RuntimeError):
    """A finished session cannot be cancelled."""


@dataclass(slots=True)
class UploadSession:
    """One resumable upload."""

    id: str
    bucket: str
    name: str
    metadata: dict[str, object]
    caller: Caller
    status: UploadStatus = UploadStatus.ACTIVE
    data: bytearray = field(default_factory=bytearray, repr=False)
    received: int = 0
    """Bytes received so far (kept after the bytes are handed over)."""
    final_status: int = 200
    """The HTTP status the finalize got, repeated to a client that finalizes again."""


class UploadSessions:
    """Every session of the server, by id."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, UploadSession] = {}

    def start(
        self, bucket: str, name: str, metadata: dict[str, object], caller: Caller
    ) -> UploadSession:
        """A new active session."""
        session = UploadSession(uuid.uuid4().hex, bucket, name, metadata, caller)
        with self._lock:
            self._sessions[session.id] = session
        return session

    def get(self, upload_id: str) -> UploadSession:
        """The session, or `UploadNotFoundError`."""
        with self._lock:
            session = self._sessions.get(upload_id)
        if session is None:
            raise UploadNotFoundError(upload_id)
        return session

    def append(self, upload_id: str, chunk: bytes) -> UploadSession:
        """Add bytes to an active session."""
        session = self.get(upload_id)
        with self._lock:
            if session.status is not UploadStatus.ACTIVE:
                raise UploadNotActiveError(upload_id)
            session.data += chunk
            session.received += len(chunk)
        return session

    def cancel(self, upload_id: str) -> UploadSession:
        """Cancel an active session."""
        session = self.get(upload_id)
        with self._lock:
            if session.status is UploadStatus.FINAL:
                raise NotCancellableError(upload_id)
            session.status = UploadStatus.CANCELLED
            session.data = bytearray()
        return session

    def finalize(self, upload_id: str) -> tuple[UploadSession, bytes]:
        """Mark the session final; its bytes, handed over once."""
        session = self.get(upload_id)
        with self._lock:
            if session.status is UploadStatus.FINAL:
                raise UploadPreviouslyFinalizedError(upload_id)
            if session.status is UploadStatus.CANCELLED:
                raise UploadNotActiveError(upload_id)
            session.status = UploadStatus.FINAL
            data = bytes(session.data)
            session.data = bytearray()
        return session, data

    def clear(self) -> None:
        """Forget every session."""
        with self._lock:
            self._sessions.clear()
