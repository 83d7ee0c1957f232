"""The two suggestion callables: helpers for my request, requests I could help with.

Both start from a vector search over the match cards (mitche.queries
`functions.nearestHelpers` / `functions.nearestRequests`: the `candidates` nearest by cosine,
of the same model, helpers in good standing), then apply the hard conditions and rank by the
score of mitche.domain.matching with the weights of `systemSettings/matching`.

What a member learns: a requester gets their helpers' anonymous aliases with the reasons and
the distance in whole kilometres between published cells, never a uid or a place; only the
requester may ask about their request (anyone else is refused, whether the request exists or
not). A helper gets request ids, each read again through the same test the near-me lists use
(open, public or community, not held, hidden or removed), so a request made private or held
after its card was written is never named.

Blocks: a member never sees one they blocked or who blocked them, either way round
(`users/{uid}/blocks`, read both directions for the caller alone: whom they blocked, and who
blocked them through a collection-group query). The blocked member cannot tell a block from a
helper who does not fit: both are simply absent.

Reads per call: the request and its card (or the helper's card), the caller's blocks both ways
(at least one read each), one per card the search returns (at most `candidates`), and for a
helper one per request named.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Annotated, Any, Final

from google.cloud import firestore
from google.cloud.firestore_v1.vector import Vector
from google.cloud.firestore_v1.vector_query import VectorQuery
from pydantic import Field, ValidationError

from mitche.domain._calendar import stored_moment
from mitche.domain.matching import (
    ALL_CATEGORIES,
    HelperFacts,
    Rating,
    RequestFacts,
    Scored,
    WeeklyWindow,
    Weights,
    exclusion,
    score,
)
from mitche.domain.nearby import cell_centre
from mitche.errors import (
    FailedPreconditionError,
    InvalidArgumentError,
    PermissionDeniedError,
    UnauthenticatedError,
)
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps
from mitche.handlers._matching_cards import request_matchable
from mitche.models import HELPER_CARDS, REQUEST_CARDS, Collection, MatchingSettings, MitcheModel
from mitche.queries import nearest_query_for, query_for
from mitche.queries._matching_queries import BLOCKS_READ
from mitche.services import CostSample, record_cost

__all__ = [
    "Blocks",
    "HelperRanking",
    "HelperSuggestions",
    "HelperSuggestionsRequest",
    "RequestSuggestions",
    "RequestSuggestionsRequest",
    "SuggestedHelper",
    "SuggestedRequest",
    "blocked_with",
    "helper_facts",
    "rank_helpers",
    "request_facts",
    "suggest_helpers",
    "suggest_requests",
    "weights_of",
]

_DISTANCE: Final = "distance"
_DocumentId = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^/]+$")]


class HelperSuggestionsRequest(MitcheModel):
    """What a requester sends: the request to find helpers for."""

    request_id: _DocumentId
    """The request's id (`requests/{requestId}`); the caller must be its requester."""


class SuggestedHelper(MitcheModel):
    """A helper suggested to a requester, known by their alias only."""

    alias: str
    """The helper's anonymous alias."""
    score: float
    """The score (0 to 1) the suggestions are ranked by."""
    reasons: list[str]
    """Why they were suggested, in the member's words."""
    distance_km: int | None
    """Whole kilometres between the published cells; None for remote help."""


class HelperSuggestions(MitcheModel):
    """The helpers suggested for a request, best first."""

    request_id: str
    helpers: list[SuggestedHelper]


class RequestSuggestionsRequest(MitcheModel):
    """What a helper sends: nothing but, optionally, how many requests to return."""

    limit: Annotated[int, Field(ge=1, le=50)] | None = None
    """At most this many (the settings' `suggestions` when absent)."""


class SuggestedRequest(MitcheModel):
    """A request a helper could help with."""

    request_id: str
    """The request's id; the app reads it through the rules."""
    score: float
    reasons: list[str]
    distance_km: int | None


class RequestSuggestions(MitcheModel):
    """The requests suggested to a helper, best first."""

    requests: list[SuggestedRequest]


def weights_of(settings: MatchingSettings) -> Weights:
    """The score's weights and limits from `systemSettings/matching`."""
    return Weights(
        similarity=settings.similarity_weight,
        distance=settings.distance_weight,
        availability=settings.availability_weight,
        rating=settings.rating_weight,
        load=settings.load_weight,
        max_open_commitments=settings.max_open_commitments,
        availability_horizon_hours=settings.availability_horizon_hours,
    )


def request_facts(request_id: str, card: Mapping[str, Any]) -> RequestFacts:
    """A request card as matching's facts (its cell's centre as its place)."""
    cell = card.get("cell")
    return RequestFacts(
        request_id=request_id,
        requester_id=str(card.get("requesterId", "")),
        category=str(card.get("category", "other")),
        point=cell_centre(cell) if isinstance(cell, str) and cell else None,
        remote_ok=bool(card.get("remoteOk", False)),
        urgency=str(card.get("urgency", "medium")),
        deadline=stored_moment(card.get("deadline")),
        languages=frozenset(card.get("languages") or ()),
    )


def _ratings(card: Mapping[str, Any]) -> dict[str, Rating]:
    """The card's ratings: over all categories (`*`), and per category rated at least once."""
    ratings = {
        ALL_CATEGORIES: Rating(
            float(card.get("ratingAverage", 0.0)), int(card.get("ratingCount", 0))
        )
    }
    by_category = card.get("ratingsByCategory")
    if isinstance(by_category, Mapping):
        for category, summary in by_category.items():
            if isinstance(summary, Mapping) and int(summary.get("count", 0)) > 0:
                ratings[str(category)] = Rating(
                    float(summary.get("average", 0.0)), int(summary.get("count", 0))
                )
    return ratings


def helper_facts(uid: str, card: Mapping[str, Any]) -> HelperFacts:
    """A helper card as matching's facts (their area's centre as their place, their ratings
    overall and per category)."""
    area = card.get("area")
    windows = tuple(
        WeeklyWindow(int(w["weekday"]), int(w["start"]), int(w["end"]))
        for w in card.get("windows") or ()
        if isinstance(w, Mapping)
    )
    return HelperFacts(
        uid=uid,
        alias=str(card.get("alias", "")),
        categories=frozenset(card.get("categories") or ()),
        point=cell_centre(area) if isinstance(area, str) and area else None,
        travel_km=float(card.get("travelKm", 5.0)),
        remote_ok=bool(card.get("remoteOk", False)),
        languages=frozenset(card.get("languages") or ()),
        windows=windows,
        ratings=_ratings(card),
        open_commitments=int(card.get("openCommitments", 0)),
        active=bool(card.get("active", True)),
    )


def _parse(model: type[Any], data: object) -> Any:
    try:
        return model.model_validate(data or {})
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(step) for step in e['loc']) or 'data'}: {e['msg']}"
            for e in error.errors(include_url=False)
        )
        raise InvalidArgumentError(f"invalid request: {problems}", cause=error) from error


def _vector(card: Mapping[str, Any]) -> Vector:
    vector = card.get("embedding")
    if not isinstance(vector, Vector):
        raise FailedPreconditionError("the card has no embedding yet; try again in a moment")
    return vector


def _neighbours(query: VectorQuery) -> list[tuple[str, dict[str, Any], float]]:
    """(id, card, cosine similarity) of the nearest cards the search found."""
    found = []
    for snapshot in query.stream():
        data = snapshot.to_dict() or {}
        distance = data.pop(_DISTANCE, 1.0)
        found.append((snapshot.id, data, 1.0 - float(distance)))
    return found


@dataclasses.dataclass(frozen=True, slots=True)
class Blocks:
    """The members on the other side of a member's blocks, and what reading them cost."""

    members: frozenset[str]
    reads: int


def blocked_with(client: firestore.Client, uid: str) -> Blocks:
    """Members `uid` blocked and members who blocked `uid` (at most `BLOCKS_READ` each way)."""
    mine = list(query_for(client, "functions.blocksOf", uid=uid, limit=BLOCKS_READ).stream())
    theirs = list(query_for(client, "functions.blockersOf", uid=uid, limit=BLOCKS_READ).stream())
    members = {snapshot.id for snapshot in mine}
    for snapshot in theirs:
        blocker = snapshot.reference.parent.parent
        if blocker is not None:
            members.add(blocker.id)
    return Blocks(frozenset(members), max(1, len(mine)) + max(1, len(theirs)))


def _km(scored: Scored) -> int | None:
    return None if scored.distance_km is None else max(1, round(scored.distance_km))


@dataclasses.dataclass(frozen=True, slots=True)
class HelperRanking:
    """The helpers who fit a request, best first, with the reads the ranking cost."""

    helpers: list[tuple[Scored, HelperFacts, Mapping[str, Any]]]
    """Each helper's score, facts and card (as the search projected it)."""
    reads: int


def rank_helpers(
    deps: Deps, request_id: str, card: Mapping[str, Any], settings: MatchingSettings
) -> HelperRanking:
    """Every helper among the request card's nearest who passes the hard conditions (the
    requester's blocks both ways included), ranked by score, ties by uid."""
    client = deps.client
    weights, now = weights_of(settings), deps.now()
    facts = request_facts(request_id, card)
    blocks = blocked_with(client, facts.requester_id)
    neighbours = _neighbours(
        nearest_query_for(
            client,
            "functions.nearestHelpers",
            _vector(card),
            model=str(card.get("model")),
            neighbours=settings.candidates,
        )
    )
    ranked: list[tuple[float, str, Scored, HelperFacts, Mapping[str, Any]]] = []
    for helper_id, helper_card, similarity in neighbours:
        helper = helper_facts(helper_id, helper_card)
        if helper_id in blocks.members:
            helper = dataclasses.replace(helper, blocked=frozenset({facts.requester_id}))
        if exclusion(facts, helper, weights) is None:
            scored = score(facts, helper, similarity, weights, now)
            ranked.append((-scored.total, helper_id, scored, helper, helper_card))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return HelperRanking(
        [(scored, helper, card) for _, _, scored, helper, card in ranked],
        blocks.reads + max(1, len(neighbours)),
    )


def suggest_helpers(deps: Deps, uid: str | None, data: object) -> dict[str, Any]:
    """Helpers for the caller's request, best first (aliases and reasons only)."""
    if uid is None:
        raise UnauthenticatedError("sign in to see suggested helpers")
    asked: HelperSuggestionsRequest = _parse(HelperSuggestionsRequest, data)
    client = deps.client
    request = client.document(f"{Collection.REQUESTS.value}/{asked.request_id}").get()
    if not request.exists or (request.to_dict() or {}).get("requesterId") != uid:
        raise PermissionDeniedError("only a request's requester sees the helpers suggested for it")
    card_snapshot = client.document(f"{REQUEST_CARDS}/{asked.request_id}").get()
    if not card_snapshot.exists:
        raise FailedPreconditionError(
            "the request is not open to helpers (open, visible to members and approved), or "
            "is being prepared for matching; try again in a moment"
        )
    card = card_snapshot.to_dict() or {}
    settings = deps.settings.matching(client)
    ranking = rank_helpers(deps, asked.request_id, card, settings)
    record_cost(CostSample(HandlerName.MATCHING_SUGGEST_HELPERS, 2 + ranking.reads, 0))
    helpers = [
        SuggestedHelper(
            alias=helper.alias,
            score=round(scored.total, 4),
            reasons=list(scored.reasons),
            distance_km=_km(scored),
        )
        for scored, helper, _ in ranking.helpers[: settings.suggestions]
    ]
    answer = HelperSuggestions(request_id=asked.request_id, helpers=helpers)
    return answer.model_dump(mode="json", by_alias=True)


def suggest_requests(deps: Deps, uid: str | None, data: object) -> dict[str, Any]:
    """Requests the calling helper could help with, best first (ids the rules let them read)."""
    if uid is None:
        raise UnauthenticatedError("sign in to see requests you could help with")
    asked: RequestSuggestionsRequest = _parse(RequestSuggestionsRequest, data)
    client = deps.client
    card_snapshot = client.document(f"{HELPER_CARDS}/{uid}").get()
    if not card_snapshot.exists:
        raise FailedPreconditionError(
            "suggestions need a profile visible to members (alias, skills or offers); if you "
            "just changed it, try again in a moment"
        )
    card = card_snapshot.to_dict() or {}
    helper = helper_facts(uid, card)
    if not helper.active:
        raise PermissionDeniedError("suggestions are for members in good standing")
    blocks = blocked_with(client, uid)
    helper = dataclasses.replace(helper, blocked=blocks.members)
    settings = deps.settings.matching(client)
    weights, now = weights_of(settings), deps.now()
    limit = asked.limit or settings.suggestions
    neighbours = _neighbours(
        nearest_query_for(
            client,
            "functions.nearestRequests",
            _vector(card),
            model=str(card.get("model")),
            neighbours=settings.candidates,
        )
    )
    ranked: list[tuple[float, str, Scored]] = []
    for request_id, request_card, similarity in neighbours:
        facts = request_facts(request_id, request_card)
        if exclusion(facts, helper, weights) is None:
            scored = score(facts, helper, similarity, weights, now)
            ranked.append((-scored.total, request_id, scored))
    ranked.sort(key=lambda item: (item[0], item[1]))
    chosen = ranked[:limit]
    references = [client.document(f"{Collection.REQUESTS.value}/{rid}") for _, rid, _ in chosen]
    readable = {
        snapshot.id
        for snapshot in client.get_all(references)
        if snapshot.exists and request_matchable(snapshot.to_dict())
    }
    record_cost(
        CostSample(
            HandlerName.MATCHING_SUGGEST_REQUESTS,
            1 + blocks.reads + max(1, len(neighbours)) + len(chosen),
            0,
        )
    )
    requests = [
        SuggestedRequest(
            request_id=request_id,
            score=round(scored.total, 4),
            reasons=list(scored.reasons),
            distance_km=_km(scored),
        )
        for _, request_id, scored in chosen
        if request_id in readable
    ]
    return RequestSuggestions(requests=requests).model_dump(mode="json", by_alias=True)
