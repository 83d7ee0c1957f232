"""Index of Mitché's Cloud Functions.

The Firebase CLI discovers functions by importing this module and scanning its module-level
decorated functions, so this file only wires decorators to handlers in `mitche.triggers`; no
client is created at import time. Every decorator passes the runtime settings of its kind
of function from `mitche.deployment` (region, memory, timeout, instances, concurrency,
retries).
"""

from __future__ import annotations

from typing import Any

from firebase_functions import firestore_fn, https_fn, scheduler_fn, storage_fn
from firebase_functions.core import CloudEvent
from firebase_functions.options import Timezone
from firebase_functions.params import STORAGE_BUCKET

from mitche.deployment import CALLABLE, EMBEDDING_TRIGGER, SCHEDULE, TRIGGER
from mitche.models import NearbyList
from mitche.triggers import (
    WrittenEvent,
    accounts,
    attachments,
    callables,
    community_events,
    conversations,
    matching,
    nearby,
    notifications,
    offerings,
    privacy,
    reports,
    requests,
    resources,
    schedules,
    tapestry,
    users,
)

# Firestore triggers: one function per document path, running every handler of that source.


@firestore_fn.on_document_written(document=offerings.DOCUMENT, **TRIGGER)
def offering_written(event: WrittenEvent) -> None:
    offerings.on_offering_written(event)


@firestore_fn.on_document_written(document=requests.DOCUMENT, **TRIGGER)
def request_written(event: WrittenEvent) -> None:
    requests.on_request_written(event)


@firestore_fn.on_document_written(document=community_events.DOCUMENT, **TRIGGER)
def community_event_written(event: WrittenEvent) -> None:
    community_events.on_event_written(event)


@firestore_fn.on_document_written(document=community_events.REGISTRATION, **TRIGGER)
def registration_written(event: WrittenEvent) -> None:
    community_events.on_registration_written(event)


@firestore_fn.on_document_written(document=tapestry.DOCUMENT, **TRIGGER)
def tapestry_thread_written(event: WrittenEvent) -> None:
    tapestry.on_thread_written(event)


@firestore_fn.on_document_written(document=reports.DOCUMENT, **TRIGGER)
def report_written(event: WrittenEvent) -> None:
    reports.on_report_written(event)


@firestore_fn.on_document_written(document=resources.DOCUMENT, **TRIGGER)
def resource_written(event: WrittenEvent) -> None:
    resources.on_resource_written(event)


@firestore_fn.on_document_written(document=resources.REVIEW, **TRIGGER)
def resource_review_written(event: WrittenEvent) -> None:
    resources.on_review_written(event)


@firestore_fn.on_document_written(document=resources.HELPFUL, **TRIGGER)
def helpful_vote_written(event: WrittenEvent) -> None:
    resources.on_helpful_written(event)


@firestore_fn.on_document_written(document=resources.USAGE_SHARD, **TRIGGER)
def resource_usage_written(event: WrittenEvent) -> None:
    resources.on_usage_written(event)


@firestore_fn.on_document_written(document=tapestry.HEART, **TRIGGER)
def tapestry_heart_written(event: WrittenEvent) -> None:
    tapestry.on_heart_written(event)


@firestore_fn.on_document_written(document=tapestry.NOMINATION, **TRIGGER)
def story_nomination_written(event: WrittenEvent) -> None:
    tapestry.on_nomination_written(event)


@firestore_fn.on_document_written(document=conversations.MESSAGE, **TRIGGER)
def message_written(event: WrittenEvent) -> None:
    conversations.on_message_written(event)


@firestore_fn.on_document_written(document=conversations.CONVERSATION, **TRIGGER)
def conversation_written(event: WrittenEvent) -> None:
    conversations.on_conversation_written(event)


@firestore_fn.on_document_written(document=users.DOCUMENT, **TRIGGER)
def user_written(event: WrittenEvent) -> None:
    users.on_user_written(event)


@firestore_fn.on_document_written(document=accounts.ACCOUNT, **TRIGGER)
def account_written(event: WrittenEvent) -> None:
    accounts.on_account_written(event)


@firestore_fn.on_document_written(document=users.LEDGER, **TRIGGER)
def hope_ledger_written(event: WrittenEvent) -> None:
    users.on_ledger_written(event)


@firestore_fn.on_document_written(document=users.REVEAL_CONSENT, **TRIGGER)
def reveal_consent_written(event: WrittenEvent) -> None:
    users.on_reveal_consent_written(event)


@firestore_fn.on_document_written(document=notifications.DOCUMENT, **TRIGGER)
def notification_written(event: WrittenEvent) -> None:
    notifications.on_notification_written(event)


@firestore_fn.on_document_written(document=notifications.ACHIEVEMENT, **TRIGGER)
def user_achievement_written(event: WrittenEvent) -> None:
    notifications.on_user_achievement_written(event)


# Privacy: consents applied to the settings the platform reads; data exports, step by step.


@firestore_fn.on_document_written(document=privacy.CONSENTS, **TRIGGER)
def consents_written(event: WrittenEvent) -> None:
    privacy.on_consents_written(event)


@firestore_fn.on_document_written(document=privacy.EXPORT, **TRIGGER)
def data_export_written(event: WrittenEvent) -> None:
    privacy.on_export_written(event)


@https_fn.on_call(**CALLABLE)
def request_data_export(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return privacy.request_data_export(request)


@firestore_fn.on_document_written(document=privacy.ERASURE, **TRIGGER)
def account_erasure_written(event: WrittenEvent) -> None:
    privacy.on_erasure_written(event)


@https_fn.on_call(**CALLABLE)
def delete_account(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return privacy.delete_account(request)


# Near-me lists: one function per source collection keeps its list's entries in step.


@firestore_fn.on_document_written(document=nearby.DOCUMENTS[NearbyList.REQUESTS], **TRIGGER)
def nearby_request_written(event: WrittenEvent) -> None:
    nearby.on_listed_document_written(event, NearbyList.REQUESTS)


@firestore_fn.on_document_written(document=nearby.DOCUMENTS[NearbyList.EVENTS], **TRIGGER)
def nearby_event_written(event: WrittenEvent) -> None:
    nearby.on_listed_document_written(event, NearbyList.EVENTS)


@firestore_fn.on_document_written(document=nearby.DOCUMENTS[NearbyList.RESOURCES], **TRIGGER)
def nearby_resource_written(event: WrittenEvent) -> None:
    nearby.on_listed_document_written(event, NearbyList.RESOURCES)


@firestore_fn.on_document_written(document=nearby.DOCUMENTS[NearbyList.OFFERINGS], **TRIGGER)
def nearby_offering_written(event: WrittenEvent) -> None:
    nearby.on_listed_document_written(event, NearbyList.OFFERINGS)


# Matching: the match cards follow the requests, profiles, standings and offerings they read.


@firestore_fn.on_document_written(document=matching.REQUEST, **EMBEDDING_TRIGGER)
def match_request_written(event: WrittenEvent) -> None:
    matching.on_request_written(event)


@firestore_fn.on_document_written(document=matching.USER, **EMBEDDING_TRIGGER)
def match_user_written(event: WrittenEvent) -> None:
    matching.on_user_written(event)


@firestore_fn.on_document_written(document=matching.ACCOUNT, **EMBEDDING_TRIGGER)
def match_account_written(event: WrittenEvent) -> None:
    matching.on_account_written(event)


@firestore_fn.on_document_written(document=matching.OFFERING, **EMBEDDING_TRIGGER)
def match_offering_written(event: WrittenEvent) -> None:
    matching.on_offering_written(event)


@firestore_fn.on_document_written(document=matching.REQUEST_CARD, **TRIGGER)
def match_urgent_alerts(event: WrittenEvent) -> None:
    matching.on_request_card_written(event)


@https_fn.on_call(**CALLABLE)
def suggested_helpers(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return matching.suggested_helpers(request)


@https_fn.on_call(**CALLABLE)
def requests_to_help(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return matching.requests_to_help(request)


# Attachments: every member upload goes through the pipeline; a document's files go with it.


@storage_fn.on_object_finalized(bucket=STORAGE_BUCKET, **TRIGGER)
def attachment_uploaded(event: CloudEvent[storage_fn.StorageObjectData]) -> None:
    attachments.on_attachment_uploaded(event)


@firestore_fn.on_document_deleted(document=attachments.REQUEST, **TRIGGER)
def request_files_removed(event: firestore_fn.Event[Any]) -> None:
    attachments.on_request_deleted(event)


@firestore_fn.on_document_deleted(document=attachments.RESOURCE, **TRIGGER)
def resource_files_removed(event: firestore_fn.Event[Any]) -> None:
    attachments.on_parent_deleted(event, attachments.RESOURCE)


@firestore_fn.on_document_deleted(document=attachments.EVENT, **TRIGGER)
def event_files_removed(event: firestore_fn.Event[Any]) -> None:
    attachments.on_parent_deleted(event, attachments.EVENT)


@firestore_fn.on_document_deleted(document=attachments.CONVERSATION, **TRIGGER)
def conversation_files_removed(event: firestore_fn.Event[Any]) -> None:
    attachments.on_parent_deleted(event, attachments.CONVERSATION)


@firestore_fn.on_document_deleted(document=attachments.STORY, **TRIGGER)
def story_files_removed(event: firestore_fn.Event[Any]) -> None:
    attachments.on_parent_deleted(event, attachments.STORY)


# Callables: each serves its entry of the registry (mitche.callables), by its own name.


@https_fn.on_call(**CALLABLE)
def resolve_report(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("resolve_report", request)


@https_fn.on_call(**CALLABLE)
def set_member_role(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("set_member_role", request)


@https_fn.on_call(**CALLABLE)
def review_content(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("review_content", request)


# Callables for members: their identity, sealed at rest (mitche.handlers._identity).


@https_fn.on_call(**CALLABLE)
def set_identity(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("set_identity", request)


@https_fn.on_call(**CALLABLE)
def read_identity(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("read_identity", request)


@https_fn.on_call(**CALLABLE)
def adjust_hope_points(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("adjust_hope_points", request)


@https_fn.on_call(**CALLABLE)
def set_feature_flags(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("set_feature_flags", request)


@https_fn.on_call(**CALLABLE)
def set_service_status(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("set_service_status", request)


@https_fn.on_call(**CALLABLE)
def set_rate_limits(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("set_rate_limits", request)


@https_fn.on_call(**CALLABLE)
def load_achievement_catalog(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("load_achievement_catalog", request)


# Callables of community events: a moderator decides; an attendee checks in with the code.


@https_fn.on_call(**CALLABLE)
def decide_event(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("decide_event", request)


@https_fn.on_call(**CALLABLE)
def check_in_at_event(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("check_in_at_event", request)


# Callables of the resource hub and the Hope Tapestry (moderators).


@https_fn.on_call(**CALLABLE)
def decide_provider(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("decide_provider", request)


@https_fn.on_call(**CALLABLE)
def revoke_provider(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("revoke_provider", request)


@https_fn.on_call(**CALLABLE)
def decide_story(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    return callables.serve("decide_story", request)


# Schedules.


@scheduler_fn.on_schedule(schedule=schedules.DAILY, timezone=Timezone("UTC"), **SCHEDULE)
def daily_analytics(event: scheduler_fn.ScheduledEvent) -> None:
    schedules.daily_analytics(event)


@scheduler_fn.on_schedule(schedule=schedules.HOURLY, **SCHEDULE)
def lift_ended_suspensions(event: scheduler_fn.ScheduledEvent) -> None:
    schedules.hourly_suspensions(event)


@scheduler_fn.on_schedule(schedule=privacy.ERASURE_RESUME, **SCHEDULE)
def resume_stalled_erasures(event: scheduler_fn.ScheduledEvent) -> None:
    privacy.resume_erasures(event)


@scheduler_fn.on_schedule(schedule=schedules.EXPIRY, **SCHEDULE)
def expire_overdue_requests(event: scheduler_fn.ScheduledEvent) -> None:
    schedules.expire_requests(event)


@scheduler_fn.on_schedule(schedule=attachments.ORPHAN_SWEEP, **SCHEDULE)
def sweep_orphan_uploads(event: scheduler_fn.ScheduledEvent) -> None:
    attachments.sweep_orphan_uploads(event)


@scheduler_fn.on_schedule(schedule=community_events.REMINDERS, **SCHEDULE)
def remind_event_attendees(event: scheduler_fn.ScheduledEvent) -> None:
    community_events.remind_attendees(event)


@scheduler_fn.on_schedule(schedule=notifications.DEFERRED_PUSHES, **SCHEDULE)
def send_deferred_pushes(event: scheduler_fn.ScheduledEvent) -> None:
    notifications.send_deferred_pushes(event)
