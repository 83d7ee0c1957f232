"""Reports through the trigger (triage) and moderators' decisions through their handlers,
against the local Firestore server."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from mitche.domain.analytics import analytics_day
from mitche.errors import (
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    UnauthenticatedError,
)
from mitche.handlers import Caller, default_deps, resolve, set_role
from mitche.handlers._triage import HANDLER as TRIAGE
from mitche.models import AnalyticsSettings, ModeratorRoster, ReportAction
from mitche.services import from_document
from tests.mitche.handlers.factories import T0, make_message, make_offering, make_report, make_user
from tests.mitche.triggers.conftest import RecordingAccounts, Store

MODERATOR = Caller("modkenji", {"role": "moderator", "accountStatus": "active"})
ADMIN = Caller("adminlina", {"role": "admin", "accountStatus": "active"})


def seed(store: Store, moderators: tuple[str, ...] = ("modkenji", "modsara")) -> None:
    for uid in ("amina", "samira", "jonas", "omar", *moderators):
        store.put(f"users/{uid}", make_user(uid))
    store.put(
        "systemSettings/moderators",
        ModeratorRoster(moderator_ids=list(moderators), next_assignment=0),
    )
    path, offering = make_offering("amina", description="Call me, promo code inside")
    store.put(path, offering)


def file_report(store: Store, reporter: str, *, event_id: str, **changes: Any) -> str:
    path, report = make_report(reporter, **changes)
    after = store.put(path, report)
    store.deliver("report_written", store.event(path, None, after, event_id=event_id, at=T0))
    return path


def actions(store: Store, report_path: str) -> list[ReportAction]:
    return [
        from_document(ReportAction, doc.to_dict() or {})
        for doc in store.client.collection(f"{report_path}/actions").stream()
    ]


def test_a_new_report_is_classified_assigned_and_logged_once(store: Store) -> None:
    """A spam report about content with a low keyword is classified low, assigned to the first
    moderator, logged (classified, assigned), and a redelivery changes nothing."""
    seed(store)
    path, report = make_report("samira")
    after = store.put(path, report)
    event = store.event(path, None, after, event_id="rep-1", at=T0)
    store.deliver("report_written", event)
    first = store.get(path)
    store.deliver("report_written", event)
    assert store.get(path) == first
    assert first is not None
    assert first["severity"] == "low"
    assert not {"assignedModeratorId", "targetOwnerId", "triage", "contentSnapshot"} & set(first)
    case = store.get(f"{path}/private/case")
    assert case is not None
    assert (case["status"], case["assignedModeratorId"]) == ("open", "modkenji")
    assert case["targetOwnerId"] == "amina"
    assert case["triage"]["matchedKeywords"] == ["promo code"]
    assert case["triage"]["severity"] == "low"
    assert [a.kind.value for a in actions(store, path)] == ["classified", "assigned"]
    offering = store.get("offerings/off1")
    assert offering is not None
    assert offering["moderation"] == {"status": "flagged", "reportCount": 1}
    roster = store.get("systemSettings/moderators")
    assert roster is not None
    assert roster["nextAssignment"] == 1


def test_a_report_of_severe_text_hides_the_content_at_once(store: Store) -> None:
    """A report of content whose own text holds a high-severity keyword hides it and says so
    in the log."""
    seed(store)
    path, offering = make_offering("amina", description="Pay me with a gift card code first")
    store.put(path, offering)
    path = file_report(store, "samira", event_id="rep-1")
    stored = store.get("offerings/off1")
    assert stored is not None
    assert stored["moderation"]["status"] == "hidden"
    case = store.get(f"{path}/private/case")
    assert case is not None
    assert case["triage"]["autoHidden"] is True
    assert "autoHidden" in [a.kind.value for a in actions(store, path)]


def test_an_automatic_hiding_is_counted_once_by_the_triage(store: Store) -> None:
    """The report no longer says it hid its content, so the triage counts the day's
    `reports.autoHidden` itself, in its transaction: a redelivered event counts nothing more,
    and a report that hides nothing counts nothing."""
    seed(store)
    path, offering = make_offering("amina", description="Pay me with a gift card code first")
    store.put(path, offering)
    report_path, report = make_report("samira")
    after = store.put(report_path, report)
    event = store.event(report_path, None, after, event_id="rep-1", at=T0)
    store.deliver("report_written", event)
    store.deliver("report_written", event)
    file_report(store, "jonas", event_id="rep-2", target_path="users/amina")
    day = analytics_day(T0, AnalyticsSettings())
    shards = store.client.collection(f"analytics/{day}/shards").stream()
    counted = [(doc.to_dict() or {}).get("reports", {}).get("autoHidden", 0) for doc in shards]
    assert sum(counted) == 1


def test_a_severe_reason_alone_flags_for_a_moderator_and_hides_nothing(store: Store) -> None:
    """The reason a reporter picks (self-harm: critical) orders the queue, capped at high, but
    does not hide the content."""
    seed(store)
    path = file_report(
        store, "samira", event_id="rep-1", reason="selfHarm", details="gift card code"
    )
    stored = store.get("offerings/off1")
    assert stored is not None
    assert stored["moderation"]["status"] == "flagged"
    report = store.get(path)
    assert report is not None
    assert report["severity"] == "high"
    case = store.get(f"{path}/private/case")
    assert case is not None
    assert case["triage"]["autoHidden"] is False


def test_reports_from_brand_new_accounts_never_hide_content(store: Store) -> None:
    """Three members who signed up an hour ago report the same content: each report reaches a
    moderator, none counts towards automatic hiding."""
    seed(store)
    for index, uid in enumerate(("fresh1", "fresh2", "fresh3")):
        store.put(f"users/{uid}", make_user(uid, createdAt=T0, updatedAt=T0))
        path = file_report(store, uid, event_id=f"rep-{index}")
        case = store.get(f"{path}/private/case")
        assert case is not None
        assert case["assignedModeratorId"] in {"modkenji", "modsara"}
    stored = store.get("offerings/off1")
    assert stored is not None
    assert stored["moderation"] == {"status": "flagged", "reportCount": 0}


@pytest.mark.parametrize(
    "broken",
    [
        {"preferences": {"timeZone": "not a zone; drop"}},
        {"moderation": {"reportCount": 1}},
        {"profile": {"displayName": ""}},
    ],
    ids=["malformed time zone", "undeclared key", "invalid profile"],
)
def test_a_member_document_that_fails_to_decode_never_blocks_a_decision(
    store: Store, accounts: RecordingAccounts, broken: dict[str, Any]
) -> None:
    """A member whose document no longer decodes (data stored before the rules and models
    agreed) is still warned, suspended and given a role: decisions read only the member's
    standing."""
    seed(store)
    user = store.get("users/amina")
    assert user is not None
    for key, value in broken.items():
        user[key] = {**user.get(key, {}), **value}
    store.put("users/amina", user)
    path = file_report(store, "samira", event_id="rep-1", target_path="users/amina")
    outcome = resolve(
        default_deps(), MODERATOR, {"reportId": path.split("/")[1], "action": "suspend"}
    )
    assert outcome["action"] == "suspend"
    assert accounts.claims["amina"]["accountStatus"] == "suspended"
    assert set_role(default_deps(), ADMIN, {"uid": "amina", "role": "moderator"})["role"] == (
        "moderator"
    )


def test_a_report_about_a_member_never_writes_into_their_document(store: Store) -> None:
    """Reporting a member leaves their document exactly as it was, so it still decodes, the
    member keeps editing it and a moderator's decision about them goes through."""
    seed(store)
    before = store.get("users/amina")
    path = file_report(store, "samira", event_id="rep-1", target_path="users/amina")
    assert store.get("users/amina") == before
    case = store.get(f"{path}/private/case")
    assert case is not None
    assert case["targetOwnerId"] == "amina"
    outcome = resolve(default_deps(), MODERATOR, {"reportId": path.split("/")[1], "action": "warn"})
    assert outcome["action"] == "warn"


def test_independent_reports_hide_the_content_at_the_threshold(store: Store) -> None:
    """The third distinct member's report hides the content (autoHideReportCount 3), and
    assignments rotate among the moderators."""
    seed(store)
    assigned = []
    for index, reporter in enumerate(("samira", "jonas", "omar")):
        path = file_report(store, reporter, event_id=f"rep-{index}")
        case = store.get(f"{path}/private/case")
        assert case is not None
        assigned.append(case["assignedModeratorId"])
        state = store.get("offerings/off1")
        assert state is not None
        expected = "hidden" if index == 2 else "flagged"
        assert state["moderation"]["status"] == expected
    assert assigned == ["modkenji", "modsara", "modkenji"]


def test_a_report_filed_under_another_id_does_not_count(store: Store) -> None:
    """Only reports stored under their deterministic id count towards automatic hiding."""
    seed(store)
    file_report(store, "samira", event_id="rep-1", report_id="free-form-id")
    offering = store.get("offerings/off1")
    assert offering is not None
    assert offering["moderation"]["reportCount"] == 0


def test_two_reports_at_the_same_time_are_both_counted(store: Store) -> None:
    """Two reports of the same item triaged concurrently count two independent reporters and
    take two different turns of the rotation."""
    seed(store)
    events = []
    for index, reporter in enumerate(("samira", "jonas")):
        path, report = make_report(reporter)
        events.append(store.event(path, None, store.put(path, report), event_id=f"r{index}", at=T0))
    threads = [threading.Thread(target=store.deliver, args=("report_written", e)) for e in events]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    offering = store.get("offerings/off1")
    roster = store.get("systemSettings/moderators")
    assert offering is not None
    assert roster is not None
    assert offering["moderation"]["reportCount"] == 2
    assert roster["nextAssignment"] == 2


def test_a_moderator_is_never_assigned_their_own_report(store: Store) -> None:
    """The rotation skips the moderator who filed the report."""
    seed(store)
    path = file_report(store, "modkenji", event_id="rep-1")
    case = store.get(f"{path}/private/case")
    assert case is not None
    assert case["assignedModeratorId"] == "modsara"


def test_resolving_with_a_warning_hides_strikes_and_rewards_the_reporter(
    store: Store, accounts: RecordingAccounts
) -> None:
    """A warning hides the content, adds a strike, sets the author's claims, and the report's
    update trigger credits the reporter reportUpheld."""
    seed(store)
    path = file_report(store, "samira", event_id="rep-1")
    before = store.proto(path)
    outcome = resolve(default_deps(), MODERATOR, {"reportId": path.split("/")[1], "action": "warn"})
    assert outcome["status"] == "resolved"
    assert outcome["strikeIssued"] is True
    author = store.get("users/amina/private/account")
    assert author is not None
    assert author["security"]["strikes"] == 1
    assert author["security"]["accountStatus"] == "warned"
    assert accounts.claims["amina"]["accountStatus"] == "warned"
    offering = store.get("offerings/off1")
    assert offering is not None
    assert offering["moderation"]["status"] == "hidden"
    assert offering["moderation"]["reportCount"] == 0
    update = store.event(path, before, store.proto(path), event_id="u1", at=T0)
    store.deliver("report_written", update)
    reporter = store.get("users/samira")
    assert reporter is not None
    assert reporter["gamification"]["hopePoints"]["guardian"] == 10
    kinds = [a.kind.value for a in actions(store, path)]
    assert {"resolved", "contentHidden", "userWarned", "strikeAdded", "claimsUpdated"} <= set(kinds)


def test_the_reporter_reads_an_outcome_and_the_case_keeps_the_sanction(store: Store) -> None:
    """After a suspension the report its reporter reads says upheld and nothing more: no
    action, no period, no moderator; the case holds the resolution and the assignment
    (issue 21, hole 16)."""
    seed(store)
    path = file_report(store, "samira", event_id="rep-1")
    request = {"reportId": path.split("/")[1], "action": "suspend", "note": "Thank you."}
    resolve(default_deps(), MODERATOR, request)
    report = store.get(path)
    assert report is not None
    assert report["status"] == "resolved"
    assert set(report["outcome"]) == {"upheld", "decidedAt", "note"}
    assert report["outcome"]["upheld"] is True
    assert not {"resolution", "assignedModeratorId", "assignedAt"} & set(report)
    assert "suspend" not in str(report)
    assert MODERATOR.uid not in str(report)
    case = store.get(f"{path}/private/case")
    assert case is not None
    assert case["status"] == "resolved"
    assert case["assignedModeratorId"] == "modkenji"
    assert case["resolution"]["action"] == "suspend"
    assert case["resolution"]["resolvedBy"] == MODERATOR.uid


def test_a_report_stored_before_the_split_moves_its_assignment_when_decided(store: Store) -> None:
    """A report still holding the legacy assignment (before migration 0011 ran) is decided:
    its assignment moves to the case with the resolution and leaves the report."""
    seed(store)
    path = file_report(store, "samira", event_id="rep-1")
    store.client.document(f"{path}/private/case").delete()
    store.client.document(path).update({"assignedModeratorId": "modsara", "assignedAt": T0})
    resolve(default_deps(), MODERATOR, {"reportId": path.split("/")[1], "action": "dismiss"})
    report = store.get(path)
    assert report is not None
    assert not {"resolution", "assignedModeratorId", "assignedAt"} & set(report)
    assert report["outcome"]["upheld"] is False
    case = store.get(f"{path}/private/case")
    assert case is not None
    assert (case["assignedModeratorId"], case["status"]) == ("modsara", "dismissed")


def test_a_report_stored_before_0015_strikes_its_author_and_moves_its_triage(
    store: Store,
) -> None:
    """A report still holding its triage, author and snapshot (migration 0015 not yet run),
    whose case holds only the assignment, is decided: the strike reaches the author named on
    the report, and the findings move to the case with the resolution."""
    seed(store)
    path = file_report(store, "samira", event_id="rep-1")
    case_path = f"{path}/private/case"
    case = store.get(case_path)
    assert case is not None
    legacy = {key: case.pop(key) for key in ("targetOwnerId", "contentSnapshot", "triage")}
    store.client.document(case_path).set(case)
    store.client.document(path).update(legacy)
    resolve(default_deps(), MODERATOR, {"reportId": path.split("/")[1], "action": "warn"})
    author = store.get("users/amina/private/account")
    assert author is not None
    assert author["security"]["strikes"] == 1
    report = store.get(path)
    assert report is not None
    assert not {"targetOwnerId", "contentSnapshot", "triage"} & set(report)
    decided = store.get(case_path)
    assert decided is not None
    assert {key: decided[key] for key in legacy} == legacy
    assert decided["resolution"]["action"] == "warn"


def test_a_decided_report_refuses_a_second_decision(store: Store) -> None:
    """Resolving twice (a retried call) fails the second time and strikes only once."""
    from mitche.domain.moderation import ReportClosedError

    seed(store)
    path = file_report(store, "samira", event_id="rep-1")
    request = {"reportId": path.split("/")[1], "action": "suspend", "suspensionDays": 3}
    resolve(default_deps(), MODERATOR, request)
    with pytest.raises(ReportClosedError):
        resolve(default_deps(), MODERATOR, request)
    author = store.get("users/amina/private/account")
    assert author is not None
    assert author["security"]["strikes"] == 1
    assert author["security"]["accountStatus"] == "suspended"


@pytest.mark.parametrize(
    ("caller", "data", "error"),
    [
        (Caller(None, {}), {"reportId": "x", "action": "hide"}, UnauthenticatedError),
        (
            Caller("amina", {"role": "user"}),
            {"reportId": "x", "action": "hide"},
            PermissionDeniedError,
        ),
        (
            Caller("modkenji", {"role": "moderator", "accountStatus": "suspended"}),
            {"reportId": "x", "action": "hide"},
            PermissionDeniedError,
        ),
        (MODERATOR, {"reportId": "x", "action": "obliterate"}, InvalidArgumentError),
        (MODERATOR, {"reportId": "missing", "action": "hide"}, NotFoundError),
    ],
)
def test_resolve_refuses_bad_callers_and_requests(
    store: Store, caller: Caller, data: dict[str, Any], error: type[Exception]
) -> None:
    """Only signed-in moderators in good standing resolve existing reports with a known action."""
    with pytest.raises(error):
        resolve(default_deps(), caller, data)


def test_an_admin_sets_a_role_and_the_member_trigger_updates_claims_and_roster(
    store: Store, accounts: RecordingAccounts
) -> None:
    """set_role writes the role into the member's private account; the account trigger then
    sets the claims and adds the new moderator to the roster."""
    seed(store, moderators=())
    outcome = set_role(default_deps(), ADMIN, {"uid": "jonas", "role": "moderator"})
    assert outcome["claims"]["role"] == "moderator"
    path = "users/jonas/private/account"
    after = store.proto(path)
    store.deliver("account_written", store.event(path, None, after, event_id="u", at=T0))
    roster = store.get("systemSettings/moderators")
    assert roster is not None
    assert roster["moderatorIds"] == ["jonas"]
    assert accounts.claims["jonas"] == {
        "role": "moderator",
        "accountStatus": "active",
        "verifiedProvider": False,
    }


def test_only_admins_set_roles(store: Store) -> None:
    """A moderator cannot hand out roles."""
    seed(store)
    with pytest.raises(PermissionDeniedError):
        set_role(default_deps(), MODERATOR, {"uid": "jonas", "role": "admin"})


def test_the_triage_handler_name_is_stable() -> None:
    """Cost samples and logs name the triage `moderation.triage`."""
    assert TRIAGE == "moderation.triage"


def test_a_message_a_moderator_hides_is_no_longer_readable_by_the_other_side(
    store: Store,
) -> None:
    """Samira reports Amina's message; a moderator hides it: the message becomes a tombstone
    (its participants' copy reads no text), and the report's case keeps the text as
    evidence."""
    seed(store)
    path, message = make_message("amina", text="Send me your bank details now")
    store.put(path, message)
    report_path = file_report(store, "samira", event_id="rep-1", target_path=path)
    resolve(default_deps(), MODERATOR, {"reportId": report_path.split("/")[1], "action": "hide"})
    stored = store.get(path)
    assert stored is not None
    assert stored.get("text") is None
    assert stored["deletedAt"] is not None
    assert stored["moderation"]["status"] == "hidden"
    case = store.get(f"{report_path}/private/case")
    assert case is not None
    assert case["contentSnapshot"] == "Send me your bank details now"


def test_a_suspension_revokes_the_tokens_already_issued(
    store: Store, accounts: RecordingAccounts
) -> None:
    """Suspending a member stamps revokedBefore on their private account (the rules refuse
    writes with a token signed in before it) and revokes their sessions; a warning does not."""
    seed(store)
    warned = file_report(store, "samira", event_id="rep-1", target_path="users/amina")
    resolve(default_deps(), MODERATOR, {"reportId": warned.split("/")[1], "action": "warn"})
    account = store.get("users/amina/private/account") or {}
    assert "revokedBefore" not in account
    suspended = file_report(store, "jonas", event_id="rep-2", target_path="users/amina")
    resolve(default_deps(), MODERATOR, {"reportId": suspended.split("/")[1], "action": "suspend"})
    account = store.get("users/amina/private/account") or {}
    assert account["revokedBefore"] is not None
    assert "amina" in accounts.revoked


def test_a_demotion_takes_effect_at_once(store: Store, accounts: RecordingAccounts) -> None:
    """An admin demotes a moderator: their old tokens write nothing more (revokedBefore) and
    their sessions are revoked; a promotion revokes nothing."""
    seed(store)
    set_role(default_deps(), ADMIN, {"uid": "jonas", "role": "moderator"})
    assert "revokedBefore" not in (store.get("users/jonas/private/account") or {})
    assert "jonas" not in accounts.revoked
    set_role(default_deps(), ADMIN, {"uid": "jonas", "role": "user"})
    assert (store.get("users/jonas/private/account") or {})["revokedBefore"] is not None
    assert "jonas" in accounts.revoked
