"""Fixtures of the catalog suites: demo parameters for every catalog query, a local server that
enforces firestore.indexes.json (seeded with the demo), and the demo seeded under the rules."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.pytest_plugin import firestore_server
from firelab.server import FirestoreServer
from mitche.domain.analytics import analytics_day
from mitche.models import AnalyticsSettings, NearbyList
from mitche.queries import (
    BACKFILL_SOURCES,
    CATALOG,
    NEARBY_SHAPES,
    CatalogQuery,
    backfill_query_name,
    nearby_query_name,
)
from mitche.queries._client_moderation import SCREENED_COLLECTIONS
from mitche.queries._privacy_queries import PRIVACY_QUERIES
from mitche_dev.devstack import DEMO_NOW, demo_stack

__all__ = [
    "DEMO_PARAMS",
    "INDEX_FILE",
    "REPO_ROOT",
    "demo_server",
    "enforcing_client",
    "firestore_server",
    "indexes_enforced",
    "make_client",
]

REPO_ROOT: Final = Path(__file__).resolve().parents[3]
INDEX_FILE: Final = REPO_ROOT / "firestore.indexes.json"
PROJECT: Final = "demo-mitche-queries"

_WINDOW: Final = {
    "start": DEMO_NOW - dt.timedelta(days=90),
    "end": DEMO_NOW + dt.timedelta(days=60),
}


def nearby_params(kind: NearbyList, shape: str) -> dict[str, Any]:
    """Parameters of a near-me query: two cells of the Croix-Rousse (or their area)."""
    params: dict[str, Any] = {"limit": 20}
    if kind is NearbyList.RESOURCES:
        params["category"] = "food"
    if shape == "ring":
        return params | {"key": "a~", "cells": ["u05kq4", "u05kq5"]}
    values = ["u05kq4", "u05kq5"] if shape == "cells" else ["u05kq"]
    return params | {shape: values, "low": "!", "high": "~~"}


def _names(query: CatalogQuery) -> set[str]:
    return {param.name for param in query.params()}


DEMO_PARAMS: Final[dict[str, dict[str, Any]]] = {
    "requests.openByUrgency": {"urgency": "critical", "limit": 20},
    "requests.openByDeadline": {"now": DEMO_NOW, "limit": 20},
    "requests.byCategory": {"category": "food", "status": "inProgress", "limit": 20},
    "requests.publicOpen": {"limit": 20},
    "requests.mine": {"uid": "alice"},
    "requests.helping": {"uid": "bob"},
    "offerings.mine": {"uid": "bob"},
    "offerings.onRequest": {"uid": "alice", "requestPath": "requests/req-groceries-croix-rousse"},
    "offerings.awaitingAnswer": {"uid": "alice"},
    "offerings.standingByCategory": {"category": "household", "limit": 20},
    "events.upcoming": {"now": DEMO_NOW, "limit": 20},
    "events.upcomingByCategory": {"now": DEMO_NOW, "category": "workshop", "limit": 20},
    "events.organizing": {"uid": "carol"},
    "events.coOrganizing": {"uid": "dan"},
    "events.myRegistrations": {"uid": "alice"},
    "events.attendees": {"eventId": "evt-repair-cafe-croix-rousse", "status": "registered"},
    "resources.byCategory": {"category": "food", "limit": 20},
    "resources.byLanguage": {"language": "ar", "limit": 20},
    "resources.byEligibility": {"group": "families", "limit": 20},
    "resources.mine": {"uid": "erin"},
    "resources.reviews": {"resourceId": "res-epicerie-solidaire-guillotiere", "limit": 20},
    "conversations.mine": {"uid": "alice", "limit": 20},
    "conversations.support": {"limit": 20},
    "messages.ofConversation": {
        "uid": "alice",
        "conversationId": "conv-groceries-alice-bob",
        "limit": 20,
    },
    "messages.mineInConversation": {
        "uid": "alice",
        "conversationId": "conv-groceries-alice-bob",
        "limit": 20,
    },
    "messages.heldForReview": {"limit": 20},
    "tapestry.approved": {"limit": 20},
    "tapestry.approvedByCategory": {"category": "silentHero", "limit": 20},
    "tapestry.mine": {"uid": "alice"},
    "tapestry.awaitingReview": {},
    "tapestry.myHearts": {"uid": "carol"},
    "reports.openBySeverity": {"severity": "low", "limit": 20},
    "reports.assignedToMe": {"uid": "mod"},
    "reports.mine": {"uid": "bob"},
    "reports.log": {"reportId": "rpt-scam-message"},
    "achievements.catalog": {},
    "userAchievements.mine": {"uid": "alice"},
    "leaderboards.top": {"boardId": "allTime", "limit": 100},
    "hopeLedger.mine": {"uid": "bob", "limit": 20},
    "notifications.mine": {"uid": "bob", "limit": 20},
    "notifications.unread": {"uid": "bob", "limit": 20},
    "devices.mine": {"uid": "bob", "limit": 10},
    "functions.memberDevices": {"uid": "bob", "limit": 10},
    "functions.duePushes": {"now": DEMO_NOW, "limit": 200},
    "functions.requestsExpiringSoon": {
        "earliest": DEMO_NOW - dt.timedelta(days=30),
        "latest": DEMO_NOW + dt.timedelta(days=365),
        "limit": 200,
    },
    "reveal.incoming": {"uid": "bob"},
    "analytics.range": {"first": "2026-11-20", "last": "2026-11-22"},
    "functions.achievementCatalog": {},
    "functions.consentsTo": {"uid": "bob"},
    "functions.openRequestsOf": {"uid": "alice"},
    "functions.openRequestsOfBefore": {
        "uid": "alice",
        "createdAt": DEMO_NOW + dt.timedelta(days=365),
    },
    "functions.completedConsentsTo": {"uid": "bob"},
    "functions.dayShards": {"day": analytics_day(dt.datetime.now(dt.UTC), AnalyticsSettings())},
    "functions.endedSuspensions": {"now": DEMO_NOW + dt.timedelta(days=10), "limit": 200},
    "functions.endedAccountSuspensions": {
        "now": DEMO_NOW + dt.timedelta(days=10),
        "limit": 200,
    },
    "functions.memberIds": {"pageSize": 3},
    "functions.memberLedger": {"uid": "bob"},
    "functions.resourceReviews": {"resourceId": "res-epicerie-solidaire-guillotiere"},
    "functions.resourcesOf": {"uid": "erin"},
    "functions.eventQueue": {
        "eventId": "evt-repair-cafe-croix-rousse",
        "status": "pending",
        "limit": 50,
    },
    "functions.liveRegistrations": {"eventId": "evt-repair-cafe-croix-rousse", "limit": 50},
    "functions.eventsStartingBetween": {
        "start": DEMO_NOW,
        "end": DEMO_NOW + dt.timedelta(days=60),
        "limit": 50,
    },
    "functions.registeredAttendees": {"eventId": "evt-repair-cafe-croix-rousse", "limit": 50},
    **{f"moderation.screened.{c}": {"limit": 20} for c in SCREENED_COLLECTIONS},
    "functions.overdueRequests": {"now": DEMO_NOW + dt.timedelta(days=365), "limit": 200},
    "functions.waitingOfferingsOfRequest": {"requestPath": "requests/req-expired-demo"},
    "functions.messagesTo": {"conversationId": "conv-groceries-alice-bob", "uid": "alice"},
    "functions.messagesFrom": {"conversationId": "conv-groceries-alice-bob", "uid": "alice"},
    "functions.messagesToSince": {
        "conversationId": "conv-groceries-alice-bob",
        "uid": "alice",
        "since": DEMO_NOW - dt.timedelta(days=90),
    },
    "functions.messagesFromSince": {
        "conversationId": "conv-groceries-alice-bob",
        "uid": "alice",
        "since": DEMO_NOW - dt.timedelta(days=90),
    },
    # Sam's removed and held messages to Alice.
    "functions.hiddenMessagesToSince": {
        "conversationId": "conv-dm-sam-alice",
        "uid": "alice",
        "since": DEMO_NOW - dt.timedelta(days=90),
    },
    "functions.hiddenMessagesFromSince": {
        "conversationId": "conv-dm-sam-alice",
        "uid": "sam",
        "since": DEMO_NOW - dt.timedelta(days=90),
    },
    **{backfill_query_name(c, f): dict(_WINDOW) for c, _, f in BACKFILL_SOURCES},
    "functions.standingOffersOf": {"uid": "dan", "limit": 20},
    "functions.acceptedOfferingsOf": {"uid": "bob", "limit": 50},
    "functions.nearestHelpers": {"model": "use-multilingual-v3", "neighbours": 100},
    "functions.nearestRequests": {"model": "use-multilingual-v3", "neighbours": 100},
    "functions.blocksOf": {"uid": "alice", "limit": 50},
    "functions.blockersOf": {"uid": "sam", "limit": 50},
    "blocks.mine": {"uid": "alice", "limit": 50},
    **{
        q.name: {k: v for k, v in {"uid": "alice", "pageSize": 50}.items() if k in _names(q)}
        for q in PRIVACY_QUERIES
    },
    "functions.privacy.stalledErasures": {"cutoff": DEMO_NOW, "limit": 100},
    **{
        nearby_query_name(kind, shape): nearby_params(kind, shape)
        for kind in NearbyList
        for shape in NEARBY_SHAPES
    },
}
"""Parameters under which each catalog query finds demo documents (where the demo has any)."""

DEMO_EMPTY: Final = frozenset(
    {
        # No support thread in the demo.
        "conversations.support",
        # The demo is in the shape after migration 0001: no user document holds a security map
        # (the legacy query serves members the migration has not reached yet).
        "functions.endedSuspensions",
        # The demo is in the shape after migration 0015: reports are classified on their cases
        # (the legacy query serves reports the migration has not reached yet).
        backfill_query_name("reports", "triage.classifiedAt"),
        # No expired request in the demo still has offers waiting for an answer.
        "functions.waitingOfferingsOfRequest",
        # The places of every demo registration were settled when it was made: none is pending.
        "functions.eventQueue",
        # Nobody in the demo erased their account.
        "functions.privacy.stalledErasures",
        # The screen approved every offering, event and story of the demo: only Sam's spam
        # request and the grocery listing Dan reported wait in a queue (flagged).
        *(
            f"moderation.screened.{collection}"
            for collection in SCREENED_COLLECTIONS
            if collection not in {"requests", "resources"}
        ),
        # The near-me queries' parameters name cells of the Croix-Rousse, where the demo has
        # no listing of these kinds (the resources' areas query finds the grocery's area).
        *(
            nearby_query_name(kind, shape)
            for kind in NearbyList
            for shape in NEARBY_SHAPES
            if (kind, shape) != (NearbyList.RESOURCES, "areas")
        ),
        # The privacy jobs' queries run for Alice, who has none of these in the demo, and no
        # erasure or audit entry exists before any job ran.
        *(
            f"functions.privacy.{name}"
            for name in (
                "authored.hearts",
                "authored.offerings",
                "erasure.auditEntries",
                "erasure.blockedBy",
                "erasure.casesAssigned",
                "erasure.casesResolved",
                "erasure.providerDecisions",
                "erasure.reportActions",
                "erasure.settingsChanged",
                "erasure.eventsCoOrganised",
                "erasure.eventsOrganised",
                "erasure.hearts",
                "erasure.nominationsAbout",
                "erasure.reportCasesAbout",
                "erasure.offeringsHelped",
                "erasure.reportsAbout",
                "erasure.requestsHelped",
                "erasure.resources",
                "erasureOf",
                "erasureRecords",
                "member.processedEvents",
                "member.publicKeys",
                "member.uploadReviews",
            )
        ),
    }
)
"""Catalog queries the demo data gives nothing to find."""

DEMO_CLOCK_DEPENDENT: Final = frozenset({"functions.duePushes"})
"""Catalog queries whose demo results depend on the wall clock at seeding: the functions send
or defer the demo's notification pushes by the recipients' quiet hours at the time they run."""

assert set(DEMO_PARAMS) == set(CATALOG), sorted(set(DEMO_PARAMS) ^ set(CATALOG))


def make_client(host: str, project: str = PROJECT) -> firestore.Client:
    """An administrator's client for the server at `host` (emulator mode: rules bypassed)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FIRESTORE_EMULATOR_HOST", host)
        return firestore.Client(project=project, credentials=AnonymousCredentials())


@pytest.fixture(scope="module")
def demo_server() -> Iterator[FirestoreServer]:
    """A local stack for a catalog suite, holding the demo seeded as the dev stack seeds it
    (members' writes, the moderator's calls, the functions producing the rest), with
    firestore.rules, refusing any query the committed firestore.indexes.json does not serve.
    Module-scoped: a running stack points the process's environment (FIRESTORE_EMULATOR_HOST,
    GOOGLE_CLOUD_PROJECT, FIREBASE_CONFIG) at itself, so it must stop, restoring it, before
    the suites that follow build their own clients and apps (this folder is no Python package,
    so a "package" scope would last the whole session)."""
    with demo_stack(PROJECT, DEMO_NOW, rules=True, enforce_indexes=True) as stack:
        assert stack.firestore is not None
        yield stack.firestore


@contextlib.contextmanager
def indexes_enforced(server: FirestoreServer, enforce: bool) -> Iterator[None]:
    """Index enforcement switched on or off for a while (the engine reads it per query)."""
    settings = server.emulator.settings
    saved = settings.indexes
    settings.indexes = dataclasses.replace(saved, enforce=enforce)
    try:
        yield
    finally:
        settings.indexes = saved


@pytest.fixture(scope="module")
def enforcing_server(demo_server: FirestoreServer) -> FirestoreServer:
    """The demo's server, refusing, as production does, any query that the committed
    firestore.indexes.json does not serve."""
    return demo_server


@pytest.fixture(scope="module")
def enforcing_client(enforcing_server: FirestoreServer) -> firestore.Client:
    """An administrator's client of the enforcing server, with the demo seeded."""
    return make_client(enforcing_server.address)
