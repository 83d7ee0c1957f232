"""The audit log: `systemSettings/audit` (its retention) and its entries below it.

Every privileged action appends one entry to `systemSettings/audit/auditEntries/{entryId}`:
the callables of moderators and admins (through the callable registry, `mitche.callables`),
role and claim changes, migrations applied, and the other server actions that reach into a
member's data (exports, erasures, reveals completed). Only functions and the admin SDK write
it; the rules let admins read it and nobody write it. An entry carries its own expiry
(`expiresAt`, a Firestore TTL policy generated into firestore.indexes.json), set from the
retention in force when it was written, so a shorter retention only applies to new entries.

The log lives below a settings document id because the platform has exactly thirteen
top-level collections; its collection id (`auditEntries`) is its own, so the TTL policy of its
collection group reaches nothing else.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field

from mitche.models._base import SERVER, DocumentPath, MitcheModel, Timestamp, Uid

__all__ = [
    "AUDIT_ENTRIES",
    "AuditActorRole",
    "AuditEntry",
    "AuditOutcome",
    "AuditSettings",
]

AUDIT_ENTRIES: Final = "systemSettings/audit/auditEntries"
"""Collection of the log's entries (below the `audit` settings document)."""


class AuditSettings(MitcheModel):
    """`systemSettings/audit`: how long audit entries are kept (functions and admins only)."""

    retention_days: Annotated[Annotated[int, Field(ge=30, le=3_650)], SERVER] = 400
    """Days an entry is kept before Firestore deletes it (its `expiresAt`; a year and a margin)."""
    updated_at: Annotated[Timestamp | None, SERVER] = None
    """When an admin last changed the document."""
    updated_by: Annotated[Uid | None, SERVER] = None
    """The admin who last changed it."""


class AuditActorRole(StrEnum):
    """In which capacity the actor acted."""

    MEMBER = "member"
    """A member acting on their own data (an export, an erasure)."""
    MODERATOR = "moderator"
    ADMIN = "admin"
    OPERATOR = "operator"
    """Someone holding the project's credentials (the setup commands, the migration runner)."""
    SYSTEM = "system"
    """A Cloud Function acting on its own (a reveal completed by both consents)."""


class AuditOutcome(StrEnum):
    """How the action ended."""

    SUCCEEDED = "succeeded"
    REFUSED = "refused"
    """Refused before acting: not allowed, bad input, or a precondition did not hold."""
    FAILED = "failed"
    """An unexpected failure (its details are in the function's logs)."""


class AuditEntry(MitcheModel):
    """One privileged action."""

    actor: Annotated[Annotated[str, Field(min_length=1, max_length=200)], SERVER]
    """Who acted: a member's uid, or the operator (`user@host`) for commands."""
    actor_role: Annotated[AuditActorRole, SERVER]
    """In which capacity."""
    action: Annotated[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_.-]{0,79}$")], SERVER]
    """What was done: the callable's name (`adjust_hope_points`) or the command's
    (`migration.apply`)."""
    target: Annotated[DocumentPath | None, SERVER] = None
    """The document acted on, when there is one."""
    reason: Annotated[Annotated[str, Field(max_length=1000)] | None, SERVER] = None
    """The reason the actor gave."""
    at: Annotated[Timestamp, SERVER]
    """When the action ended."""
    request_id: Annotated[Annotated[str, Field(min_length=1, max_length=200)], SERVER]
    """The call's trace id (or a fresh id), to find its lines in the logs."""
    outcome: Annotated[AuditOutcome, SERVER]
    """Whether it succeeded."""
    error_code: Annotated[Annotated[str, Field(max_length=40)] | None, SERVER] = None
    """The canonical error code of a refusal or failure (`permission-denied`)."""
    expires_at: Annotated[Timestamp, SERVER]
    """TTL field: Firestore deletes the entry after this time (`retentionDays` after `at`)."""
