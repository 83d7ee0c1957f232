"""Migration 0014 (category ratings) through the runner, against a local server holding ratings
counted before `stats.ratingsByCategory` existed: each rating lands in its request's category
(or a claimed standing offer's own), once, even when two rated offerings share a fact or the
trigger already counted one; a rating the trigger has not counted yet, or whose request is
gone, is left alone; a second apply changes nothing, a dry run writes nothing, and rollback
gives back the old shape."""

from __future__ import annotations

import datetime as dt
from typing import Any

from google.cloud import firestore

from mitche.models import MigrationDirection, RewardFact, User, reward_fact_id
from mitche.services import from_document, to_document
from tests.mitche.handlers.factories import make_user
from tests.mitche_dev.migrate.conftest import T0, run_named

MIGRATION = "0014_category_ratings"
RATED = T0 + dt.timedelta(days=1)


def make_offering(
    helper: str, stars: int | None, *, request: str | None, category: str, status: str = "completed"
) -> dict[str, Any]:
    """An offering as stored (an answer to `request`, or a standing offer claimed by samira),
    rated `stars` by samira when completed."""
    data: dict[str, Any] = {
        "helperId": helper,
        "offeringType": "help",
        "requestPath": request,
        "requesterId": "samira",
        "title": "I can help",
        "category": category,
        "status": status,
        "respondedAt": T0,
        "createdAt": T0,
        "updatedAt": RATED,
    }
    if status == "completed":
        data["completedAt"] = RATED
    if stars is not None:
        data["requesterFeedback"] = {"rating": stars, "authorId": "samira", "createdAt": RATED}
    return data


def make_request(category: str) -> dict[str, Any]:
    """Samira's fulfilled request of `category`."""
    return {
        "requesterId": "samira",
        "title": "Help needed",
        "category": category,
        "status": "fulfilled",
        "createdAt": T0,
        "updatedAt": RATED,
    }


def fact_path(helper: str, subject: str) -> str:
    return f"users/{helper}/rewardFacts/{reward_fact_id(subject, 'feedbackReceived')}"


def make_fact(subject: str, category: str | None = None) -> dict[str, Any]:
    """The fact the trigger recorded with the rating (naming its category since 0014)."""
    fact = {"fact": "feedbackReceived", "subject": subject, "eventId": "e", "recordedAt": RATED}
    return fact | ({"category": category} if category else {})


OFFERINGS = {
    # The helper called her answer "household"; samira asked for transport.
    "offerings/o1": make_offering("amina", 5, request="requests/lift", category="household"),
    "offerings/o2": make_offering("amina", 3, request="requests/meal", category="food"),
    "offerings/o3": make_offering("amina", 4, request=None, category="companionship"),
    # Counted by the trigger of this release already (its fact names the category).
    "offerings/o4": make_offering("amina", 4, request="requests/lift-2", category="transport"),
    # A second rated answer on the lift request: the same fact as o1, counted once.
    "offerings/o5": make_offering("amina", 1, request="requests/lift", category="transport"),
    # Rated, but its request is gone: overall only.
    "offerings/o6": make_offering("amina", 2, request="requests/gone", category="legal"),
    # Not completed: nothing to count.
    "offerings/o7": make_offering(
        "amina", None, request="requests/meal", category="food", status="accepted"
    ),
    # Rated, but the trigger has not run for it yet (no fact): the trigger counts it.
    "offerings/o8": make_offering("jonas", 5, request="requests/meal", category="food"),
}
REQUESTS = {
    "requests/lift": make_request("transport"),
    "requests/lift-2": make_request("transport"),
    "requests/meal": make_request("food"),
}
FACTS = {
    fact_path("amina", "requests/lift"): make_fact("requests/lift"),
    fact_path("amina", "requests/meal"): make_fact("requests/meal"),
    fact_path("amina", "offerings/o3"): make_fact("offerings/o3"),
    fact_path("amina", "requests/lift-2"): make_fact("requests/lift-2", "transport"),
    fact_path("amina", "requests/gone"): make_fact("requests/gone"),
}


def _before_0014(user: dict[str, Any]) -> dict[str, Any]:
    """A member's document as stored before 0014: no map in its stats."""
    stats = {key: value for key, value in user["stats"].items() if key != "ratingsByCategory"}
    return {**user, "stats": stats}


def _seed(db: firestore.Client) -> dict[str, dict[str, Any]]:
    """Store the documents as the trigger left them before 0014; returns them by path."""
    amina = make_user(
        "amina",
        stats={
            "rating": {"count": 5, "average": 3.6},
            "ratingsByCategory": {"transport": {"count": 1, "average": 4.0}},
        },
    )
    documents: dict[str, dict[str, Any]] = {
        "users/amina": to_document(amina, db),
        "users/jonas": _before_0014(to_document(make_user("jonas"), db)),
        **OFFERINGS,
        **REQUESTS,
        **FACTS,
    }
    for path, data in documents.items():
        db.document(path).set(data)
    return documents


def _run(
    db: firestore.Client,
    direction: MigrationDirection,
    *,
    page_size: int = 2,
    dry_run: bool = False,
) -> Any:
    """The migration through the runner, two offerings a page by default (a helper's
    documents are then shared by several pages)."""
    return run_named(db, MIGRATION, direction, page_size=page_size, dry_run=dry_run)


def _get(db: firestore.Client, path: str) -> dict[str, Any]:
    data = db.document(path).get().to_dict()
    assert data is not None, path
    return data


def test_each_rating_lands_once_in_the_category_it_rated(db: firestore.Client) -> None:
    """Amina's ratings land in transport (samira's request, not the answer's household),
    food and companionship (the standing offer she accepted), beside the rating the trigger
    counted; the shared fact, the missing request and the uncounted rating add nothing; the
    documents decode, and a second apply changes nothing."""
    documents = _seed(db)
    report = _run(db, MigrationDirection.UP)
    assert (report.visited, report.changed) == (8, 3)
    amina = from_document(User, _get(db, "users/amina"))
    assert {
        category.value: (summary.count, summary.average)
        for category, summary in amina.stats.ratings_by_category.items()
    } == {"transport": (2, 4.5), "food": (1, 3.0), "companionship": (1, 4.0)}
    assert (amina.stats.rating.count, amina.stats.rating.average) == (5, 3.6)
    for subject, category in (
        ("requests/lift", "transport"),
        ("requests/meal", "food"),
        ("offerings/o3", "companionship"),
        ("requests/lift-2", "transport"),
    ):
        fact = from_document(RewardFact, _get(db, fact_path("amina", subject)))
        assert fact.category is not None
        assert fact.category.value == category
    assert "category" not in _get(db, fact_path("amina", "requests/gone"))
    assert _get(db, "users/jonas") == documents["users/jonas"]
    assert _run(db, MigrationDirection.UP).changed == 0


def test_rollback_gives_back_the_old_shape(db: firestore.Client) -> None:
    """down removes the map and the facts' categories, which the models before 0014 lacked."""
    _seed(db)
    _run(db, MigrationDirection.UP)
    _run(db, MigrationDirection.DOWN)
    assert "ratingsByCategory" not in _get(db, "users/amina")["stats"]
    for path in FACTS:
        assert "category" not in _get(db, path)


def test_a_dry_run_counts_the_same_and_writes_nothing(db: firestore.Client) -> None:
    """The plan reports the three ratings it would count and leaves every document as it was
    (in one page: a plan sees no earlier page's writes, so over pages it counts a fact two
    offerings share once per page)."""
    documents = _seed(db)
    report = _run(db, MigrationDirection.UP, page_size=100, dry_run=True)
    assert (report.dry_run, report.changed) == (True, 3)
    for path, data in documents.items():
        assert _get(db, path) == data
