"""Who may be suggested (hard conditions) and in which order (a documented score).

Hard conditions, all of which must hold for a helper to be suggested for a request (and for a
request to be listed for a helper), in the order they are checked:

1. not the requester, active (not suspended, banned or deactivated), neither blocked the other;
2. category compatible: the helper offers the request's category or one of its neighbours in
   `COMPATIBLE_CATEGORIES` (someone to talk to is also company; a lift to a consultation is
   also a health need), or narrowed nothing, or the request is `other`;
3. reachable: both accept remote help, or the request's cell lies within the helper's travel
   distance of their home area;
4. a language in common, when both named languages (primary subtags: `fr-CA` speaks `fr`);
5. the helper's open commitments are under the limit of `systemSettings/matching`.

Visibility is not checked here: only requests every signed-in member may read have a match card
(`mitche.domain.matching.request_card`), so a search never finds one the member could not read.

Score, a weighted sum of five parts each in [0, 1] (weights in `systemSettings/matching`,
defaults 0.55 / 0.15 / 0.1 / 0.1 / 0.1):

* similarity: the cosine of the two embeddings, clipped at 0 (the model's unrelated texts sit
  around 0.1-0.3, paraphrases and translations above 0.6);
* distance: 1 at the same cell, falling linearly to 0 at the helper's travel distance (1 for
  remote help both accept);
* availability: the share of the next `availabilityHorizonHours` (until the deadline when
  sooner; 24 h for critical requests) the helper's weekly windows cover, saturating at 4 hours
  (no windows: always available);
* rating: the mean stars the helper received for help of the request's category (requesters
  rate the help given for their request, so it is their request's category, or the category of
  the standing offering they accepted; `stats.ratingsByCategory`), else over all categories
  when they were never rated in it, shrunk towards 3 stars by 3 phantom ratings, so one 5-star
  rating does not outrank twenty 4.8s, mapped 1-5 to 0-1;
* load: 1 with no open commitment, falling to 0 at the limit.

Each suggestion carries the reasons a member reads ("writes about the same need", "about 2 km
away", "rated 4.8 by 3 members for this kind of help" when the rating is in the request's
category, "rated 4.6 by 12 members" when it is overall, ...): the parts that are strong, never a
uid, a name or a place (nor who rated).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from mitche.domain.geo import distance_m
from mitche.domain.matching._facts import (
    ANY_CATEGORY,
    HelperFacts,
    Rating,
    RequestFacts,
    WeeklyWindow,
)

__all__ = [
    "ALL_CATEGORIES",
    "COMPATIBLE_CATEGORIES",
    "Exclusion",
    "Scored",
    "Weights",
    "available_minutes",
    "category_compatible",
    "exclusion",
    "score",
]

ALL_CATEGORIES: Final = "*"
"""Key of the rating over all categories."""
COMPATIBLE_CATEGORIES: Final[Mapping[str, frozenset[str]]] = MappingProxyType(
    {
        "emotionalSupport": frozenset({"companionship"}),
        "companionship": frozenset({"emotionalSupport", "elderCare"}),
        "elderCare": frozenset({"companionship", "health"}),
        "health": frozenset({"elderCare", "transport"}),
        "childcare": frozenset({"education"}),
        "education": frozenset({"childcare"}),
        "employment": frozenset({"education"}),
        "financial": frozenset({"legal"}),
        "legal": frozenset({"financial", "other"}),
        "housing": frozenset({"legal"}),
        "technology": frozenset({"education"}),
    }
)
"""Helper categories that also serve a request's category, beyond the category itself."""
_PRIOR_STARS: Final = 3.0
_PRIOR_COUNT: Final = 3
_ENOUGH_MINUTES: Final = 240
_WEEK_MINUTES: Final = 7 * 1440


@dataclass(frozen=True, slots=True)
class Weights:
    """Weights of the score's parts and the limits the conditions use."""

    similarity: float = 0.55
    distance: float = 0.15
    availability: float = 0.1
    rating: float = 0.1
    load: float = 0.1
    max_open_commitments: int = 5
    availability_horizon_hours: int = 72


class Exclusion:
    """Why a helper is not suggested for a request (the condition that failed)."""

    SELF: Final = "self"
    INACTIVE: Final = "inactive"
    BLOCKED: Final = "blocked"
    CATEGORY: Final = "category"
    DISTANCE: Final = "distance"
    LANGUAGE: Final = "language"
    LOAD: Final = "load"


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate's score, its parts and the reasons shown to the member."""

    total: float
    similarity: float
    distance: float
    availability: float
    rating: float
    load: float
    distance_km: float | None
    reasons: tuple[str, ...]


def _primary(tags: frozenset[str]) -> frozenset[str]:
    return frozenset(tag.split("-")[0].lower() for tag in tags)


def _distance_km(request: RequestFacts, helper: HelperFacts) -> float | None:
    if request.point is None or helper.point is None:
        return None
    return distance_m(request.point, helper.point) / 1000.0


def _remote(request: RequestFacts, helper: HelperFacts) -> bool:
    return request.remote_ok and helper.remote_ok


def category_compatible(category: str, offered: frozenset[str]) -> bool:
    """Whether a helper offering `offered` categories may help with a `category` request."""
    if not offered or category == ANY_CATEGORY or category in offered:
        return True
    return bool(COMPATIBLE_CATEGORIES.get(category, frozenset()) & offered)


def exclusion(request: RequestFacts, helper: HelperFacts, weights: Weights) -> str | None:
    """The first hard condition the pair fails (an `Exclusion` value), or None."""
    if helper.uid == request.requester_id:
        return Exclusion.SELF
    if not helper.active:
        return Exclusion.INACTIVE
    if request.requester_id in helper.blocked:
        return Exclusion.BLOCKED
    if not category_compatible(request.category, helper.categories):
        return Exclusion.CATEGORY
    if not _remote(request, helper):
        km = _distance_km(request, helper)
        if km is None or km > helper.travel_km:
            return Exclusion.DISTANCE
    shared = _primary(request.languages) & _primary(helper.languages)
    if request.languages and helper.languages and not shared:
        return Exclusion.LANGUAGE
    if helper.open_commitments >= weights.max_open_commitments:
        return Exclusion.LOAD
    return None


def available_minutes(
    windows: tuple[WeeklyWindow, ...], start: dt.datetime, end: dt.datetime
) -> int:
    """Minutes of the weekly windows between `start` and `end` (UTC, minute precision)."""
    if end <= start:
        return 0
    start_of_week = (start - dt.timedelta(days=start.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    first = int((start - start_of_week).total_seconds() // 60)
    last = int((end - start_of_week).total_seconds() // 60)
    total = 0
    for week in range(first // _WEEK_MINUTES, last // _WEEK_MINUTES + 1):
        for window in windows:
            opens = week * _WEEK_MINUTES + window.weekday * 1440 + window.start_minute
            closes = week * _WEEK_MINUTES + window.weekday * 1440 + window.end_minute
            total += max(0, min(closes, last) - max(opens, first))
    return total


def _availability(
    request: RequestFacts, helper: HelperFacts, weights: Weights, now: dt.datetime
) -> float:
    if not helper.windows:
        return 1.0
    hours = 24 if request.urgency == "critical" else weights.availability_horizon_hours
    end = now + dt.timedelta(hours=hours)
    if request.deadline is not None and request.deadline < end:
        end = request.deadline
    minutes = available_minutes(helper.windows, now, end)
    return min(1.0, minutes / _ENOUGH_MINUTES)


def _rating(request: RequestFacts, helper: HelperFacts) -> tuple[float, Rating, bool]:
    """The rating part, the ratings it rests on, and whether they are in the request's
    category (else over all categories)."""
    rating = helper.ratings.get(request.category)
    in_category = rating is not None and rating.count > 0
    if rating is None or not in_category:
        rating = helper.ratings.get(ALL_CATEGORIES) or Rating()
    stars = (rating.average * rating.count + _PRIOR_STARS * _PRIOR_COUNT) / (
        rating.count + _PRIOR_COUNT
    )
    return (stars - 1.0) / 4.0, rating, in_category


def score(
    request: RequestFacts,
    helper: HelperFacts,
    similarity: float,
    weights: Weights,
    now: dt.datetime,
) -> Scored:
    """The pair's score (see the module docstring) with the reasons a member reads."""
    cosine = max(0.0, min(1.0, similarity)) if math.isfinite(similarity) else 0.0
    km = _distance_km(request, helper)
    if _remote(request, helper) and (km is None or km > helper.travel_km):
        near = 1.0
    elif km is None:
        near = 0.0
    else:
        near = max(0.0, 1.0 - km / max(helper.travel_km, 0.1))
    available = _availability(request, helper, weights, now)
    rated, rating, in_category = _rating(request, helper)
    limit = max(weights.max_open_commitments, 1)
    light = max(0.0, 1.0 - helper.open_commitments / limit)
    total = (
        weights.similarity * cosine
        + weights.distance * near
        + weights.availability * available
        + weights.rating * rated
        + weights.load * light
    )
    reasons: list[str] = []
    if cosine >= 0.45:
        reasons.append("writes about the same need")
    elif cosine >= 0.3:
        reasons.append("writes about a related need")
    if km is not None and near > 0.0:
        reasons.append(f"about {max(1, round(km))} km away")
    elif _remote(request, helper):
        reasons.append("can help remotely")
    if helper.windows and available >= 1.0:
        reasons.append("available in time")
    if rating.count > 0 and rating.average >= 4.0:
        kind = " for this kind of help" if in_category else ""
        members = "member" if rating.count == 1 else "members"
        reasons.append(f"rated {rating.average:.1f} by {rating.count} {members}{kind}")
    if helper.open_commitments == 0:
        reasons.append("free to help now")
    return Scored(round(total, 6), cosine, near, available, rated, light, km, tuple(reasons))
