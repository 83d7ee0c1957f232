"""The models' cross-field validators, translated by hand into the rules language.

JSON Schema carries types, sizes, enums and patterns, which the generator translates by itself;
a pydantic `model_validator` is Python code, so each one a client can break is written here
once more as rules expressions over `v` (the map or document being checked). Absent fields read
as the model's defaults (`v.get('status', 'open')`). A validator the rules cannot express, or
one over fields only the server writes, is listed in `UNENFORCED` with the reason; a test
checks that every validator of every client-writable model is in one table or the other, and
the shared table of valid and invalid documents checks that both sides agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pydantic import BaseModel

from mitche.models import (
    ATTACHMENT_ROOT,
    MAX_REQUEST_ATTACHMENTS,
    TARGET_COLLECTIONS,
    Attachment,
    Availability,
    CommunityEvent,
    Consents,
    Conversation,
    Device,
    EventAccess,
    ExactLocation,
    Fees,
    FinancialDetails,
    HelpRequest,
    ImpactReport,
    Message,
    Notification,
    Offering,
    OpeningHours,
    Profile,
    Provider,
    ProviderApplication,
    PublicArea,
    PublicLocation,
    QuietHours,
    Registration,
    Report,
    Resource,
    ResourceEligibility,
    ResourceReview,
    RevealConsent,
    Schedule,
    TapestryThread,
    ThreadNomination,
    User,
    UserAchievement,
)

__all__ = ["HELPERS", "INVARIANTS", "UNENFORCED", "Invariant"]


@dataclass(frozen=True, slots=True)
class Invariant:
    """One rules expression over `v`, and the model validator it translates."""

    mirrors: str
    """Name of the validator method (or the field check) it stands for."""
    rule: str


_PDF: Final = "'application/pdf'"
_SEGMENT: Final = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}"
_MAX_IMPACT_PHOTOS: Final = ImpactReport.model_fields["photos"].metadata[0].max_length


def _each(field: str, count: int, condition: str) -> str:
    """`condition` (with `{}` for the item) for each item of an optional list field `v.field`
    of at most `count` items."""
    return " && ".join(
        f"(v.get('{field}', []).size() <= {i} || {condition.format(f'v.{field}[{i}]')})"
        for i in range(count)
    )


def _updated_after_created(name: str = "_updated_after_created") -> Invariant:
    return Invariant(name, "v.updatedAt >= v.createdAt")


def _distinct(items: str) -> str:
    return f"{items}.toSet().size() == {items}.size()"


_GEOHASH_ALPHABET: Final = "0123456789bcdefghjkmnpqrstuvwxyz"
_CELL_BITS: Final = 15
"""Bits of longitude (and of latitude) a 6-character geohash holds."""


def _interleaved(index: int) -> str:
    """The geohash character of a 5-bit group from 3 bits of one axis and 2 of the other
    (`index` = first axis × 4 + second axis): bits taken alternately, the first axis first."""
    first, second = index // 4, index % 4
    value = (
        (first >> 2 & 1) * 16
        + (second >> 1 & 1) * 8
        + (first >> 1 & 1) * 4
        + (second & 1) * 2
        + (first & 1)
    )
    return _GEOHASH_ALPHABET[value]


_GROUPS: Final = "".join(_interleaved(index) for index in range(32))
"""Characters by (3 bits of one axis, 2 of the other): a geohash alternates longitude and
latitude bits, so characters 0, 2 and 4 take 3 longitude and 2 latitude bits, and characters
1, 3 and 5 the other way round; the same table serves both."""

_CELL_CENTRE: Final = f"""\
// Whether `point` is the centre of the 6-character geohash cell `geohash`: the point's cell
// indexes along each axis, encoded back into the geohash (one character per 5 bits, the bits
// of the two axes interleaved), and the point within 1e-6 degrees of that cell's centre.
function isCellCentre(geohash, point) {{
  let cells = {2**_CELL_BITS}.0;
  let lon = math.floor((point.longitude() + 180.0) / 360.0 * cells);
  let lat = math.floor((point.latitude() + 90.0) / 180.0 * cells);
  let groups = '{_GROUPS}';
  return geohash == groups[(lon / 4096) * 4 + lat / 8192]
      + groups[((lat / 1024) % 8) * 4 + (lon / 1024) % 4]
      + groups[((lon / 128) % 8) * 4 + (lat / 256) % 4]
      + groups[((lat / 32) % 8) * 4 + (lon / 32) % 4]
      + groups[((lon / 4) % 8) * 4 + (lat / 8) % 4]
      + groups[(lat % 8) * 4 + lon % 4]
    && math.abs(point.longitude() - ((lon + 0.5) * 360.0 / cells - 180.0)) <= 0.000001
    && math.abs(point.latitude() - ((lat + 0.5) * 180.0 / cells - 90.0)) <= 0.000001;
}}"""

HELPERS: Final[Mapping[str, str]] = {
    "isCellCentre": _CELL_CENTRE,
    "reportTargetCollections": "// The collection each kind of report target lives in.\n"
    "function reportTargetCollections() {\n  return {\n"
    + ",\n".join(
        f"    '{kind.value}': '{collection.value}'"
        for kind, collection in TARGET_COLLECTIONS.items()
    )
    + "\n  };\n}",
}
"""Functions the invariants call, by name."""

INVARIANTS: Final[Mapping[type[BaseModel], tuple[Invariant, ...]]] = {
    Attachment: (
        Invariant(
            "_path_under_owner",
            f"v.storagePath.matches('{ATTACHMENT_ROOT}/' + v.ownerId + '/{_SEGMENT}"
            f"(/{_SEGMENT}){{0,5}}')",
        ),
        Invariant(
            "_dimensions_only_for_images",
            f"v.contentType != {_PDF}"
            " || (v.get('width', null) == null && v.get('height', null) == null)",
        ),
    ),
    PublicArea: (Invariant("geohash precision", "v.geohash.size() == 5"),),
    PublicLocation: (
        Invariant("geohash precision", "v.geohash.size() == 6"),
        Invariant("_consistent", "v.geohash[0:5] == v.area.geohash"),
        Invariant("_consistent", "isCellCentre(v.geohash, v.point)"),
    ),
    ExactLocation: (Invariant("geohash precision", "v.geohash.size() == 9"),),
    OpeningHours: (Invariant("_closes_after_opening", "v.closesAt > v.opensAt"),),
    Profile: (
        Invariant(
            "_avatar_is_image", f"v.get('avatar', null) == null || v.avatar.contentType != {_PDF}"
        ),
    ),
    QuietHours: (Invariant("_not_empty", "v.startsAt != v.endsAt"),),
    User: (_updated_after_created(),),
    RevealConsent: (
        Invariant(
            "_completed_is_consented",
            "v.get('completedAt', null) == null || v.get('status', 'consented') == 'consented'",
        ),
        _updated_after_created("_completed_is_consented"),
    ),
    HelpRequest: (
        _updated_after_created("_times_in_order"),
        Invariant("_times_in_order", "v.get('deadline', null) == null || v.deadline > v.createdAt"),
        Invariant(
            "_place_given", "v.get('location', null) != null || v.get('remoteOk', false) == true"
        ),
        Invariant(
            "_attachments_owned",
            _each("attachments", MAX_REQUEST_ATTACHMENTS, "{}.ownerId == v.requesterId"),
        ),
        Invariant("_helpers_consistent", _distinct("v.get('acceptedHelperIds', [])")),
        Invariant("_helpers_consistent", "!(v.requesterId in v.get('acceptedHelperIds', []))"),
        Invariant(
            "_helpers_consistent",
            "v.get('status', 'open') != 'inProgress' || v.get('acceptedHelperIds', []).size() > 0",
        ),
        Invariant(
            "_completion_matches_status",
            "(v.get('status', 'open') in ['fulfilled', 'closed'])"
            " == (v.get('completion', null) != null)",
        ),
        Invariant(
            "_completion_matches_status",
            "v.get('completion', null) == null || (v.completion.completedAt >= v.createdAt"
            " && v.get('acceptedHelperIds', []).toSet().hasAll(v.completion.get('fulfilledBy', []))"
            " && (v.get('status', 'open') != 'fulfilled'"
            " || v.completion.get('fulfilledBy', []).size() > 0))",
        ),
    ),
    FinancialDetails: (
        Invariant(
            "_repayment_for_loans",
            "v.get('repayBy', null) == null || v.get('method', 'gift') == 'loan'",
        ),
        Invariant("_repayment_for_loans", "v.amount.amountMinor > 0"),
    ),
    Availability: (
        Invariant(
            "_range_in_order",
            "v.get('availableFrom', null) == null || v.get('availableUntil', null) == null"
            " || v.availableUntil > v.availableFrom",
        ),
    ),
    Offering: (
        Invariant(
            "_details_match_type",
            "(v.offeringType == 'financial') == (v.get('financial', null) != null)",
        ),
        Invariant(
            "_details_match_type",
            "(v.offeringType == 'resource') == (v.get('resource', null) != null)",
        ),
        Invariant(
            "_request_link",
            "v.get('requestPath', null) == null || v.get('requesterId', null) != null",
        ),
        Invariant(
            "_request_link",
            "v.get('requestPath', null) != null || v.get('requesterId', null) == null"
            " || v.get('status', 'offered') in ['accepted', 'completed', 'cancelled']",
        ),
        Invariant(
            "_request_link",
            "v.get('requestPath', null) == null || v.requestPath[3] == 'requests'",
        ),
        Invariant(
            "_request_link",
            "v.get('requesterId', null) == null || v.requesterId != v.helperId",
        ),
        _updated_after_created("_timeline"),
        Invariant(
            "_timeline",
            "v.get('requesterId', null) == null"
            " || v.get('status', 'offered') in ['offered', 'withdrawn', 'expired']"
            " || v.get('respondedAt', null) != null",
        ),
        Invariant(
            "_timeline", "v.get('respondedAt', null) == null || v.respondedAt >= v.createdAt"
        ),
        Invariant(
            "_timeline",
            "(v.get('status', 'offered') == 'completed') == (v.get('completedAt', null) != null)",
        ),
        Invariant(
            "_feedback_authors",
            "(v.get('requesterFeedback', null) == null && v.get('helperFeedback', null) == null)"
            " || v.get('status', 'offered') == 'completed'",
        ),
        Invariant(
            "_feedback_authors",
            "v.get('requesterFeedback', null) == null"
            " || v.requesterFeedback.authorId == v.get('requesterId', null)",
        ),
        Invariant(
            "_feedback_authors",
            "v.get('helperFeedback', null) == null || v.helperFeedback.authorId == v.helperId",
        ),
    ),
    ImpactReport: (
        Invariant(
            "_photos_are_images",
            _each("photos", _MAX_IMPACT_PHOTOS, f"{{}}.contentType != {_PDF}"),
        ),
    ),
    CommunityEvent: (
        Invariant("_times_in_order", "v.endsAt > v.startsAt"),
        Invariant(
            "_times_in_order",
            "v.get('registrationDeadline', null) == null || v.registrationDeadline <= v.startsAt",
        ),
        _updated_after_created("_times_in_order"),
        Invariant(
            "_format_has_place",
            "(v.format in ['inPerson', 'hybrid']) == (v.get('location', null) != null)",
        ),
        Invariant(
            "_format_has_place",
            "(v.format in ['virtual', 'hybrid']) == (v.get('virtualPlatform', null) != null)",
        ),
        Invariant("_organizers", _distinct("v.get('coOrganizerIds', [])")),
        Invariant("_organizers", "!(v.organizerId in v.get('coOrganizerIds', []))"),
        Invariant(
            "_impact_after_completion",
            "v.get('impact', null) == null || v.get('status', 'draft') == 'completed'",
        ),
        Invariant(
            "_cover_is_image",
            f"v.get('coverImage', null) == null || v.coverImage.contentType != {_PDF}",
        ),
    ),
    EventAccess: (
        Invariant("_says_where", "v.get('venue', null) != null || v.get('joinUrl', null) != null"),
    ),
    Registration: (
        Invariant(
            "_check_in",
            "(v.get('attendance', 'unknown') == 'attended')"
            " == (v.get('checkedInAt', null) != null)",
        ),
        Invariant(
            "_check_in",
            "v.get('feedback', null) == null || (v.get('attendance', 'unknown') == 'attended'"
            " && v.feedback.authorId == v.userId)",
        ),
        _updated_after_created("_check_in"),
    ),
    Conversation: (
        Invariant("_participants", _distinct("v.participantIds")),
        Invariant("_participants", "v.createdBy in v.participantIds"),
        Invariant("_participants", "v.conversationType != 'dm' || v.participantIds.size() == 2"),
        Invariant(
            "_participants", "v.conversationType == 'support' || v.participantIds.size() >= 2"
        ),
        Invariant(
            "_participants",
            "v.participantIds.toSet().hasAll(v.get('participantState', {}).keys())",
        ),
        Invariant(
            "_context_matches_type",
            "v.conversationType != 'dm' || v.get('context', null) == null",
        ),
        Invariant(
            "_context_matches_type",
            "!(v.conversationType in ['request', 'event']) || (v.get('context', null) != null"
            " && v.context[3] == (v.conversationType == 'request' ? 'requests' : 'communityEvents')"
            " && v.context == /databases/$(database)/documents/$(v.context[3])/$(v.context[4]))",
        ),
        Invariant(
            "_sensitive_is_direct", "!v.get('sensitive', false) || v.conversationType == 'dm'"
        ),
        Invariant(
            "_title_for_groups", "v.conversationType != 'dm' || v.get('title', null) == null"
        ),
        _updated_after_created("_title_for_groups"),
    ),
    Message: (
        Invariant(
            "_body_matches_type",
            "v.get('deletedAt', null) == null || (v.get('text', null) == null"
            " && v.get('attachment', null) == null && v.get('location', null) == null)",
        ),
        Invariant(
            "_body_matches_type",
            "v.get('deletedAt', null) != null || ((v.messageType == 'location')"
            " == (v.get('location', null) != null)"
            " && (v.messageType != 'text' || v.get('text', null) != null)"
            " && (v.messageType != 'location' || v.get('text', null) == null)"
            " && (v.messageType in ['image', 'document']) == (v.get('attachment', null) != null)"
            " && (v.get('attachment', null) == null"
            f" || ((v.messageType == 'document') == (v.attachment.contentType == {_PDF})"
            " && v.attachment.ownerId == v.senderId"
            f" && v.attachment.storagePath.matches('{ATTACHMENT_ROOT}/' + v.senderId"
            " + '/messages/' + v.conversationId + '/.+'))))",
        ),
        Invariant(
            "_sealed_body",
            "v.get('deletedAt', null) == null || v.get('sealed', null) == null",
        ),
        Invariant(
            "_sealed_body",
            "v.get('deletedAt', null) != null || ((v.messageType == 'sealed')"
            " == (v.get('sealed', null) != null)"
            " && (v.get('sealed', null) == null || (v.get('text', null) == null"
            " && v.participantIds.size() == 2"
            " && v.sealed.recipients.keys().toSet() == v.participantIds.toSet()"
            " && isSealedRecipient(v.sealed.recipients[v.participantIds[0]])"
            " && isSealedRecipient(v.sealed.recipients[v.participantIds[1]]))))",
        ),
        Invariant("_members_are_participants", _distinct("v.participantIds")),
        Invariant("_members_are_participants", "v.senderId in v.participantIds"),
        Invariant(
            "_members_are_participants",
            "v.participantIds.toSet().hasAll(v.get('readBy', {}).keys())"
            " && v.participantIds.toSet().hasAll(v.get('deliveredTo', {}).keys())",
        ),
        Invariant(
            "_times_in_order",
            "(v.get('editedAt', null) == null || v.editedAt >= v.createdAt)"
            " && (v.get('deletedAt', null) == null || v.deletedAt >= v.createdAt)",
        ),
        Invariant(
            "_times_in_order", "v.get('editedAt', null) == null || v.messageType != 'location'"
        ),
    ),
    Provider: (
        Invariant("_logo_is_image", f"v.get('logo', null) == null || v.logo.contentType != {_PDF}"),
    ),
    Schedule: (
        Invariant(
            "_valid_range",
            "v.get('validFrom', null) == null || v.get('validTo', null) == null"
            " || v.validTo > v.validFrom",
        ),
    ),
    ResourceEligibility: (
        Invariant(
            "_age_range",
            "v.get('minimumAge', null) == null || v.get('maximumAge', null) == null"
            " || v.maximumAge >= v.minimumAge",
        ),
        Invariant("_age_range", _distinct("v.get('groups', ['everyone'])")),
    ),
    Fees: (
        Invariant(
            "_free_has_no_amount",
            "v.get('free', true) == false || v.get('amount', null) == null",
        ),
    ),
    Resource: (
        Invariant(
            "_reachable",
            "v.get('location', null) != null"
            " || v.get('serviceArea', {}).get('remote', false) == true",
        ),
        Invariant("_reachable", _distinct("v.languages")),
        _updated_after_created("_reachable"),
    ),
    ResourceReview: (
        _updated_after_created("_times_in_order"),
        Invariant(
            "_times_in_order", "v.get('visitedAt', null) == null || v.visitedAt <= v.createdAt"
        ),
    ),
    TapestryThread: (
        _updated_after_created(),
        Invariant(
            "_credits_follow_choices",
            "v.get('credits', {}).get('nominatorAlias', null) == null"
            " || v.get('nominatorCredit', 'anonymous') != 'anonymous'",
        ),
        Invariant(
            "_credits_follow_choices",
            "v.get('credits', {}).get('subjectAlias', null) == null || v.subject == 'member'",
        ),
        Invariant(
            "_photo_of_the_nominator",
            "v.get('photo', null) == null"
            f" || (v.photo.contentType != {_PDF} && v.photo.ownerId == v.nominatorId"
            f" && v.photo.storagePath.matches('{ATTACHMENT_ROOT}/' + v.nominatorId"
            " + '/stories/.+'))",
        ),
    ),
    ThreadNomination: (
        Invariant(
            "_consent_needs_subject",
            "v.get('subjectId', null) != null"
            " || v.get('subjectConsent', 'unanswered') == 'unanswered'",
        ),
        Invariant(
            "_consent_needs_subject",
            "v.get('subjectId', null) == null || v.subjectId != v.nominatorId",
        ),
        Invariant(
            "_consent_needs_subject",
            "(v.get('consentAt', null) == null)"
            " == (v.get('subjectConsent', 'unanswered') == 'unanswered')",
        ),
    ),
    Report: (
        Invariant(
            "_target_path_in_target_collection",
            "v.targetPath[3] == reportTargetCollections()[v.targetType]"
            " && v.targetPath == /databases/$(database)/documents/$(v.targetPath[3])"
            "/$(v.targetPath[4])",
        ),
        Invariant(
            "_other_reason_explained",
            "v.reason != 'other' || (v.get('details', null) != null"
            " && v.details.trim().size() > 0)",
        ),
    ),
}
"""Hand-translated validators, by model: each rule is ANDed into the model's rules check."""

_SERVER_ONLY: Final = "over fields only the server writes; clients cannot break it"
_STAMPED: Final = (
    "implied by the stamps: the rules set each time the member writes to request.time and "
    "leave the earlier ones unchanged, so their order cannot be broken"
)

UNENFORCED: Final[Mapping[type[BaseModel], Mapping[str, str]]] = {
    ExactLocation: {
        "_geohash_matches_point": "encoding a point as a geohash needs a loop; the triggers "
        "re-derive public locations from the exact point",
    },
    Message: {
        "_members_are_participants (reactions)": "reaction lists are map values keyed by emoji, "
        "which the rules cannot enumerate; the message rules let each participant add or "
        "remove only their own uid, one emoji at a time",
    },
    Consents: {"_answers_not_after_update": _STAMPED},
    Device: {"_seen_after_created": _STAMPED},
    Notification: {"_times_in_order": _SERVER_ONLY},
    ProviderApplication: {"_decided_together": _SERVER_ONLY},
    TapestryThread: {"_review_matches_status": _SERVER_ONLY},
    Report: {"_status_consistent": _SERVER_ONLY},
    UserAchievement: {
        "_tiers_consistent": _SERVER_ONLY,
        "_hidden_only_once_earned": _SERVER_ONLY,
        "_notification_about_earned_tier": _SERVER_ONLY,
        "_updated_after_created": _SERVER_ONLY,
    },
}
"""Validators of client-writable models that the rules do not check, with the reason."""
