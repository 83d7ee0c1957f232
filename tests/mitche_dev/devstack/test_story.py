"""The demo tells one consistent story: every derived value agrees with the documents it is
derived from, the way the triggers keep them."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

import pytest

from mitche.domain.moderation import custom_claims
from mitche.models import (
    AttendanceState,
    CommunityEvent,
    Conversation,
    HelpRequest,
    HopeCategory,
    HopeLedgerEntry,
    LevelCurve,
    Message,
    MitcheModel,
    Offering,
    PrivateAccount,
    Registration,
    RegistrationStatus,
    Report,
    ReportCase,
    RequestLocation,
    Resource,
    ResourceReview,
    RevealConsent,
    RevealGrant,
    Role,
    TapestryThread,
    ThreadHeart,
    ThreadNomination,
    User,
)
from mitche_dev.devstack import (
    Actor,
    demo_accounts,
    demo_identities,
)


def _under(by_path: Mapping[str, MitcheModel], pattern: str) -> dict[str, Any]:
    """Documents whose path fully matches a regular expression."""
    return {path: doc for path, doc in by_path.items() if re.fullmatch(pattern, path)}


def _user(by_path: Mapping[str, MitcheModel], uid: str) -> User:
    user = by_path[f"users/{uid}"]
    assert isinstance(user, User)
    return user


def _account(by_path: Mapping[str, MitcheModel], uid: str) -> PrivateAccount:
    account = by_path[f"users/{uid}/private/account"]
    assert isinstance(account, PrivateAccount)
    return account


def test_hope_points_are_the_sum_of_the_ledger(by_path: Mapping[str, MitcheModel]) -> None:
    """Each member's points per category equal the sum of their ledger entries, and experience
    and level follow the default level curve."""
    for actor in Actor:
        ledger = _under(by_path, rf"users/{actor.value}/hopeLedger/[^/]+").values()
        sums: Counter[HopeCategory] = Counter()
        for entry in ledger:
            assert isinstance(entry, HopeLedgerEntry)
            sums[entry.category] += entry.amount
        game = _user(by_path, actor).gamification
        assert {c: game.hope_points.category(c) for c in HopeCategory} == {
            c: sums[c] for c in HopeCategory
        }, actor
        assert game.experience == game.hope_points.total
        assert game.level == LevelCurve().level_for_experience(game.experience)


def test_ledger_sources_exist(by_path: Mapping[str, MitcheModel]) -> None:
    """Every ledger entry's source is a demo document, and its id names action and source."""
    entries = _under(by_path, r"users/[^/]+/hopeLedger/[^/]+")
    assert entries
    for path, entry in entries.items():
        assert entry.source in by_path, path
        assert path.rsplit("/", 1)[1] == f"{entry.action.value}-{entry.source.rsplit('/', 1)[1]}"


def test_offering_rewards_equal_their_ledger_entries(by_path: Mapping[str, MitcheModel]) -> None:
    """An offering's `rewards.points` is the sum of the ledger entries sourced from it."""
    awarded: Counter[str] = Counter()
    for entry in _under(by_path, r"users/[^/]+/hopeLedger/[^/]+").values():
        awarded[entry.source] += entry.amount
    for path, offering in _under(by_path, r"offerings/[^/]+").items():
        assert isinstance(offering, Offering)
        assert offering.rewards.points == awarded[path], path


def test_recountable_stats_match_the_documents(by_path: Mapping[str, MitcheModel]) -> None:
    """Requests created, offerings made and messages sent per member equal the documents."""
    requests = Counter(r.requester_id for r in _under(by_path, r"requests/[^/]+").values())
    offerings = Counter(o.helper_id for o in _under(by_path, r"offerings/[^/]+").values())
    messages = Counter(m.sender_id for m in _under(by_path, r"messages/[^/]+").values())
    for actor in Actor:
        stats = _user(by_path, actor).stats
        assert stats.requests_created == requests[actor.value], actor
        assert stats.offerings_made == offerings[actor.value], actor
        assert stats.messages_sent == messages[actor.value], actor


def test_rate_limit_timestamps_are_the_latest_creations(
    by_path: Mapping[str, MitcheModel],
) -> None:
    """`lastRequestAt`, `lastOfferingAt`, `lastMessageAt` and `lastReportAt` (in the private
    account) are the times of the member's latest request, offering, message and report (empty
    when there is none); the public user document holds none of them."""
    latest: dict[str, dict[str, Any]] = defaultdict(dict)
    kinds = (
        ("last_request_at", r"requests/[^/]+", "requester_id"),
        ("last_offering_at", r"offerings/[^/]+", "helper_id"),
        ("last_message_at", r"messages/[^/]+", "sender_id"),
        ("last_report_at", r"reports/[^/]+", "reporter_id"),
    )
    for field, pattern, author in kinds:
        for document in _under(by_path, pattern).values():
            uid = getattr(document, author)
            latest[uid][field] = max(
                latest[uid].get(field, document.created_at), document.created_at
            )
    for actor in Actor:
        account = _account(by_path, actor)
        for field, _, _ in kinds:
            assert getattr(account, field) == latest[actor.value].get(field), (actor, field)
            assert getattr(_user(by_path, actor), field) is None, (actor, field)


def test_public_locations_are_snapped_exact_locations(by_path: Mapping[str, MitcheModel]) -> None:
    """A request's public cell contains its exact location, and no public document carries
    more than the 6-character cell."""
    for path, request in _under(by_path, r"requests/[^/]+").items():
        assert isinstance(request, HelpRequest)
        private = by_path[f"{path}/private/location"]
        assert isinstance(private, RequestLocation)
        assert request.location is not None
        assert private.exact.geohash.startswith(request.location.geohash), path
        assert len(request.location.geohash) == 6


def test_registration_counts_match_registrations(by_path: Mapping[str, MitcheModel]) -> None:
    """Each event's registration counts equal its registration documents (guests count as
    places), and registration ids are the members' uids."""
    for path, event in _under(by_path, r"communityEvents/[^/]+").items():
        assert isinstance(event, CommunityEvent)
        registrations = _under(by_path, rf"{path}/registrations/[^/]+")
        registered = [
            r for r in registrations.values() if r.status is RegistrationStatus.REGISTERED
        ]
        assert event.registrations.registered == sum(1 + r.guests for r in registered), path
        assert event.registrations.attended == sum(
            r.attendance is AttendanceState.ATTENDED for r in registrations.values()
        )
        for registration_path, registration in registrations.items():
            assert isinstance(registration, Registration)
            assert registration_path.endswith(f"/{registration.user_id}")
            assert registration.user_id not in {event.organizer_id, *event.co_organizer_ids}


def test_resource_ratings_match_reviews(by_path: Mapping[str, MitcheModel]) -> None:
    """Each resource's rating summary is the count and mean of its reviews."""
    for path, resource in _under(by_path, r"resources/[^/]+").items():
        assert isinstance(resource, Resource)
        reviews = list(_under(by_path, rf"{path}/reviews/[^/]+").values())
        assert all(isinstance(review, ResourceReview) for review in reviews)
        assert resource.rating.count == len(reviews), path
        if reviews:
            assert resource.rating.average == sum(r.rating for r in reviews) / len(reviews)


def test_conversations_summarise_their_messages(by_path: Mapping[str, MitcheModel]) -> None:
    """Each message carries its conversation's participants; a conversation's message count
    and last message match its messages."""
    messages = _under(by_path, r"messages/[^/]+")
    for path, conversation in _under(by_path, r"conversations/[^/]+").items():
        assert isinstance(conversation, Conversation)
        conversation_id = path.split("/")[1]
        own = {p: m for p, m in messages.items() if m.conversation_id == conversation_id}
        assert own, path
        for message in own.values():
            assert isinstance(message, Message)
            assert message.participant_ids == conversation.participant_ids
        latest_path, latest = max(own.items(), key=lambda item: item[1].created_at)
        assert conversation.message_count == len(own)
        assert conversation.last_message is not None
        assert f"messages/{conversation.last_message.message_id}" == latest_path
        assert conversation.last_message.sent_at == latest.created_at


def test_tapestry_hearts_and_credits(by_path: Mapping[str, MitcheModel]) -> None:
    """A thread's heart count equals its heart documents, and credited aliases are the
    nominator's and subject's profile aliases."""
    for path, thread in _under(by_path, r"tapestryThreads/[^/]+").items():
        assert isinstance(thread, TapestryThread)
        hearts = _under(by_path, rf"{path}/hearts/[^/]+")
        assert all(isinstance(heart, ThreadHeart) for heart in hearts.values())
        assert thread.hearts == len(hearts), path
        credits = thread.credits
        if credits.nominator_alias is not None:
            nominator = _user(by_path, thread.nominator_id)
            assert credits.nominator_alias == nominator.profile.anonymous_alias
        if credits.subject_alias is not None:
            nomination = by_path[f"{path}/private/nomination"]
            assert isinstance(nomination, ThreadNomination)
            assert nomination.subject_id is not None
            subject = _user(by_path, nomination.subject_id)
            assert credits.subject_alias == subject.profile.anonymous_alias


def test_reveal_grants_follow_completed_consents(by_path: Mapping[str, MitcheModel]) -> None:
    """A grant exists on both sides exactly when both consents exist and are completed."""
    consents = _under(by_path, r"users/[^/]+/revealConsents/[^/]+")
    grants = _under(by_path, r"users/[^/]+/revealGrants/[^/]+")
    assert consents
    for path, consent in consents.items():
        assert isinstance(consent, RevealConsent)
        _, uid, _, counterpart = path.split("/")
        mutual = f"users/{counterpart}/revealConsents/{uid}" in consents
        assert (consent.completed_at is not None) == mutual, path
        assert (f"users/{uid}/revealGrants/{counterpart}" in grants) == mutual
    for grant in grants.values():
        assert isinstance(grant, RevealGrant)


def test_report_targets_belong_to_their_owner(by_path: Mapping[str, MitcheModel]) -> None:
    """Each report's target exists, its case's recorded owner authored it (the report the
    reporter reads names nobody but them), and nobody reports their own content."""
    authors = ("requester_id", "helper_id", "organizer_id", "submitted_by", "sender_id")
    for path, report in _under(by_path, r"reports/[^/]+").items():
        assert isinstance(report, Report)
        target = by_path[report.target_path]
        owner = next(getattr(target, name) for name in authors if hasattr(target, name))
        case = by_path[f"{path}/private/case"]
        assert isinstance(case, ReportCase)
        assert case.target_owner_id == owner, path
        assert report.target_owner_id is None, path
        assert report.triage is None, path
        assert report.reporter_id != owner


def test_moderation_is_done_by_moderators(by_path: Mapping[str, MitcheModel]) -> None:
    """Everyone assigned a report, resolving one or reviewing a story is a moderator or admin
    by their user document: the triage assigns Ada (an admin, on the roster) and Mod in turn,
    Mod decides."""
    assigned: set[str] = set()
    deciders: set[str] = set()
    for case in _under(by_path, r"reports/[^/]+/private/case").values():
        assigned |= {case.assigned_moderator_id} - {None}
        if case.resolution is not None:
            deciders.add(case.resolution.resolved_by)
    for thread in _under(by_path, r"tapestryThreads/[^/]+").values():
        if thread.review is not None:
            deciders.add(thread.review.reviewer_id)
    assert deciders == {Actor.MOD.value}
    assert assigned == {Actor.ADA.value, Actor.MOD.value}
    for uid in assigned | deciders:
        assert _account(by_path, uid).security.role in {Role.MODERATOR, Role.ADMIN}


@pytest.mark.parametrize(
    ("actor", "role_claim", "status", "verified"),
    [
        (Actor.ALICE, "user", "active", False),
        (Actor.ERIN, "user", "active", True),
        (Actor.MOD, "moderator", "active", False),
        (Actor.ADA, "admin", "active", False),
        (Actor.SAM, "user", "suspended", False),
    ],
)
def test_claims(actor: Actor, role_claim: str, status: str, verified: bool) -> None:
    """Roles and flags are custom claims: user, verified provider, moderator, admin,
    suspended (with the time the suspension ends)."""
    (account,) = [a for a in demo_accounts() if a.uid == actor.value]
    claims = dict(account.custom_claims)
    assert (claims["role"], claims["accountStatus"], claims["verifiedProvider"]) == (
        role_claim,
        status,
        verified,
    )
    assert ("suspendedUntil" in claims) == (status == "suspended")


def test_claims_agree_with_user_documents(by_path: Mapping[str, MitcheModel]) -> None:
    """Each account's claims are what the backend derives from the `security` map of the
    member's private account; the public user document holds none."""
    for account in demo_accounts():
        assert _user(by_path, account.uid).security is None
        security = _account(by_path, account.uid).security
        assert dict(account.custom_claims) == custom_claims(security), account.uid


def test_accounts_agree_with_profiles_and_identities(by_path: Mapping[str, MitcheModel]) -> None:
    """An account's display name is the profile's and its email the identity's; emails are
    distinct."""
    accounts = demo_accounts()
    identities = {uid: given for uid, given, _ in demo_identities()}
    assert len({account.email for account in accounts}) == len(accounts)
    for account in accounts:
        assert _user(by_path, account.uid).profile.display_name == account.display_name
        assert identities[account.uid].email == account.email
        assert len(account.password) >= 6, "the Auth emulator refuses shorter passwords"
