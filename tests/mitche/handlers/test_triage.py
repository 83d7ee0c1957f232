"""`plan_triage` with plain data: severity, independent reports, hiding, assignment, log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mitche.handlers import plan_triage, target_owner, target_text
from mitche.models import (
    ModerationSettings,
    ModerationState,
    ModeratorRoster,
    ReportTargetType,
)
from tests.mitche.handlers.factories import T0, make_report

ROSTER = ModeratorRoster(moderator_ids=["modkenji", "modsara"], next_assignment=0)
SETTINGS = ModerationSettings()


def offering(**moderation: Any) -> dict[str, Any]:
    return {
        "helperId": "amina",
        "title": "Lift to the clinic",
        "description": "I drive there on Tuesdays.",
        "moderation": {"status": "approved", "reportCount": 0, **moderation},
    }


ESTABLISHED = T0 - dt.timedelta(days=30)
"""When the reporters of these tests signed up: old enough to count."""


def plan(
    reporter: str = "samira",
    target: dict[str, Any] | None = None,
    *,
    since: dt.datetime | None = ESTABLISHED,
    **report: Any,
) -> Any:
    path, model = make_report(reporter, **report)
    return plan_triage(
        path.split("/")[1],
        model,
        offering() if target is None else target,
        ROSTER,
        SETTINGS,
        at=T0,
        event_id="e1",
        reporter_since=since,
    )


@pytest.mark.parametrize(
    ("reason", "details", "severity"),
    [
        ("spam", None, "low"),
        ("harassment", None, "medium"),
        ("spam", "they asked for a gift card code", "high"),
        ("other", "I think they want to end my life story", "high"),
        ("selfHarm", None, "high"),
    ],
)
def test_what_the_reporter_chooses_raises_severity_up_to_the_cap_and_hides_nothing(
    reason: str, details: str | None, severity: str
) -> None:
    """The reason and the details a reporter writes set the severity, at most
    reporterSeverityCap (high), and never hide the content by themselves."""
    outcome = plan(reason=reason, details=details)
    assert outcome.severity.value == severity
    assert not outcome.auto_hidden


@pytest.mark.parametrize(
    ("description", "severity", "hidden"),
    [
        ("Send me a gift card code and I will help.", "high", True),
        ("I will end my life story here.", "critical", True),
        ("I drive there on Tuesdays.", "low", False),
    ],
)
def test_keywords_in_the_reported_text_itself_set_severity_and_hide(
    description: str, severity: str, hidden: bool
) -> None:
    """Keywords found in the reported content (not in the report) are not capped, and from
    autoHideSeverity on they hide the content on a report from an established account."""
    target = {**offering(), "description": description}
    outcome = plan(reason="spam", target=target)
    assert outcome.severity.value == severity
    assert outcome.auto_hidden is hidden


@pytest.mark.parametrize("since", [T0 - dt.timedelta(hours=1), None])
def test_a_brand_new_or_unknown_account_neither_counts_nor_hides(
    since: dt.datetime | None,
) -> None:
    """A report from an account younger than autoHideMinAccountAgeDays (or with no readable
    account) is triaged for a moderator but counts nothing and hides nothing, even on
    keyword-laden text with two earlier reports."""
    target = {**offering(reportCount=2), "description": "Send me a gift card code."}
    outcome = plan(reason="selfHarm", details="gift card code", target=target, since=since)
    assert not outcome.counted
    assert outcome.independent_reports == 2
    assert not outcome.auto_hidden
    assert outcome.content_state is ModerationState.FLAGGED


@pytest.mark.parametrize(
    ("prior", "hidden"),
    [(0, False), (1, False), (2, True)],
)
def test_the_third_independent_report_hides_the_content(prior: int, hidden: bool) -> None:
    """With two earlier independent reports, this one reaches autoHideReportCount (3)."""
    outcome = plan(target=offering(reportCount=prior))
    assert outcome.independent_reports == prior + 1
    assert outcome.auto_hidden is hidden


def test_the_authors_own_report_does_not_count() -> None:
    """A member reporting their own content is not an independent reporter."""
    outcome = plan("amina", target=offering(reportCount=2))
    assert not outcome.counted
    assert not outcome.auto_hidden


def test_a_report_under_a_free_form_id_does_not_count() -> None:
    """A report whose id is not `{targetKey}_{reporterId}` is triaged but not counted."""
    outcome = plan(report_id="whatever", target=offering(reportCount=2))
    assert not outcome.counted
    assert outcome.independent_reports == 2


def test_hidden_or_removed_content_stays_so() -> None:
    """A report about content already hidden leaves its state alone."""
    outcome = plan(target=offering(status="hidden"))
    assert outcome.content_state is None


def test_a_report_about_a_member_hides_nothing() -> None:
    """Reports about a member change no content state; the member is the target's owner."""
    outcome = plan(target_path="users/amina", target={"profile": {"displayName": "A"}})
    assert outcome.content_state is None
    assert outcome.case.target_owner_id == "amina"


def test_the_assignment_rotates_and_skips_parties() -> None:
    """The first moderator in uid order gets the report unless they filed it."""
    assert plan().assignment.moderator_id == "modkenji"
    assert plan("modkenji").assignment.moderator_id == "modsara"


def test_no_moderator_means_no_assignment() -> None:
    """With an empty roster the report stays unassigned and the log says only classified."""
    path, model = make_report()
    outcome = plan_triage(
        path[8:], model, offering(), ModeratorRoster(), SETTINGS, at=T0, event_id="e"
    )
    assert outcome.assignment.moderator_id is None
    assert [entry.kind.value for entry in outcome.log] == ["classified"]
    assert "assignedModeratorId" not in outcome.report_fields
    assert outcome.case.assigned_moderator_id is None


def test_the_assignment_goes_to_the_case_never_the_report() -> None:
    """The moderator assigned is written on the moderators-only case; the report its
    reporter reads names no moderator (issue 21, hole 16)."""
    outcome = plan()
    assert outcome.case.assigned_moderator_id == "modkenji"
    assert outcome.case.assigned_at is not None
    assert "modkenji" not in str(outcome.report_fields)


def test_the_findings_go_to_the_case_the_reporter_reads_the_severity() -> None:
    """The reported author, the text, the independent reports, the keywords matched and the
    hiding are on the moderators-only case; the report its reporter reads holds only the
    severity (the queue's order) and the time."""
    outcome = plan(target=offering(reportCount=2))
    assert set(outcome.report_fields) == {"severity", "updatedAt"}
    assert outcome.case.target_owner_id == "amina"
    assert outcome.case.content_snapshot is not None
    triage = outcome.case.triage
    assert triage is not None
    assert triage.independent_reports == 3
    assert triage.auto_hidden is True
    assert triage.severity is outcome.severity


@pytest.mark.parametrize(
    ("kind", "path", "data", "owner", "text"),
    [
        (ReportTargetType.OFFERING, "offerings/o", offering(), "amina", "Lift to the clinic"),
        (ReportTargetType.MESSAGE, "messages/m", {"senderId": "jo", "text": "hi"}, "jo", "hi"),
        (ReportTargetType.USER, "users/omar", {"profile": {"bio": "x"}}, "omar", "x"),
        (ReportTargetType.REQUEST, "requests/r", None, None, None),
    ],
)
def test_owner_and_text_come_from_the_kind_of_content(
    kind: ReportTargetType, path: str, data: Any, owner: str | None, text: str | None
) -> None:
    """Each kind of content names its author and its text in its own fields."""
    assert target_owner(kind, path, data) == owner
    found = target_text(kind, data)
    assert (found or "").startswith(text or "")
    assert (found is None) is (text is None)


def test_the_snapshot_is_bounded() -> None:
    """Very long content is cut to the report's snapshot bound."""
    long = {"senderId": "jo", "text": "word " * 3000}
    assert len(target_text(ReportTargetType.MESSAGE, long) or "") == 5000


def test_a_hide_flags_state_transitions() -> None:
    """A non-hiding report flags approved content for a moderator."""
    assert plan().content_state is ModerationState.FLAGGED
