"""`functions/main.py` is an index: the functions the CLI finds, and nothing created on import."""

from __future__ import annotations

import subprocess
import sys

from firelab.functions import FunctionKind, FunctionsCodebase
from tests.mitche.triggers.conftest import FUNCTIONS

EXPECTED = {
    "offering_written": "offerings/{offeringId}",
    "request_written": "requests/{requestId}",
    "community_event_written": "communityEvents/{eventId}",
    "registration_written": "communityEvents/{eventId}/registrations/{userId}",
    "tapestry_thread_written": "tapestryThreads/{threadId}",
    "report_written": "reports/{reportId}",
    "resource_written": "resources/{resourceId}",
    "resource_review_written": "resources/{resourceId}/reviews/{userId}",
    "helpful_vote_written": "resources/{resourceId}/reviews/{userId}/helpful/{voterId}",
    "resource_usage_written": "resources/{resourceId}/usageShards/{shardId}",
    "tapestry_heart_written": "tapestryThreads/{threadId}/hearts/{userId}",
    "story_nomination_written": "tapestryThreads/{threadId}/private/nomination",
    "message_written": "messages/{messageId}",
    "conversation_written": "conversations/{conversationId}",
    "user_written": "users/{userId}",
    "hope_ledger_written": "users/{userId}/hopeLedger/{entryId}",
    "account_written": "users/{userId}/private/account",
    "nearby_request_written": "requests/{requestId}",
    "nearby_event_written": "communityEvents/{eventId}",
    "nearby_resource_written": "resources/{resourceId}",
    "nearby_offering_written": "offerings/{offeringId}",
    "match_request_written": "requests/{requestId}",
    "match_user_written": "users/{userId}",
    "match_account_written": "users/{userId}/private/account",
    "match_offering_written": "offerings/{offeringId}",
    "match_urgent_alerts": "systemSettings/matching/requestCards/{requestId}",
    "reveal_consent_written": "users/{userId}/revealConsents/{counterpartId}",
    "notification_written": "users/{userId}/notifications/{notificationId}",
    "user_achievement_written": "userAchievements/{userAchievementId}",
    "consents_written": "users/{userId}/private/consents",
    "data_export_written": "users/{userId}/private/export",
    "account_erasure_written": "systemSettings/erasures/records/{erasureId}",
}

DELETED = {
    "request_files_removed": "requests/{requestId}",
    "resource_files_removed": "resources/{resourceId}",
    "event_files_removed": "communityEvents/{eventId}",
    "conversation_files_removed": "conversations/{conversationId}",
    "story_files_removed": "tapestryThreads/{threadId}",
}
"""The attachments' on-deleted triggers: a document's files go with it."""


def test_every_trigger_listens_to_its_document(codebase: FunctionsCodebase) -> None:
    """Each Firestore trigger is an on-written function on its documented path, but the
    attachments' on-deleted ones."""
    triggers = {
        f.name: f.document_pattern.pattern
        for f in codebase.of_kind(FunctionKind.FIRESTORE)
        if f.document_pattern is not None
    }
    assert triggers == EXPECTED | DELETED
    assert all(
        f.event_type
        == f"google.cloud.firestore.document.v1.{'deleted' if f.name in DELETED else 'written'}"
        for f in codebase.of_kind(FunctionKind.FIRESTORE)
    )


def test_callables_and_schedules_are_exported(codebase: FunctionsCodebase) -> None:
    """Moderators and admins have their callables; the roll-up runs daily, suspensions hourly,
    overdue requests expire every quarter of an hour."""
    callables = {f.name for f in codebase.of_kind(FunctionKind.CALLABLE)}
    schedules = {f.name: f.schedule for f in codebase.of_kind(FunctionKind.SCHEDULED)}
    assert schedules.pop("sweep_orphan_uploads") == "every 1 hours"
    assert schedules.pop("send_deferred_pushes") == "every 5 minutes"
    assert schedules.pop("resume_stalled_erasures") == "every 15 minutes"
    matching = {"suggested_helpers", "requests_to_help"}  # members' suggestions
    assert matching <= callables
    callables -= matching
    hub = {"decide_provider", "revoke_provider", "decide_story"}  # hub and tapestry moderators
    assert hub <= callables
    callables -= hub
    events = {"decide_event", "check_in_at_event"}  # community events
    assert events <= callables
    callables -= events
    assert schedules.pop("remind_event_attendees") == "every 30 minutes"
    admin = {"adjust_hope_points", "set_feature_flags", "set_service_status", "set_rate_limits"}
    admin |= {"load_achievement_catalog"}  # admin tools (moderators adjust points)
    assert admin <= callables
    callables -= admin
    identity = {"set_identity", "read_identity"}  # the sealed identity
    assert identity <= callables
    callables -= identity
    assert callables == {
        "resolve_report",
        "review_content",
        "set_member_role",
        "request_data_export",
        "delete_account",
    }
    assert schedules == {
        "daily_analytics": "15 0 * * *",
        "lift_ended_suspensions": "every 1 hours",
        "expire_overdue_requests": "every 15 minutes",
    }


def test_importing_the_index_creates_no_client() -> None:
    """Importing main.py, as the CLI does, creates no Firestore client and no Admin app."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import main; "
        "from mitche.services import _clients; import firebase_admin; "
        "assert not _clients._clients, _clients._clients; "
        "assert not firebase_admin._apps, firebase_admin._apps; print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(FUNCTIONS)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_uploads_go_through_the_attachments_pipeline(codebase: FunctionsCodebase) -> None:
    """One Storage trigger: every finalized object of the default bucket."""
    storage = {f.name: f.event_type for f in codebase.of_kind(FunctionKind.STORAGE)}
    assert storage == {"attachment_uploaded": "google.cloud.storage.object.v1.finalized"}
