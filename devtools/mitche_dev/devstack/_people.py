"""The demo's members: user documents, private identities, hope ledgers and reveals.

Gamification is derived, as the functions would derive it: each member's hope points are the
sum of their ledger entries, experience grows with the points and the level follows the default
level curve, so the invariants the triggers keep hold in the demo too.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from mitche.domain.aliases import alias_claim_path
from mitche.handlers._identity import IdentityWrite
from mitche.models.alias_claims import AliasClaim
from mitche.models.common import RatingSummary, Verification, VerificationState, Visibility
from mitche.models.gamification_settings import DEFAULT_AWARDS, LevelCurve
from mitche.models.names import Collection
from mitche.models.privacy import Consents, PurposeConsent, consents_path
from mitche.models.requests import HelpCategory
from mitche.models.users import (
    AccountStatus,
    Block,
    DigestFrequency,
    Gamification,
    HopeAction,
    HopeCategory,
    HopeLedgerEntry,
    HopePoints,
    NotificationSettings,
    Preferences,
    PrivacySettings,
    PrivateAccount,
    Profile,
    QuietHours,
    RevealConsent,
    RevealGrant,
    RevealSummary,
    Security,
    Streak,
    User,
    UserStats,
)
from mitche_dev.devstack import _ids as ids
from mitche_dev.devstack._actors import Actor, display_name, email, role
from mitche_dev.devstack._ids import DemoDocument, path
from mitche_dev.devstack._timeline import Timeline
from mitche_dev.devstack._world import (
    BELLECOUR,
    CITY_TIME_ZONE,
    CROIX_ROUSSE,
    GERLAND,
    GUILLOTIERE,
    PART_DIEU,
    VIEUX_LYON,
    VILLEURBANNE,
    Place,
)

__all__ = ["alias", "people_documents", "people_identities"]


@dataclass(frozen=True, slots=True)
class _Person:
    """What the demo knows about one member beyond their uid."""

    legal_name: str
    phone: str
    home: Place
    alias: str
    bio: str
    languages: tuple[str, ...]
    skills: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    pronouns: str | None = None
    longest_streak: int = 0


# Phone numbers come from the French range reserved for fiction (+33 6 39 98 ...).
_PEOPLE: Final = MappingProxyType(
    {
        Actor.ADA: _Person(
            "Ada Lemaire",
            "+33639980007",
            BELLECOUR,
            "Patient Loom 2",
            "Keeps the lights on at Mitché Lyon.",
            ("fr", "en"),
            interests=("community-tech",),
        ),
        Actor.MOD: _Person(
            "Morgan Diallo",
            "+33639980006",
            PART_DIEU,
            "Watchful Owl 1",
            "Community moderator. Write to me through support if something feels wrong.",
            ("fr", "en", "wo"),
            pronouns="they/them",
        ),
        Actor.ERIN: _Person(
            "Erin Bouchard",
            "+33639980005",
            GUILLOTIERE,
            "Open Door 5",
            "Coordinator at the solidarity grocery in La Guillotière.",
            ("fr", "en", "ar"),
            skills=("food-aid", "social-rights"),
            longest_streak=6,
        ),
        Actor.CAROL: _Person(
            "Carol Fontaine",
            "+33639980003",
            VIEUX_LYON,
            "Bright Lantern 8",
            "I organise repair cafés and soup nights. Bring your broken toaster!",
            ("fr", "en"),
            skills=("event-planning", "cooking"),
            interests=("zero-waste", "neighbourhood"),
            pronouns="she/her",
            longest_streak=5,
        ),
        Actor.DAN: _Person(
            "Dan Okafor",
            "+33639980004",
            VILLEURBANNE,
            "Kind Otter 23",
            "Handy with tools, happy to lend them.",
            ("en", "fr"),
            skills=("repair", "bicycles"),
            interests=("repair-cafe",),
            longest_streak=3,
        ),
        Actor.ALICE: _Person(
            "Alice Martin",
            "+33639980001",
            CROIX_ROUSSE,
            "Quiet Heron 42",
            "Recovering from knee surgery; grateful for this neighbourhood.",
            ("fr", "en"),
            interests=("reading", "gardening"),
            pronouns="she/her",
            longest_streak=4,
        ),
        Actor.BOB: _Person(
            "Bob Nguyen",
            "+33639980002",
            GUILLOTIERE,
            "Steady Oak 17",
            "Strong arms, a van on weekends, and time on Saturday mornings.",
            ("fr", "vi", "en"),
            skills=("moving", "groceries", "diy"),
            interests=("cycling",),
            pronouns="he/him",
            longest_streak=9,
        ),
        Actor.SAM: _Person(
            "Sam Girard",
            "+33639980008",
            GERLAND,
            "Restless Fox 99",
            "Deals and opportunities.",
            ("fr",),
        ),
    }
)
"""Members in the order they joined (Ada first)."""


_STATS: Final = MappingProxyType(
    {
        Actor.ALICE: UserStats(
            requests_created=5,
            events_attended=1,
            reviews_written=1,
            stories_approved=1,
            reports_upheld=1,
            messages_sent=2,
        ),
        Actor.BOB: UserStats(
            requests_fulfilled=1,
            offerings_made=2,
            offerings_accepted=2,
            offerings_completed=1,
            urgent_responses=1,
            events_attended=1,
            reviews_written=1,
            nominations_received=1,
            messages_sent=2,
            positive_feedback=1,
            rating=RatingSummary(count=1, average=5.0),
            ratings_by_category={HelpCategory.HOUSEHOLD: RatingSummary(count=1, average=5.0)},
        ),
        Actor.CAROL: UserStats(offerings_made=1, events_organized=1, messages_sent=2),
        Actor.DAN: UserStats(
            requests_created=1, offerings_made=1, events_organized=1, messages_sent=1
        ),
        Actor.ERIN: UserStats(resources_published=1),
        Actor.MOD: UserStats(),
        Actor.ADA: UserStats(),
        Actor.SAM: UserStats(requests_created=1, messages_sent=2),
    }
)
"""Activity counters; those the dataset can recount (requests, offerings, messages) match it,
the others tell the same story."""


def alias(actor: Actor) -> str:
    """The member's anonymous alias, as on their profile."""
    return _PEOPLE[actor].alias


@dataclass(frozen=True, slots=True)
class _Award:
    """A ledger entry of the demo before it is priced."""

    actor: Actor
    action: HopeAction
    source: str
    at: dt.datetime


def _awards(t: Timeline) -> list[_Award]:
    requests, offerings = Collection.REQUESTS, Collection.OFFERINGS
    soup = path(Collection.COMMUNITY_EVENTS, ids.EVT_SOUP_NIGHT)
    grocery = path(Collection.RESOURCES, ids.RES_FOOD_GROCERY)
    wardrobe_offer = path(offerings, ids.OFF_BOB_WARDROBE)
    groceries_offer = path(offerings, ids.OFF_BOB_GROCERIES)
    return [
        _Award(Actor.ERIN, HopeAction.RESOURCE_PUBLISHED, grocery, t.grocery_verified),
        _Award(Actor.ALICE, HopeAction.RESOURCE_REVIEWED, grocery, t.alice_reviewed_grocery),
        _Award(Actor.BOB, HopeAction.OFFERING_MADE, wardrobe_offer, t.wardrobe_offered),
        _Award(Actor.BOB, HopeAction.OFFERING_ACCEPTED, wardrobe_offer, t.wardrobe_accepted),
        _Award(
            Actor.BOB,
            HopeAction.REQUEST_FULFILLED,
            path(requests, ids.REQ_ALICE_WARDROBE),
            t.wardrobe_fulfilled,
        ),
        _Award(Actor.BOB, HopeAction.POSITIVE_FEEDBACK, wardrobe_offer, t.wardrobe_fulfilled),
        _Award(
            Actor.ALICE,
            HopeAction.STORY_APPROVED,
            path(Collection.TAPESTRY_THREADS, ids.THR_APPROVED_WARDROBE),
            t.wardrobe_story_approved,
        ),
        _Award(Actor.BOB, HopeAction.RESOURCE_REVIEWED, grocery, t.bob_reviewed_grocery),
        _Award(Actor.CAROL, HopeAction.EVENT_ORGANIZED, soup, t.soup_night_ends),
        _Award(Actor.DAN, HopeAction.EVENT_CO_ORGANIZED, soup, t.soup_night_ends),
        _Award(Actor.ALICE, HopeAction.EVENT_ATTENDED, soup, t.soup_night_ends),
        _Award(Actor.BOB, HopeAction.EVENT_ATTENDED, soup, t.soup_night_ends),
        _Award(Actor.BOB, HopeAction.OFFERING_MADE, groceries_offer, t.groceries_offered),
        _Award(Actor.BOB, HopeAction.OFFERING_ACCEPTED, groceries_offer, t.groceries_accepted),
        _Award(Actor.BOB, HopeAction.URGENT_RESPONSE, groceries_offer, t.groceries_accepted),
        _Award(
            Actor.CAROL,
            HopeAction.OFFERING_MADE,
            path(offerings, ids.OFF_CAROL_ELECTRICITY),
            t.electricity_offered,
        ),
        _Award(
            Actor.ALICE,
            HopeAction.REPORT_UPHELD,
            path(Collection.REPORTS, ids.RPT_ALICE_SCAM_RESOLVED),
            t.scam_resolved,
        ),
    ]


def _ledger_entry(award: _Award) -> tuple[str, HopeLedgerEntry]:
    """The entry id (action and source, so an award is never paid twice) and the entry, priced
    at the default award table with a level-1 multiplier."""
    rule = DEFAULT_AWARDS[award.action]
    source_id = award.source.rsplit("/", 1)[1]
    entry_id = f"{award.action.value}-{source_id}"
    entry = HopeLedgerEntry(
        action=award.action,
        category=rule.category,
        source=award.source,
        event_id=f"demo-seed-{entry_id}",
        base=rule.base_points,
        amount=rule.base_points,
        created_at=award.at,
    )
    return entry_id, entry


def _paris_day(at: dt.datetime) -> dt.date:
    return at.astimezone(zoneinfo.ZoneInfo(CITY_TIME_ZONE)).date()


def _gamification(entries: list[HopeLedgerEntry], person: _Person, t: Timeline) -> Gamification:
    """Points, experience, level, streak and weekly points recomputed from the ledger."""
    points: dict[HopeCategory, int] = defaultdict(int)
    for entry in entries:
        points[entry.category] += entry.amount
    by_field = {category.value: amount for category, amount in points.items()}
    hope_points = HopePoints.model_validate({**by_field, "total": sum(points.values())})
    experience = hope_points.total
    today = _paris_day(t.now)
    week = today.isocalendar()
    weekly = sum(
        entry.amount
        for entry in entries
        if _paris_day(entry.created_at).isocalendar()[:2] == week[:2]
    )
    days = sorted({_paris_day(entry.created_at) for entry in entries})
    current = 1 if days and (today - days[-1]).days <= 1 else 0
    return Gamification(
        hope_points=hope_points,
        experience=experience,
        level=LevelCurve().level_for_experience(experience),
        streak=Streak(
            current_days=current,
            longest_days=max(current, person.longest_streak),
            last_active_day=days[-1].isoformat() if days else None,
        ),
        weekly_points=weekly,
        week=f"{week[0]:04d}-W{week[1]:02d}",
    )


def security_of(actor: Actor, t: Timeline) -> Security:
    """The member's security map; their custom claims are derived from it."""
    if actor is Actor.SAM:
        return Security(
            account_status=AccountStatus.SUSPENDED,
            strikes=1,
            last_strike_at=t.scam_resolved,
            suspended_until=t.suspension_ends,
        )
    if actor is Actor.ERIN:
        return Security(
            identity_verification=Verification(
                status=VerificationState.VERIFIED,
                verified_at=t.grocery_verified,
                note="Employment at the grocery's association confirmed by phone.",
            ),
            verified_provider=True,
        )
    return Security(role=role(actor))


@dataclass(frozen=True, slots=True)
class _RateLimits:
    """The `last*At` fields: each is the time of the member's latest creation of that kind."""

    request: dt.datetime | None = None
    offering: dt.datetime | None = None
    message: dt.datetime | None = None
    report: dt.datetime | None = None

    def times(self) -> list[dt.datetime]:
        return [at for at in (self.request, self.offering, self.message, self.report) if at]


def _rate_limits(actor: Actor, t: Timeline) -> _RateLimits:
    limits = {
        Actor.ALICE: _RateLimits(
            request=t.electricity_requested, message=t.alice_thanks_sent, report=t.scam_reported
        ),
        Actor.BOB: _RateLimits(
            offering=t.groceries_offered, message=t.bob_on_my_way_sent, report=t.spam_reported
        ),
        Actor.CAROL: _RateLimits(offering=t.electricity_offered, message=t.carol_deleted_sent),
        Actor.DAN: _RateLimits(
            request=t.lift_requested,
            offering=t.coats_offered,
            message=t.dan_tools_sent,
            report=t.resource_reported,
        ),
        Actor.SAM: _RateLimits(request=t.promo_requested, message=t.sam_urging_sent),
    }
    return limits.get(actor, _RateLimits())


def _reveal(actor: Actor, t: Timeline) -> RevealSummary:
    if actor in (Actor.ALICE, Actor.BOB):
        return RevealSummary(completed=1, last_completed_at=t.bob_reveal_consented)
    if actor is Actor.CAROL:
        return RevealSummary(pending_incoming=1)
    return RevealSummary()


def _user(
    actor: Actor,
    person: _Person,
    joined: dt.datetime,
    ledger: list[HopeLedgerEntry],
    t: Timeline,
) -> User:
    limits = _rate_limits(actor, t)
    activity = [joined, *limits.times()]
    return User(
        profile=Profile(
            display_name=display_name(actor),
            anonymous_alias=person.alias,
            bio=person.bio,
            pronouns=person.pronouns,
            languages=list(person.languages),
            skills=list(person.skills),
            interests=list(person.interests),
            home_area=person.home.area(),
        ),
        privacy=PrivacySettings(
            profile_visibility=Visibility.COMMUNITY,
            leaderboard_opt_in=actor in _ON_LEADERBOARDS,
        ),
        notifications=NotificationSettings(
            digest=DigestFrequency.DAILY if actor is Actor.MOD else DigestFrequency.WEEKLY,
            quiet_hours=QuietHours(starts_at="22:00", ends_at="07:30"),
            nearby_radius_km=3 if actor is Actor.BOB else 5,
        ),
        preferences=Preferences(
            locale="en" if actor is Actor.DAN else "fr", time_zone=CITY_TIME_ZONE
        ),
        gamification=_gamification(ledger, person, t),
        stats=_STATS[actor],
        reveal=_reveal(actor, t),
        last_active_at=max([*activity, *(entry.created_at for entry in ledger)]),
        created_at=joined,
        updated_at=max(activity),
    )


def _account(actor: Actor, t: Timeline) -> PrivateAccount:
    """The member's private account: standing and rate-limit times (migration 0001's shape)."""
    limits = _rate_limits(actor, t)
    return PrivateAccount(
        security=security_of(actor, t),
        last_request_at=limits.request,
        last_offering_at=limits.offering,
        last_message_at=limits.message,
        last_report_at=limits.report,
    )


def _identity(actor: Actor, person: _Person) -> IdentityWrite:
    home = person.home.exact()
    return IdentityWrite(
        legal_name=person.legal_name,
        email=email(actor),
        phone=person.phone,
        home_latitude=home.point.latitude,
        home_longitude=home.point.longitude,
        home_address=home.address,
    )


def people_identities(t: Timeline) -> list[tuple[str, IdentityWrite, dt.datetime]]:
    """What each member gives `set_identity` when they join, and when: the backend seals it
    (`mitche.handlers.store_identity`), so the demo never writes an identity itself."""
    return [
        (actor.value, _identity(actor, person), t.joined(order))
        for order, (actor, person) in enumerate(_PEOPLE.items())
    ]


def _reveals(t: Timeline) -> Iterator[DemoDocument]:
    """Alice and Bob revealed to each other after the groceries; Dan asked Carol, who has not
    answered yet."""
    groceries = path(Collection.CONVERSATIONS, ids.CONV_ALICE_BOB_GROCERIES)
    done = t.bob_reveal_consented
    for actor, counterpart, consented in (
        (Actor.ALICE, Actor.BOB, t.alice_reveal_consented),
        (Actor.BOB, Actor.ALICE, t.bob_reveal_consented),
    ):
        yield (
            path(Collection.USERS, actor, "revealConsents", counterpart),
            RevealConsent(
                counterpart_id=counterpart,
                context=groceries,
                completed_at=done,
                created_at=consented,
                updated_at=consented,
            ),
        )
        yield (
            path(Collection.USERS, actor, "revealGrants", counterpart),
            RevealGrant(counterpart_id=counterpart, context=groceries, completed_at=done),
        )
    yield (
        path(Collection.USERS, Actor.DAN, "revealConsents", Actor.CAROL),
        RevealConsent(
            counterpart_id=Actor.CAROL,
            context=path(Collection.CONVERSATIONS, ids.CONV_CAROL_DAN),
            created_at=t.dan_reveal_consented,
            updated_at=t.dan_reveal_consented,
        ),
    )


def _alice_blocks_sam(t: Timeline) -> DemoDocument:
    """Alice blocked Sam right after reporting his scam message: he cannot write to her again,
    and matching never suggests one to the other."""
    blocked = t.scam_reported + dt.timedelta(minutes=2)
    return (
        path(Collection.USERS, Actor.ALICE, "blocks", Actor.SAM),
        Block(member_id=Actor.SAM, created_at=blocked),
    )


_ON_LEADERBOARDS: Final = frozenset({Actor.ALICE, Actor.BOB, Actor.CAROL})
"""Members who agreed to appear on the leaderboards when they joined (the rest declined)."""


def _consents(actor: Actor, joined: dt.datetime) -> Consents:
    """What the member answered when they joined: the terms, analytics (everyone agreed) and
    the leaderboards; the consents trigger applies the answers to their privacy settings."""
    return Consents(
        terms_version="2026-09",
        terms_accepted_at=joined,
        analytics=PurposeConsent(granted=True, version="1", answered_at=joined),
        leaderboards=PurposeConsent(
            granted=actor in _ON_LEADERBOARDS, version="1", answered_at=joined
        ),
        updated_at=joined,
    )


def people_documents(t: Timeline) -> list[DemoDocument]:
    """Every member's user, account, alias claim and ledger documents, then the reveal
    documents (identities are given through the backend: `people_identities`)."""
    ledgers: dict[Actor, list[tuple[str, HopeLedgerEntry]]] = defaultdict(list)
    for award in _awards(t):
        ledgers[award.actor].append(_ledger_entry(award))
    documents: list[DemoDocument] = []
    for order, (actor, person) in enumerate(_PEOPLE.items()):
        joined = t.joined(order)
        ledger = ledgers[actor]
        entries = [entry for _, entry in ledger]
        user_path = path(Collection.USERS, actor)
        documents.append((user_path, _user(actor, person, joined, entries, t)))
        documents.append((f"{user_path}/{ids.ACCOUNT}", _account(actor, t)))
        documents.append((consents_path(actor), _consents(actor, joined)))
        claim = AliasClaim(owner_id=actor, claimed_at=joined)
        documents.append((alias_claim_path(person.alias), claim))
        documents.extend(
            (f"{user_path}/hopeLedger/{entry_id}", entry) for entry_id, entry in ledger
        )
    documents.extend(_reveals(t))
    documents.append(_alice_blocks_sam(t))
    return documents
