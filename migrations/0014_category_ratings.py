"""Ratings per kind of help: fill `stats.ratingsByCategory` of every member from the ratings
they received before it existed, so that matching ranks helpers by their past ratings in the
request's category (issue 18), not only by their overall rating.

A requester's feedback on a completed offering (`requesterFeedback`) rates the help given for
their request: it counts in the request's category for an answer (the requester's fact, read
from the request), in the offering's own category for a claimed standing offering (what the
requester accepted). It was counted in `stats.rating` by the hope points trigger, which
recorded the fact `users/{helperId}/rewardFacts/{feedbackReceived-…}` in the same
transaction; since this release the trigger moves the category's summary in that same write
and names the category on the fact (`category`).

So each rated offering is visited with its helper, the fact and (for an answer) its request:

* a fact that names a category was counted in it already (by the trigger, or by an earlier
  page of this run): nothing to do, so applying twice, or resuming, counts nothing twice;
* no fact yet: the trigger has not run for that feedback and will count it itself;
* otherwise the stars are added to the category's summary and the fact names the category,
  in one page's write. Two rated offerings of one helper on one request are one fact (the
  trigger counted one of them): the first in path order is counted here.

A rating whose request cannot be read, or whose category is not one of the categories below,
stays in the overall rating only, as the trigger does. `down` removes the map and the facts'
categories (the models before this release accept neither); the backup has them.

Safe beside the running trigger: each page's writes are conditional on the documents it read
(a rating counted meanwhile sends the page round again, and its fact then names the category).
Reads: one per offering, plus three per rated one (helper, fact, request). A plan (dry run)
sees no earlier page's writes, so a fact two rated offerings share in different pages shows
once per page there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

SCOPE = "offerings/{offeringId}"
READS = (
    "offerings/{offeringId}",
    "requests/{requestId}",
    "users/{userId}",
    "users/{userId}/rewardFacts/{factId}",
)
WRITES = ("users/{userId}", "users/{userId}/rewardFacts/{factId}")

# Names as they were when this migration was written (a migration is a record: it does not
# follow later changes of mitche.models).
FACT = "feedbackReceived"
FIELD = "ratingsByCategory"
CATEGORIES = frozenset(
    {
        "food",
        "housing",
        "transport",
        "health",
        "emotionalSupport",
        "childcare",
        "elderCare",
        "education",
        "employment",
        "legal",
        "financial",
        "household",
        "technology",
        "companionship",
        "other",
    }
)

Document = dict[str, Any]


def fact_id(subject: str) -> str:
    """The id of the rating's fact about `subject` (mitche.models.reward_fact_id as it was)."""
    digest = hashlib.sha256(f"{subject}\x00{FACT}".encode()).hexdigest()[:40]
    return f"{FACT}-{digest}"


def _stars(offering: Mapping[str, Any] | None) -> int | None:
    """The requester's stars on a completed offering, if they rated it."""
    if offering is None or offering.get("status") != "completed":
        return None
    feedback = offering.get("requesterFeedback")
    stars = feedback.get("rating") if isinstance(feedback, Mapping) else None
    helper = offering.get("helperId")
    if not isinstance(stars, int) or not isinstance(helper, str) or not helper:
        return None
    return stars


def _paths(path: str, offering: Mapping[str, Any]) -> tuple[str, str, str | None]:
    """The helper's document, the rating's fact, and the answered request (None: standing)."""
    user = f"users/{offering['helperId']}"
    request = offering.get("requestPath")
    request = request if isinstance(request, str) and request.startswith("requests/") else None
    return user, f"{user}/rewardFacts/{fact_id(request or path)}", request


def related(path: str, data: Document | None) -> tuple[str, ...]:
    """For a rated offering: its helper, the rating's fact and, for an answer, its request."""
    if _stars(data) is None:
        return ()
    assert data is not None
    user, fact, request = _paths(path, data)
    return (user, fact) if request is None else (user, fact, request)


def _summary(summary: object, stars: int) -> Document:
    count = int(summary.get("count", 0)) if isinstance(summary, Mapping) else 0
    average = float(summary.get("average", 0.0)) if isinstance(summary, Mapping) else 0.0
    return {"count": count + 1, "average": round((average * count + stars) / (count + 1), 4)}


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Count the offering's rating in its category, unless its fact says it was counted."""
    path = next(path for path in documents if path.startswith("offerings/"))
    offering = documents[path]
    stars = _stars(offering)
    if stars is None:
        return {}
    assert offering is not None
    user_path, fact_path, request_path = _paths(path, offering)
    user, fact = documents.get(user_path), documents.get(fact_path)
    if user is None or fact is None or fact.get("category") is not None:
        return {}
    rated = offering if request_path is None else documents.get(request_path)
    category = (rated or {}).get("category")
    if category not in CATEGORIES:
        return {}
    stats = dict(user.get("stats") or {})
    by_category = dict(stats.get(FIELD) or {})
    by_category[category] = _summary(by_category.get(category), stars)
    stats[FIELD] = by_category
    return {user_path: {**user, "stats": stats}, fact_path: {**fact, "category": category}}


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Remove the helper's map and the category of the rating's fact."""
    path = next(path for path in documents if path.startswith("offerings/"))
    offering = documents[path]
    if _stars(offering) is None:
        return {}
    assert offering is not None
    user_path, fact_path, _ = _paths(path, offering)
    user, fact = documents.get(user_path), documents.get(fact_path)
    changed: dict[str, Document | None] = {}
    stats = (user or {}).get("stats")
    if user is not None and isinstance(stats, Mapping) and FIELD in stats:
        kept = {key: value for key, value in stats.items() if key != FIELD}
        changed[user_path] = {**user, "stats": kept}
    if fact is not None and "category" in fact:
        changed[fact_path] = {key: value for key, value in fact.items() if key != "category"}
    return changed
