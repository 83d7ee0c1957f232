"""`append_audit`: one entry in the audit log (`systemSettings/audit/auditEntries`).

Callables go through the registry, which appends for them; everything else privileged that
the server or an operator does (role and claim changes outside a callable, migrations
applied, exports, erasures, reveals completed) calls `append_audit` itself, once the action's
outcome is known. An entry's id is fresh each time (an action retried is two attempts, and
the log says so); its expiry is `retentionDays` of `systemSettings/audit` after `at`.
"""

from __future__ import annotations

import datetime as dt
import uuid

from google.cloud import firestore
from pydantic import ValidationError

from mitche.models import (
    AUDIT_ENTRIES,
    AuditActorRole,
    AuditEntry,
    AuditOutcome,
    AuditSettings,
    SettingsDocument,
)
from mitche.services import (
    CostSample,
    from_document,
    log_error,
    record_cost,
    settings_path,
    to_document,
    translate_errors,
)

__all__ = ["append_audit", "audit_retention_days"]


def audit_retention_days(client: firestore.Client) -> int:
    """`retentionDays` of `systemSettings/audit`, or its code default."""
    snapshot = client.document(settings_path(SettingsDocument.AUDIT)).get()
    record_cost(CostSample("settings.audit", 1, 0))
    if not snapshot.exists:
        return AuditSettings().retention_days
    try:
        return from_document(AuditSettings, snapshot.to_dict() or {}).retention_days
    except ValidationError:
        log_error("systemSettings/audit is invalid; using the default retention")
        return AuditSettings().retention_days


def append_audit(
    client: firestore.Client,
    *,
    actor: str,
    actor_role: AuditActorRole,
    action: str,
    outcome: AuditOutcome = AuditOutcome.SUCCEEDED,
    target: str | None = None,
    reason: str | None = None,
    request_id: str | None = None,
    error_code: str | None = None,
    at: dt.datetime | None = None,
    retention_days: int | None = None,
) -> str:
    """Append one entry; returns its path. `retention_days` None reads the setting (one
    document read); `request_id` None makes a fresh id."""
    moment = at if at is not None else dt.datetime.now(dt.UTC)
    days = retention_days if retention_days is not None else audit_retention_days(client)
    entry = AuditEntry(
        actor=actor,
        actor_role=actor_role,
        action=action,
        target=target,
        reason=reason[:1000] if reason else None,
        at=moment,
        request_id=request_id or uuid.uuid4().hex,
        outcome=outcome,
        error_code=error_code,
        expires_at=moment + dt.timedelta(days=days),
    )
    path = f"{AUDIT_ENTRIES}/{uuid.uuid4().hex}"
    with translate_errors(f"audit entry {path}"):
        client.document(path).create(to_document(entry, client))
    record_cost(CostSample("audit", 0, 1))
    return path
