"""Example `reports` documents: a resolved scam report, its case and log, and documents the model
refuses."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

REPORTED = datetime(2026, 11, 18, 21, 12, 5, tzinfo=UTC)
CLASSIFIED = datetime(2026, 11, 18, 21, 12, 9, tzinfo=UTC)
RESOLVED = datetime(2026, 11, 19, 8, 40, tzinfo=UTC)

VALID: dict[str, Any] = {
    "reporterId": "aminaUid01",
    "targetType": "offering",
    "targetPath": "offerings/off_9kLm2",
    "reason": "scam",
    "details": "Asks me to pay a 'delivery fee' by gift card before the fridge is given.",
    "createdAt": REPORTED,
    "severity": "high",
    "status": "resolved",
    "outcome": {
        "upheld": True,
        "decidedAt": RESOLVED,
        "note": "Thank you. The offering is taken down.",
    },
    "updatedAt": RESOLVED,
}

TRIAGE: dict[str, Any] = {
    "classifiedAt": CLASSIFIED,
    "reasonSeverity": "high",
    "severity": "high",
    "matchedKeywords": ["gift card code"],
    "independentReports": 2,
    "autoHidden": True,
}

CASE: dict[str, Any] = {
    "status": "resolved",
    "targetOwnerId": "spamUid666",
    "contentSnapshot": "Free fridge! Just cover delivery: send a 50 EUR gift card code first.",
    "triage": TRIAGE,
    "assignedModeratorId": "modSamir03",
    "assignedAt": CLASSIFIED,
    "resolution": {
        "action": "suspend",
        "note": "Thank you. The offering is taken down.",
        "resolvedBy": "modSamir03",
        "resolvedAt": RESOLVED,
        "suspension": {
            "startsAt": RESOLVED,
            "endsAt": datetime(2026, 11, 26, 8, 40, tzinfo=UTC),
        },
        "strikeIssued": True,
    },
    "updatedAt": RESOLVED,
}


def _without(*keys: str) -> dict[str, Any]:
    return {name: value for name, value in VALID.items() if name not in keys}


INVALID: list[tuple[str, dict[str, Any], str]] = [
    ("wrong type", {**VALID, "reporterId": 1234}, "reporterId"),
    ("unknown field", {**VALID, "reportedBy": "aminaUid01"}, "reportedBy"),
    ("oversized string", {**VALID, "details": "x" * 2001}, "details"),
    ("bad enum", {**VALID, "reason": "rude"}, "reason"),
    ("bad severity", {**VALID, "severity": "severe"}, "severity"),
    ("missing required field", _without("targetPath"), "targetPath"),
    ("missing reporter", _without("reporterId"), "reporterId"),
    ("target is not a document path", {**VALID, "targetPath": "offerings"}, "targetPath"),
    (
        "target in the wrong collection",
        {**VALID, "targetPath": "requests/req_12"},
        "targetPath",
    ),
    (
        "target below a document",
        {**VALID, "targetPath": "offerings/off_9kLm2/private/x"},
        "targetPath",
    ),
    (
        "other reason without details",
        {**VALID, "reason": "other", "details": "  "},
        "details",
    ),
    (
        "closed report without outcome",
        _without("outcome"),
        "outcome",
    ),
    (
        "open report with an outcome",
        {**VALID, "status": "open"},
        "outcome",
    ),
    (
        "upheld outcome on a dismissed report",
        {**VALID, "status": "dismissed"},
        "upheld",
    ),
    (
        "assignment time without moderator (legacy fields)",
        {**VALID, "assignedAt": CLASSIFIED},
        "assignedAt",
    ),
    (
        "too many matched keywords (legacy triage)",
        {**VALID, "triage": {**TRIAGE, "matchedKeywords": ["scam"] * 21}},
        "matchedKeywords",
    ),
    ("reporter id with a slash", {**VALID, "reporterId": "a/b"}, "reporterId"),
]

SUBCOLLECTION_VALID: dict[str, dict[str, Any]] = {
    "reports/{reportId}/private/case": CASE,
    "reports/{reportId}/actions/{actionId}": {
        "kind": "resolved",
        "actorId": "modSamir03",
        "actorRole": "moderator",
        "at": RESOLVED,
        "fromStatus": "inReview",
        "toStatus": "resolved",
        "resolutionAction": "suspend",
        "note": "Same gift-card pattern as two earlier reports against this account.",
        "eventId": "callable/resolveReport/7f3c1e",
    },
}
