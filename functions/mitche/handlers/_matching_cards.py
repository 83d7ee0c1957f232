"""Keep the match cards in step: a request's card while every member may read it, a helper's
card while their profile is not private (mitche.models.matching).

Each card is derived from the documents as they are when the handler runs, inside a
transaction, never from the event: deliveries are at least once and in any order, so a late
redelivery rewrites the current card, never an old one. The embedding is computed only when
the hash of the embedded text (with the model's name) differs from the card's; a change that
moves nothing matching reads (a view counted, a title of another field) costs nothing, and a
retried delivery finds the card already current and writes nothing.

Costs: a request change that matters reads the request, its card and the requester's user
document (languages) and writes the card (3 reads, 1 write); a helper change reads the user
document, their account, their card, their open standing offerings and their accepted
offerings (at least 5 reads) and writes the card.
"""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from google.cloud import firestore
from google.cloud.firestore_v1.vector import Vector

from mitche.domain.matching import Embedder, SentenceEncoder, helper_text, request_text, text_hash
from mitche.domain.nearby import AUDIENCE, SHOWN
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps, DocumentChange
from mitche.models import HELPER_CARDS, REQUEST_CARDS, Collection, HelpCategory
from mitche.queries import query_for
from mitche.services import Unit, run_transaction

__all__ = [
    "CardSync",
    "default_embedder",
    "helper_card_data",
    "request_card_data",
    "request_matchable",
    "sync_helper_card",
    "sync_helper_of_account",
    "sync_helper_of_offering",
    "sync_helper_of_user",
    "sync_request_card",
]

_REQUEST_VIEW: Final = (
    "requesterId",
    "title",
    "description",
    "tags",
    "category",
    "status",
    "visibility",
    "location",
    "remoteOk",
    "urgency",
    "deadline",
)
_OFFERING_VIEW: Final = (
    "helperId",
    "requestPath",
    "status",
    "category",
    "title",
    "description",
    "tags",
    "resource",
    "visibility",
    "availability",
    "remoteOk",
)
_KEPT: Final = ("alertedAt",)
"""Card fields no source document holds (written by the urgent alerts): kept on rewrite."""
_GOOD_STANDING: Final = frozenset({"active", "warned"})
_CATEGORIES: Final = frozenset(category.value for category in HelpCategory)
_MAX_STANDING_OFFERS: Final = 20
_MAX_COUNTED_COMMITMENTS: Final = 50
_WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_embedder_lock = threading.Lock()
_embedders: list[Embedder] = []


def default_embedder() -> Embedder:
    """The instance's embedder (the model loads on first use and stays for the instance)."""
    with _embedder_lock:
        if not _embedders:
            _embedders.append(SentenceEncoder())
        return _embedders[0]


@dataclass(frozen=True, slots=True)
class CardSync:
    """What the handler did to a card: `written`, `deleted`, or nothing (`unchanged`,
    `absent`, `skipped` when the change moved nothing matching reads); and whether it
    computed an embedding."""

    outcome: str
    embedded: bool = False


def _moderation_status(data: Mapping[str, Any]) -> str:
    moderation = data.get("moderation")
    status = moderation.get("status", "pending") if isinstance(moderation, Mapping) else "pending"
    return str(status)


def request_matchable(data: Mapping[str, Any] | None) -> bool:
    """Whether a request has a card: open, and readable by every signed-in member (public or
    community, not held, hidden or removed), exactly as the near-me lists decide."""
    if data is None or data.get("status", "open") != "open":
        return False
    return data.get("visibility", "community") in AUDIENCE and _moderation_status(data) in SHOWN


def _view(data: Mapping[str, Any] | None, keys: tuple[str, ...]) -> object:
    if data is None:
        return None
    view = {key: data.get(key) for key in keys}
    view["moderation"] = _moderation_status(data)
    return view


def _languages(user: Mapping[str, Any] | None) -> list[str]:
    if user is None:
        return []
    profile = user.get("profile")
    spoken = profile.get("languages") if isinstance(profile, Mapping) else None
    if isinstance(spoken, list) and spoken:
        return [tag for tag in spoken if isinstance(tag, str)][:10]
    preferences = user.get("preferences")
    locale = preferences.get("locale") if isinstance(preferences, Mapping) else None
    return [locale] if isinstance(locale, str) else []


def request_card_data(
    request: Mapping[str, Any], requester: Mapping[str, Any] | None
) -> dict[str, Any]:
    """The card of a matchable request, without its embedding fields."""
    location = request.get("location")
    cell = location.get("geohash") if isinstance(location, Mapping) else None
    card: dict[str, Any] = {
        "requesterId": request["requesterId"],
        "category": str(request.get("category", "other")),
        "remoteOk": bool(request.get("remoteOk", False)),
        "urgency": str(request.get("urgency", "medium")),
        "languages": _languages(requester),
    }
    if isinstance(cell, str) and len(cell) >= 6:
        card["cell"] = cell[:6]
    if isinstance(request.get("deadline"), dt.datetime):
        card["deadline"] = request["deadline"]
    return card


def _same_card(stored: Mapping[str, Any] | None, card: Mapping[str, Any]) -> bool:
    if stored is None:
        return False
    keys = (set(stored) | set(card)) - {"updatedAt"}
    return all(stored.get(key) == card.get(key) for key in keys)


class _Embeddings:
    """Embeddings computed during one handler run, by text hash (a retried transaction
    reuses them)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.computed: dict[str, Vector] = {}

    def vector(self, text: str, digest: str, stored: Mapping[str, Any] | None) -> Vector:
        if stored is not None and stored.get("textHash") == digest:
            kept = stored.get("embedding")
            if isinstance(kept, Vector):
                return kept
        if digest not in self.computed:
            row = self.embedder.embed([text])[0]
            self.computed[digest] = Vector([float(number) for number in row])
        return self.computed[digest]


def _write_card(
    unit: Unit,
    path: str,
    card: dict[str, Any],
    text: str,
    embeddings: _Embeddings,
) -> str:
    stored = unit.get(path)
    digest = text_hash(text, embeddings.embedder.name)
    card = {
        **{key: stored[key] for key in _KEPT if stored is not None and key in stored},
        **card,
        "embedding": embeddings.vector(text, digest, stored),
        "textHash": digest,
        "model": embeddings.embedder.name,
    }
    if _same_card(stored, card):
        return "unchanged"
    unit.set(path, {**card, "updatedAt": firestore.SERVER_TIMESTAMP})
    return "written"


def _remove_card(unit: Unit, path: str) -> str:
    if unit.get(path) is None:
        return "absent"
    unit.delete(path)
    return "deleted"


def sync_request_card(
    deps: Deps, change: DocumentChange, embedder: Embedder | None = None
) -> CardSync:
    """Write, refresh or delete the request's card when the change moves what matching reads."""
    if _view(change.before, _REQUEST_VIEW) == _view(change.after, _REQUEST_VIEW):
        return CardSync("skipped")
    embeddings = _Embeddings(embedder or default_embedder())
    card_path = f"{REQUEST_CARDS}/{change.document_id}"

    def work(unit: Unit) -> str:
        current = unit.get(change.path)
        if current is None or not request_matchable(current):
            return _remove_card(unit, card_path)
        requester = unit.get(f"{Collection.USERS.value}/{current['requesterId']}")
        card = request_card_data(current, requester)
        return _write_card(unit, card_path, card, request_text(current), embeddings)

    outcome = run_transaction(deps.client, HandlerName.MATCHING_REQUESTS, work)
    return CardSync(outcome, embedded=bool(embeddings.computed))


def _utc_windows(offers: Sequence[Mapping[str, Any]], now: dt.datetime) -> list[dict[str, int]]:
    """The weekly hours of the standing offerings, in UTC minutes (at today's offsets)."""
    windows: list[dict[str, int]] = []
    for offer in offers:
        availability = offer.get("availability")
        if not isinstance(availability, Mapping):
            continue
        try:
            zone = zoneinfo.ZoneInfo(str(availability.get("timeZone", "UTC")))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
        offset = now.astimezone(zone).utcoffset() or dt.timedelta()
        shift = int(offset.total_seconds() // 60)
        for hours in availability.get("weeklyHours", []) or []:
            if not isinstance(hours, Mapping) or hours.get("day") not in _WEEKDAYS:
                continue
            day = _WEEKDAYS.index(str(hours["day"]))
            opens, closes = (
                int(str(hours[key])[:2]) * 60 + int(str(hours[key])[3:5])
                for key in ("opensAt", "closesAt")
            )
            start, end = day * 1440 + opens - shift, day * 1440 + closes - shift
            for begin, finish in _split_week(start, end):
                weekday = begin // 1440
                windows.append(
                    {"weekday": weekday, "start": begin % 1440, "end": finish - weekday * 1440}
                )
    return windows[:42]


def _split_week(start: int, end: int) -> list[tuple[int, int]]:
    """A [start, end) span of week minutes (may leave the week) as spans within single days."""
    week = 7 * 1440
    start, end = start % week, start % week + (end - start)
    spans: list[tuple[int, int]] = []
    while start < end:
        day_end = (start // 1440 + 1) * 1440
        finish = min(end, day_end)
        spans.append((start % week, (start % week) + (finish - start)))
        start = finish
    return spans


def _wants_alerts(notifications: object) -> bool:
    topics = notifications.get("topics") if isinstance(notifications, Mapping) else None
    return isinstance(topics, Mapping) and topics.get("nearbyRequests") is True


def _ratings_by_category(stats: object) -> dict[str, dict[str, Any]]:
    """`stats.ratingsByCategory` as the card keeps it: the categories rated at least once (at
    most one per category of help, so the card stays small)."""
    found = stats.get("ratingsByCategory") if isinstance(stats, Mapping) else None
    if not isinstance(found, Mapping):
        return {}
    return {
        str(category): {
            "count": int(summary.get("count", 0)),
            "average": float(summary.get("average", 0.0)),
        }
        for category, summary in sorted(found.items())
        if category in _CATEGORIES
        and isinstance(summary, Mapping)
        and int(summary.get("count", 0)) > 0
    }


def helper_card_data(
    user: Mapping[str, Any],
    account: Mapping[str, Any] | None,
    offers: Sequence[Mapping[str, Any]],
    commitments: int,
    now: dt.datetime,
) -> dict[str, Any]:
    """The card of a member who may be suggested, without its embedding fields."""
    profile = user.get("profile") or {}
    notifications = user.get("notifications") or {}
    stats = user.get("stats") or {}
    rating = stats.get("rating") or {} if isinstance(stats, Mapping) else {}
    security = (account or {}).get("security") or {}
    area = profile.get("homeArea") if isinstance(profile, Mapping) else None
    categories = sorted({str(offer["category"]) for offer in offers if offer.get("category")})
    card: dict[str, Any] = {
        "alias": profile.get("anonymousAlias"),
        "active": security.get("accountStatus", "active") in _GOOD_STANDING,
        "categories": categories,
        "travelKm": float(notifications.get("nearbyRadiusKm", 5)),
        "remoteOk": any(bool(offer.get("remoteOk")) for offer in offers),
        "languages": _languages(user),
        "windows": _utc_windows(offers, now),
        "ratingAverage": float(rating.get("average", 0.0)),
        "ratingCount": int(rating.get("count", 0)),
        "ratingsByCategory": _ratings_by_category(stats),
        "openCommitments": commitments,
        "alerts": _wants_alerts(notifications),
    }
    if isinstance(area, Mapping) and isinstance(area.get("geohash"), str):
        card["area"] = str(area["geohash"])[:5]
    return card


def _offer_texts(offers: Sequence[Mapping[str, Any]]) -> list[str]:
    return [
        ". ".join(str(offer.get(key, "")) for key in ("title", "description") if offer.get(key))
        for offer in offers
    ]


def sync_helper_card(deps: Deps, uid: str, embedder: Embedder | None = None) -> CardSync:
    """Write, refresh or delete a member's helper card from their documents as they are now."""
    embeddings = _Embeddings(embedder or default_embedder())
    user_path = f"{Collection.USERS.value}/{uid}"
    card_path = f"{HELPER_CARDS}/{uid}"
    now = deps.now()

    def work(unit: Unit) -> str:
        user = unit.get(user_path)
        profile = user.get("profile") if user is not None else None
        privacy = (user or {}).get("privacy") or {}
        if (
            user is None
            or not isinstance(profile, Mapping)
            or not profile.get("anonymousAlias")
            or privacy.get("profileVisibility") == "private"
        ):
            return _remove_card(unit, card_path)
        account = unit.get(f"{user_path}/private/account")
        offers = [
            data
            for _, data in unit.query(
                query_for(unit.client, "functions.standingOffersOf", uid=uid, limit=20)
            )
        ]
        accepted = unit.query(
            query_for(
                unit.client,
                "functions.acceptedOfferingsOf",
                uid=uid,
                limit=_MAX_COUNTED_COMMITMENTS,
            )
        )
        card = helper_card_data(user, account, offers, len(accepted), now)
        text = helper_text(profile, _offer_texts(offers))
        return _write_card(unit, card_path, card, text, embeddings)

    outcome = run_transaction(deps.client, HandlerName.MATCHING_HELPERS, work)
    return CardSync(outcome, embedded=bool(embeddings.computed))


def _user_view(data: Mapping[str, Any] | None) -> object:
    if data is None:
        return None
    privacy = data.get("privacy") or {}
    notifications = data.get("notifications") or {}
    stats = data.get("stats") or {}
    return (
        data.get("profile"),
        privacy.get("profileVisibility") if isinstance(privacy, Mapping) else None,
        notifications.get("nearbyRadiusKm") if isinstance(notifications, Mapping) else None,
        _wants_alerts(notifications),
        stats.get("rating") if isinstance(stats, Mapping) else None,
        stats.get("ratingsByCategory") if isinstance(stats, Mapping) else None,
    )


def _standing(data: Mapping[str, Any] | None) -> object:
    security = (data or {}).get("security") or {}
    return security.get("accountStatus") if isinstance(security, Mapping) else None


def sync_helper_of_user(
    deps: Deps, change: DocumentChange, embedder: Embedder | None = None
) -> CardSync:
    """A user document changed: refresh their card when what matching reads moved (profile,
    profile visibility, travel distance, urgent alerts wanted, ratings overall and per
    category); counters and stamps cost nothing."""
    if _user_view(change.before) == _user_view(change.after):
        return CardSync("skipped")
    return sync_helper_card(deps, change.document_id, embedder)


def sync_helper_of_account(
    deps: Deps, change: DocumentChange, embedder: Embedder | None = None
) -> CardSync:
    """A private account changed: refresh the card when the account's standing moved (a
    suspension takes the helper out of every search at once)."""
    if _standing(change.before) == _standing(change.after):
        return CardSync("skipped")
    return sync_helper_card(deps, change.path.split("/")[1], embedder)


def sync_helper_of_offering(
    deps: Deps, change: DocumentChange, embedder: Embedder | None = None
) -> CardSync:
    """An offering changed: refresh its helper's card when a standing offer or a commitment
    moved (status, category, text, hours, remote help)."""
    if _view(change.before, _OFFERING_VIEW) == _view(change.after, _OFFERING_VIEW):
        return CardSync("skipped")
    side = change.after or change.before or {}
    helper = side.get("helperId")
    if not isinstance(helper, str):
        return CardSync("skipped")
    return sync_helper_card(deps, helper, embedder)
