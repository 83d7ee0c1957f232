"""Moderation on a new report: severity, automatic hiding, assignment, and the triage log.

Resolution by a moderator (dismiss, hide, restore, warn, suspend, ban: content state, strikes,
account status, custom claims) is implemented in `_resolution` and exported from here too.

Design choices, and why:
* Severity is the higher of the reason's own severity and the highest keyword severity found
  in the report's details and the reported text. Keywords match case-insensitively on whole
  words (a keyword of several words matches across any whitespace), after Unicode NFKC
  normalisation so look-alike compatibility characters do not dodge the lists. Taking a
  maximum makes severity monotone: more keywords matched never lowers it.
* Reports cannot be weaponised. What a reporter chooses (the reason, the details they
  write) raises a report's severity at most to `reporterSeverityCap` and never hides
  anything by itself. Content is hidden automatically only on reports from accounts at least
  `autoHideMinAccountAgeDays` old: when the reported text itself holds keywords of
  `autoHideSeverity`, or when `autoHideReportCount` such members reported it. Independence
  means one member counts once per item however often they report it (the report's id is
  deterministic), and the content's own author never counts. A report about a member never
  writes into the member's document.
* Assignment is round-robin over the active moderators sorted by uid, indexed by a counter
  the trigger increments in the same transaction: a pure function of (roster, counter), so
  a retried event with the same counter assigns the same moderator. A moderator is never
  assigned a report they filed or one about their own content; the rotation skips them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Final

from mitche.domain._resolution import (
    ClaimValue,
    ReportClosedError,
    Resolution,
    ResolutionRefusedError,
    change_role,
    custom_claims,
    lift_expired_suspension,
    resolve_report,
)
from mitche.models.common import ModerationState
from mitche.models.reports import (
    ActorRole,
    ReportAction,
    ReportActionKind,
    ReportReason,
    ReportSeverity,
    ReportTriage,
)
from mitche.models.system_settings import ModerationSettings

__all__ = [
    "MAX_MATCHED_KEYWORDS",
    "Assignment",
    "AutoHideCause",
    "ClaimValue",
    "Classification",
    "ReportClosedError",
    "Resolution",
    "ResolutionRefusedError",
    "assign_moderator",
    "auto_hide_cause",
    "bounded_severity",
    "change_role",
    "classify",
    "content_state_after_report",
    "custom_claims",
    "independent_reporters",
    "keyword_severity",
    "lift_expired_suspension",
    "normalize_text",
    "report_document_id",
    "reporter_counts",
    "resolve_report",
    "target_key",
    "triage_log",
]

MAX_MATCHED_KEYWORDS: Final = 20
"""Keywords recorded on a report's triage (ReportTriage.matchedKeywords' bound)."""


def normalize_text(text: str) -> str:
    """Text as keywords are matched against it: NFKC, case-folded, whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


@lru_cache(maxsize=4096)
def _keyword_pattern(keyword: str) -> re.Pattern[str] | None:
    words = normalize_text(keyword).split(" ")
    if words == [""]:
        return None
    body = r"\s+".join(re.escape(word) for word in words)
    return re.compile(rf"(?<!\w){body}(?!\w)")


@dataclass(frozen=True, slots=True)
class Classification:
    """What the automatic classification of a report found."""

    severity: ReportSeverity
    """The report's severity: the higher of the reason's and the keywords'."""
    reason_severity: ReportSeverity
    keyword_severity: ReportSeverity | None
    """Highest severity among the matched keywords; None when none matched."""
    matched_keywords: tuple[str, ...]
    """Keywords found, most severe first, at most `MAX_MATCHED_KEYWORDS`."""

    def triage(
        self, at: dt.datetime, *, independent_reports: int, auto_hidden: bool
    ) -> ReportTriage:
        """The `triage` map the trigger stores on the report's case (moderators only)."""
        return ReportTriage(
            classified_at=at,
            reason_severity=self.reason_severity,
            severity=self.severity,
            matched_keywords=list(self.matched_keywords),
            independent_reports=max(1, independent_reports),
            auto_hidden=auto_hidden,
        )


def _most_severe(levels: Iterable[ReportSeverity]) -> ReportSeverity | None:
    return max(levels, key=lambda level: level.rank, default=None)


def classify(
    reason: ReportReason, texts: Iterable[str | None], settings: ModerationSettings
) -> Classification:
    """Classify a report from its reason and the texts involved (details, reported content)."""
    text = normalize_text(" \n ".join(part for part in texts if part))
    matched: list[tuple[ReportSeverity, str]] = []
    for level, keywords in settings.keywords.items():
        for keyword in keywords:
            pattern = _keyword_pattern(keyword)
            if pattern is not None and pattern.search(text):
                matched.append((level, keyword))
    matched.sort(key=lambda item: (-item[0].rank, item[1]))
    reason_level = settings.severity_for_reason(reason)
    keyword_level = _most_severe(level for level, _ in matched)
    severity = reason_level
    if keyword_level is not None and keyword_level.rank > reason_level.rank:
        severity = keyword_level
    unique = tuple(dict.fromkeys(keyword for _, keyword in matched))
    return Classification(severity, reason_level, keyword_level, unique[:MAX_MATCHED_KEYWORDS])


def keyword_severity(text: str | None, settings: ModerationSettings) -> ReportSeverity | None:
    """The highest severity of the keywords found in `text`; None when none is found."""
    if not text:
        return None
    return classify(ReportReason.OTHER, [text], settings).keyword_severity


def bounded_severity(
    reporter_level: ReportSeverity,
    content_level: ReportSeverity | None,
    settings: ModerationSettings,
) -> ReportSeverity:
    """A report's severity: what the reporter chose (reason, details), capped at
    `reporterSeverityCap`, or the reported text's own keywords when higher."""
    cap = settings.reporter_severity_cap
    chosen = reporter_level if reporter_level.rank <= cap.rank else cap
    if content_level is not None and content_level.rank > chosen.rank:
        return content_level
    return chosen


def reporter_counts(
    created_at: dt.datetime | None, at: dt.datetime, settings: ModerationSettings
) -> bool:
    """Whether a reporter whose account was created at `created_at` counts towards hiding
    content automatically (None: no readable account, never counts)."""
    if created_at is None:
        return False
    return at - created_at >= dt.timedelta(days=settings.auto_hide_min_account_age_days)


def target_key(target_path: str) -> str:
    """A document id naming a reported item, under which its reporters are recorded (one
    document per reporter, so a member's second report of the item is not counted again)."""
    return hashlib.sha256(target_path.encode()).hexdigest()[:40]


def report_document_id(target_path: str, reporter_id: str) -> str:
    """A deterministic report id, `{target_key}_{reporterId}`: if clients create reports under
    it (the rules can check it with `hashing.sha256`), a member's second report of an item is
    refused by the database itself, and counting the item's reports counts its reporters."""
    return f"{target_key(target_path)}_{reporter_id}"


def independent_reporters(reporter_ids: Iterable[str], owner_id: str | None) -> int:
    """How many distinct members reported an item, its own author excluded."""
    return len(set(reporter_ids) - ({owner_id} if owner_id else set()))


class AutoHideCause(StrEnum):
    """Why content was hidden without waiting for a moderator."""

    SEVERITY = "severity"
    REPORT_COUNT = "reportCount"


def auto_hide_cause(
    severity: ReportSeverity, independent: int, settings: ModerationSettings
) -> AutoHideCause | None:
    """Why the reported content must be hidden now, or None to leave it visible."""
    if severity.rank >= settings.auto_hide_severity.rank:
        return AutoHideCause.SEVERITY
    if independent >= settings.auto_hide_report_count:
        return AutoHideCause.REPORT_COUNT
    return None


def content_state_after_report(current: ModerationState, hide: bool) -> ModerationState | None:
    """The content's moderation state once reported (None: unchanged).

    Reported content is flagged for a moderator; hidden if the report calls for it. Content
    already hidden or removed stays so.
    """
    if current in (ModerationState.HIDDEN, ModerationState.REMOVED):
        return None
    target = ModerationState.HIDDEN if hide else ModerationState.FLAGGED
    return None if target is current else target


@dataclass(frozen=True, slots=True)
class Assignment:
    """The moderator a report goes to, and the counter to store for the next report."""

    moderator_id: str | None
    """None when no active moderator may take the report."""
    next_counter: int


def assign_moderator(
    moderators: Iterable[str], counter: int, *, exclude: Iterable[str] = ()
) -> Assignment:
    """Round-robin assignment: moderator number `counter` in uid order, skipping excluded
    ones (the reporter, the content's author); the counter moves past the chosen one."""
    if counter < 0:
        raise ValueError(f"the assignment counter is never negative, not {counter}")
    roster: Sequence[str] = sorted(set(moderators))
    barred = set(exclude)
    for step in range(len(roster)):
        candidate = roster[(counter + step) % len(roster)]
        if candidate not in barred:
            return Assignment(candidate, counter + step + 1)
    return Assignment(None, counter)


def triage_log(
    classification: Classification,
    *,
    auto_hidden: AutoHideCause | None,
    assignment: Assignment,
    at: dt.datetime,
    event_id: str,
) -> tuple[ReportAction, ...]:
    """The entries the on-create trigger appends to the report's action log."""
    entries = [
        ReportAction(
            kind=ReportActionKind.CLASSIFIED,
            actor_role=ActorRole.SYSTEM,
            at=at,
            severity=classification.severity,
            note=_keywords_note(classification.matched_keywords),
            event_id=event_id,
        )
    ]
    if auto_hidden is not None:
        entries.append(
            ReportAction(
                kind=ReportActionKind.AUTO_HIDDEN,
                actor_role=ActorRole.SYSTEM,
                at=at,
                note=f"hidden automatically ({auto_hidden.value})",
                event_id=event_id,
            )
        )
    if assignment.moderator_id is not None:
        entries.append(
            ReportAction(
                kind=ReportActionKind.ASSIGNED,
                actor_role=ActorRole.SYSTEM,
                at=at,
                note=f"assigned to {assignment.moderator_id}",
                event_id=event_id,
            )
        )
    return tuple(entries)


def _keywords_note(keywords: tuple[str, ...]) -> str | None:
    if not keywords:
        return None
    return "matched: " + ", ".join(keywords)
