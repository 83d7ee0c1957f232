"""Reports are classified by reason and keywords, hide content above a threshold, are assigned
round-robin, and a moderator's decision updates content, strikes, status and claims."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from mitche.domain.moderation import (
    MAX_MATCHED_KEYWORDS,
    Assignment,
    AutoHideCause,
    ReportClosedError,
    Resolution,
    ResolutionRefusedError,
    assign_moderator,
    auto_hide_cause,
    change_role,
    classify,
    content_state_after_report,
    custom_claims,
    independent_reporters,
    lift_expired_suspension,
    report_document_id,
    resolve_report,
    target_key,
    triage_log,
)
from mitche.errors import PermissionDeniedError
from mitche.models._base import DocumentId
from mitche.models.common import ModerationState
from mitche.models.reports import (
    ActorRole,
    Report,
    ReportActionKind,
    ReportReason,
    ReportResolution,
    ReportSeverity,
    ReportStatus,
    ReportTargetType,
    ResolutionAction,
)
from mitche.models.system_settings import (
    DEFAULT_KEYWORDS,
    ModerationSettings,
    SuspensionPolicy,
)
from mitche.models.users import AccountStatus, Role, Security

MODERATION = ModerationSettings()
AT = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
LOW, MEDIUM, HIGH, CRITICAL = (
    ReportSeverity.LOW,
    ReportSeverity.MEDIUM,
    ReportSeverity.HIGH,
    ReportSeverity.CRITICAL,
)


def make_report(
    target_type: ReportTargetType = ReportTargetType.OFFERING,
    status: ReportStatus = ReportStatus.OPEN,
) -> Report:
    path = {"offering": "offerings/o1", "user": "users/olga"}[target_type.value]
    return Report(
        reporter_id="rita",
        target_type=target_type,
        target_path=path,
        reason=ReportReason.HARASSMENT,
        created_at=AT,
        severity=None if status is ReportStatus.OPEN else MEDIUM,
        status=status,
        assigned_moderator_id=None if status is ReportStatus.OPEN else "mo",
        assigned_at=None if status is ReportStatus.OPEN else AT,
    )


def make_dismissed_report() -> Report:
    resolution = ReportResolution(action=ResolutionAction.DISMISS, resolved_by="mo", resolved_at=AT)
    return make_report(status=ReportStatus.IN_REVIEW).model_copy(
        update={"status": ReportStatus.DISMISSED, "resolution": resolution}
    )


def make_security(
    strikes: int = 0,
    last_strike_days_ago: int = 10,
    status: AccountStatus = AccountStatus.ACTIVE,
    suspended_until: dt.datetime | None = None,
) -> Security:
    return Security(
        strikes=strikes,
        last_strike_at=AT - dt.timedelta(days=last_strike_days_ago) if strikes else None,
        account_status=status,
        suspended_until=suspended_until,
    )


DEFAULT_AUTHOR = make_security()


def resolve(
    action: ResolutionAction,
    *,
    report: Report | None = None,
    author: Security | None = DEFAULT_AUTHOR,
    actor_id: str = "mo",
    actor_role: ActorRole = ActorRole.MODERATOR,
    owner: str | None = "olga",
    **options: Any,
) -> Resolution:
    return resolve_report(
        report or make_report(),
        action,
        actor_id=actor_id,
        actor_role=actor_role,
        owner=owner,
        author=author,
        settings=MODERATION,
        at=AT,
        event_id="call-1",
        **options,
    )


def author_after(outcome: Resolution) -> Security:
    assert outcome.security is not None
    return outcome.security


def suspension_end(outcome: Resolution) -> dt.datetime:
    assert outcome.resolution.suspension is not None
    return outcome.resolution.suspension.ends_at


# --- classification -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "text", "severity", "matched"),
    [
        (ReportReason.SPAM, "Buy now and CLICK HERE", LOW, ("buy now", "click here")),
        (ReportReason.OTHER, "You are an IDIOT!", MEDIUM, ("idiot",)),
        (ReportReason.SPAM, "idiots everywhere", LOW, ()),
        (ReportReason.HARASSMENT, "I will kill\n   you", HIGH, ("kill you",)),
        (ReportReason.SCAM, None, HIGH, ()),
        (ReportReason.OTHER, "ｓｕｉｃｉｄｅ", CRITICAL, ("suicide",)),
        (ReportReason.SELF_HARM, "", CRITICAL, ()),
        (ReportReason.SPAM, "send nudes, buy now", HIGH, ("send nudes", "buy now")),
        (ReportReason.VIOLENCE, "shut up loser", CRITICAL, ("loser", "shut up")),
    ],
    ids=[
        "low-keywords",
        "case-insensitive",
        "whole-words-only",
        "phrase-across-whitespace",
        "reason-alone",
        "nfkc-normalised",
        "critical-reason",
        "most-severe-first",
        "reason-above-keywords",
    ],
)
def test_classification(
    reason: ReportReason, text: str | None, severity: ReportSeverity, matched: tuple[str, ...]
) -> None:
    """Severity is the higher of the reason's and the matched keywords'; keywords match
    case-insensitively on whole words, most severe listed first."""
    result = classify(reason, [text], MODERATION)
    assert (result.severity, result.matched_keywords) == (severity, matched)


def test_classification_reads_every_text() -> None:
    """Keywords are found in the reporter's details and in the reported content alike."""
    result = classify(ReportReason.SPAM, ["see below", None, "promo code inside"], MODERATION)
    assert result.matched_keywords == ("promo code",)


def test_settings_tune_keywords_and_reasons() -> None:
    """Admins' keyword lists and reason severities replace the defaults."""
    tuned = ModerationSettings(
        keywords={CRITICAL: ["meet me alone"]},
        reason_severity={ReportReason.SPAM: MEDIUM},
    )
    assert classify(ReportReason.SPAM, ["buy now"], tuned).severity is MEDIUM
    assert classify(ReportReason.SPAM, ["Meet me  alone"], tuned).severity is CRITICAL


def test_matched_keywords_are_bounded() -> None:
    """At most twenty keywords are recorded on the triage."""
    words = [f"word{i:02d}" for i in range(30)]
    tuned = ModerationSettings(keywords={LOW: words})
    result = classify(ReportReason.SPAM, [" ".join(words)], tuned)
    assert len(result.matched_keywords) == MAX_MATCHED_KEYWORDS
    triage = result.triage(AT, independent_reports=2, auto_hidden=False)
    assert triage.matched_keywords[0] == "word00"


keyword_pool = sorted(
    {(level, word) for level, words in DEFAULT_KEYWORDS.items() for word in words}
)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(list(ReportReason)),
    st.sets(st.sampled_from(keyword_pool)),
    st.sets(st.sampled_from(keyword_pool)),
    st.text(alphabet="abc xyz", max_size=30),
)
def test_severity_is_monotone_in_keywords_matched(
    reason: ReportReason,
    first: set[tuple[ReportSeverity, str]],
    extra: set[tuple[ReportSeverity, str]],
    filler: str,
) -> None:
    """Adding keywords to a text never lowers its severity."""
    smaller = " . ".join([filler, *sorted(word for _, word in first)])
    larger = " . ".join([smaller, *sorted(word for _, word in extra)])
    low, high = classify(reason, [smaller], MODERATION), classify(reason, [larger], MODERATION)
    assert set(low.matched_keywords) <= set(high.matched_keywords)
    assert low.severity.rank <= high.severity.rank


# --- auto-hide and reporters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "reporters", "cause"),
    [
        (LOW, 1, None),
        (MEDIUM, 2, None),
        (HIGH, 1, AutoHideCause.SEVERITY),
        (CRITICAL, 1, AutoHideCause.SEVERITY),
        (LOW, 3, AutoHideCause.REPORT_COUNT),
    ],
)
def test_auto_hide(severity: ReportSeverity, reporters: int, cause: AutoHideCause | None) -> None:
    """Content hides at severity high or above, or after three independent reporters."""
    assert auto_hide_cause(severity, reporters, MODERATION) is cause


def test_one_report_per_member_counts_and_the_author_never_does() -> None:
    """Repeated reports by one member count once; the author's own report does not count."""
    assert independent_reporters(["rita", "rita", "sam", "olga"], "olga") == 2
    assert independent_reporters([], None) == 0


def test_target_key_is_a_stable_document_id() -> None:
    """Every report of one item shares the same key; different items differ."""
    assert target_key("offerings/o1") == target_key("offerings/o1")
    assert target_key("offerings/o1") != target_key("offerings/o2")
    assert "/" not in target_key("offerings/o1")


def test_report_document_id_is_one_per_member_and_item() -> None:
    """A member's reports of one item share one id; another member's or item's differ."""
    first = report_document_id("offerings/o1", "rita")
    assert first == report_document_id("offerings/o1", "rita")
    assert first == f"{target_key('offerings/o1')}_rita"
    assert first != report_document_id("offerings/o1", "sam")
    assert TypeAdapter(DocumentId).validate_python(first) == first


@pytest.mark.parametrize(
    ("current", "hide", "after"),
    [
        (ModerationState.APPROVED, False, ModerationState.FLAGGED),
        (ModerationState.PENDING, False, ModerationState.FLAGGED),
        (ModerationState.FLAGGED, False, None),
        (ModerationState.FLAGGED, True, ModerationState.HIDDEN),
        (ModerationState.HIDDEN, False, None),
        (ModerationState.REMOVED, True, None),
    ],
)
def test_content_state_after_report(
    current: ModerationState, hide: bool, after: ModerationState | None
) -> None:
    """A report flags content, hides it when called for, and leaves hidden content alone."""
    assert content_state_after_report(current, hide) is after


# --- assignment -----------------------------------------------------------------------------


def test_round_robin_in_uid_order() -> None:
    """Consecutive reports go to the moderators in uid order, wrapping around."""
    roster = ["mo-c", "mo-a", "mo-b"]
    picks = []
    counter = 0
    for _ in range(4):
        assignment = assign_moderator(roster, counter)
        picks.append(assignment.moderator_id)
        counter = assignment.next_counter
    assert picks == ["mo-a", "mo-b", "mo-c", "mo-a"]


def test_assignment_skips_parties_to_the_report() -> None:
    """The reporter and the author are never assigned their own report."""
    assert assign_moderator(["mo-a", "mo-b", "mo-c"], 0, exclude=["mo-a", "mo-b"]) == Assignment(
        "mo-c", 3
    )


def test_no_moderator_available() -> None:
    """Without an eligible moderator the report stays unassigned and the counter unchanged."""
    assert assign_moderator([], 7) == Assignment(None, 7)
    assert assign_moderator(["mo-a"], 7, exclude=["mo-a"]) == Assignment(None, 7)


@settings(max_examples=100, deadline=None)
@given(
    st.sets(st.text(alphabet="abcdef", min_size=1, max_size=4), min_size=1, max_size=8),
    st.integers(min_value=0, max_value=10**6),
)
def test_round_robin_is_fair(roster: set[str], start: int) -> None:
    """Over as many reports as moderators, each moderator gets exactly one."""
    counter, picks = start, []
    for _ in roster:
        assignment = assign_moderator(roster, counter)
        picks.append(assignment.moderator_id)
        counter = assignment.next_counter
    assert sorted(p for p in picks if p is not None) == sorted(roster)


def test_triage_log() -> None:
    """The on-create trigger logs the classification, the automatic hiding and the assignment."""
    result = classify(ReportReason.HATE, ["kill you"], MODERATION)
    log = triage_log(
        result,
        auto_hidden=AutoHideCause.SEVERITY,
        assignment=Assignment("mo-a", 1),
        at=AT,
        event_id="evt",
    )
    assert [entry.kind for entry in log] == [
        ReportActionKind.CLASSIFIED,
        ReportActionKind.AUTO_HIDDEN,
        ReportActionKind.ASSIGNED,
    ]
    assert log[0].severity is HIGH


# --- resolution -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "content", "report_status", "strikes", "account", "claims", "revoke", "upheld"),
    [
        (ResolutionAction.DISMISS, None, ReportStatus.DISMISSED, 0, None, False, False, False),
        (
            ResolutionAction.RESTORE,
            ModerationState.APPROVED,
            ReportStatus.RESOLVED,
            0,
            None,
            False,
            False,
            False,
        ),
        (
            ResolutionAction.HIDE,
            ModerationState.HIDDEN,
            ReportStatus.RESOLVED,
            0,
            None,
            False,
            False,
            True,
        ),
        (
            ResolutionAction.WARN,
            ModerationState.HIDDEN,
            ReportStatus.RESOLVED,
            1,
            AccountStatus.WARNED,
            True,
            False,
            True,
        ),
        (
            ResolutionAction.SUSPEND,
            ModerationState.HIDDEN,
            ReportStatus.RESOLVED,
            1,
            AccountStatus.SUSPENDED,
            True,
            True,
            True,
        ),
        (
            ResolutionAction.BAN,
            ModerationState.REMOVED,
            ReportStatus.RESOLVED,
            1,
            AccountStatus.BANNED,
            True,
            True,
            True,
        ),
    ],
)
def test_resolution_effects(
    action: ResolutionAction,
    content: ModerationState | None,
    report_status: ReportStatus,
    strikes: int,
    account: AccountStatus | None,
    claims: bool,
    revoke: bool,
    upheld: bool,
) -> None:
    """Each decision sets the content state, the strikes, the account status and the claims
    as the table says, and whether the reporter's report counts as upheld."""
    outcome = resolve(action)
    assert outcome.content_state is content
    assert outcome.status is report_status
    security = outcome.security
    assert (security.strikes if security else 0) == strikes
    assert (security.account_status if security else None) is account
    assert (outcome.claims is not None) == claims
    assert outcome.revoke_sessions == revoke
    assert outcome.reporter_upheld == upheld
    assert outcome.report_outcome.upheld == upheld
    assert outcome.log[0].kind is ReportActionKind.RESOLVED


def test_the_reporter_outcome_names_no_sanction_nor_moderator() -> None:
    """What the reporter reads of a suspension: upheld, when, the note; the action, the
    period, the strike and the moderator stay on the case (issue 21, hole 16)."""
    outcome = resolve(ResolutionAction.SUSPEND, suspension_days=5)
    told = outcome.report_outcome.model_dump(by_alias=True)
    assert set(told) == {"upheld", "decidedAt", "note"}
    assert told["upheld"] is True
    assert outcome.resolution.resolved_by not in str(told)


def test_suspension_sets_the_period_and_the_claims() -> None:
    """A suspension of five days ends five days later, in the resolution and the claims."""
    outcome = resolve(ResolutionAction.SUSPEND, suspension_days=5)
    ends = AT + dt.timedelta(days=5)
    assert suspension_end(outcome) == ends
    assert outcome.claims == {
        "role": "user",
        "accountStatus": "suspended",
        "verifiedProvider": False,
        "suspendedUntil": int(ends.timestamp()),
    }


def test_suspension_extends_but_never_shortens() -> None:
    """Suspending an already suspended member keeps the later end."""
    running = AT + dt.timedelta(days=20)
    author = make_security(1, status=AccountStatus.SUSPENDED, suspended_until=running)
    outcome = resolve(ResolutionAction.SUSPEND, author=author, suspension_days=3)
    assert author_after(outcome).suspended_until == running
    assert suspension_end(outcome) == running


def test_warning_escalates_to_a_suspension_after_enough_strikes() -> None:
    """With three strikes already, a warning becomes a suspension of the default length."""
    outcome = resolve(ResolutionAction.WARN, author=make_security(3))
    assert (outcome.requested, outcome.action) == (
        ResolutionAction.WARN,
        ResolutionAction.SUSPEND,
    )
    assert author_after(outcome).suspended_until == AT + dt.timedelta(days=7)
    assert "escalated" in (outcome.log[0].note or "")


def test_expired_strikes_do_not_escalate() -> None:
    """Strikes older than the expiry no longer count: the count restarts."""
    outcome = resolve(ResolutionAction.WARN, author=make_security(5, last_strike_days_ago=400))
    assert outcome.action is ResolutionAction.WARN
    assert author_after(outcome).strikes == 1


def test_ban_is_proposed_never_imposed() -> None:
    """At the ban threshold the outcome proposes a ban; the moderator decides."""
    outcome = resolve(ResolutionAction.WARN, author=make_security(6))
    assert outcome.ban_proposed
    assert author_after(outcome).account_status is AccountStatus.SUSPENDED


def test_hide_with_a_strike_on_request() -> None:
    """Hiding adds a strike only when the moderator asks for one."""
    outcome = resolve(ResolutionAction.HIDE, strike=True)
    assert author_after(outcome).strikes == 1
    assert outcome.claims is None


def test_user_report_changes_no_content() -> None:
    """A report about a member acts on the member only."""
    outcome = resolve(ResolutionAction.WARN, report=make_report(ReportTargetType.USER))
    assert outcome.content_state is None


def test_custom_claims_shape() -> None:
    """Claims carry role, account status and provider verification, and the suspension end
    only while suspended."""
    assert custom_claims(Security(role=Role.MODERATOR)) == {
        "role": "moderator",
        "accountStatus": "active",
        "verifiedProvider": False,
    }


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"report": make_dismissed_report()}, ReportClosedError, "already"),
        ({"actor_id": "rita"}, PermissionDeniedError, "party"),
        ({"actor_id": "olga"}, PermissionDeniedError, "party"),
        ({"actor_id": "fn", "actor_role": ActorRole.SYSTEM}, PermissionDeniedError, "moderator"),
        ({"author": None}, ResolutionRefusedError, "author"),
        ({"strike": False}, ResolutionRefusedError, "always adds a strike"),
        ({"suspension_days": 0}, ResolutionRefusedError, "suspensionDays"),
    ],
    ids=["closed", "reporter", "author", "system", "no-author", "no-strike", "bad-period"],
)
def test_refused_warnings(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    """A warning is refused on a closed report, by a party to it, without an author, without
    its strike, or with a suspension period."""
    with pytest.raises(error, match=message):
        resolve(ResolutionAction.WARN, **kwargs)


def test_restore_cannot_strike() -> None:
    """Restoring content cannot add a strike."""
    with pytest.raises(ResolutionRefusedError, match="cannot add a strike"):
        resolve(ResolutionAction.RESTORE, strike=True)


def test_expired_suspension_is_lifted() -> None:
    """A suspension that ran out goes back to warned; a running one is left alone."""
    ended = make_security(1, status=AccountStatus.SUSPENDED, suspended_until=AT)
    lifted = lift_expired_suspension(ended, AT)
    assert lifted is not None
    assert (lifted.account_status, lifted.suspended_until, lifted.strikes) == (
        AccountStatus.WARNED,
        None,
        1,
    )
    assert lift_expired_suspension(ended, AT - dt.timedelta(seconds=1)) is None


def test_role_changes() -> None:
    """Admins set roles; an admin cannot demote themselves."""
    promoted = change_role(Security(), Role.MODERATOR, actor_id="ada", target_id="mo")
    assert custom_claims(promoted)["role"] == "moderator"
    with pytest.raises(PermissionDeniedError, match="own admin role"):
        change_role(Security(role=Role.ADMIN), Role.USER, actor_id="ada", target_id="ada")


def test_suspension_policy_defaults() -> None:
    """The escalation thresholds used above are the documented defaults."""
    assert SuspensionPolicy() == SuspensionPolicy(
        default_days=7, strikes_to_suspend=3, strikes_to_ban=6, strike_expiry_days=180
    )
