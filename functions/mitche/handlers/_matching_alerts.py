"""Urgent alerts: when a critical request is listed, the few helpers best suited to it hear
of it at once, instead of waiting for a requester's call or a helper's visit.

Runs on the request's match card: a card exists only while every member may read the request
(open, public or community, screened in), so no alert ever names a request its recipient could
not open. When the card appears critical, or a listed request becomes critical, the helpers
are ranked exactly as `suggested_helpers` ranks them (hard conditions, the requester's blocks
both ways, the score), and the best `urgentAlerts` of them who asked to hear of requests near
them (`notifications.topics.nearbyRequests`, copied on their card as `alerts`) and were not
alerted in the last `urgentAlertHours` get an `urgentRequest` notification naming the
request's title (never the requester). Settings: `systemSettings/matching`.

Each alert is one transaction: the helper's card is read again (still wanting alerts, not
alerted since), the notification is created (keyed by request and helper, so a redelivery or
a retry finds it and writes nothing) and the card's `alertedAt` moves. A redelivered event
therefore alerts nobody twice, and a helper alerted for another critical request meanwhile is
skipped. Costs: the request, the ranking (the requester's blocks both ways, one read per
candidate card), then per alert the card, the recipient's user document (their language) and
the notification (3 reads; 3 writes: the notification, the unread count and the card).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from mitche.domain._calendar import stored_moment
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps, DocumentChange
from mitche.handlers._matching import rank_helpers
from mitche.handlers._matching_cards import request_matchable
from mitche.handlers._notify import notify
from mitche.models import HELPER_CARDS, Collection, NotificationKind
from mitche.services import CostSample, Unit, record_cost, run_transaction

__all__ = ["alert_for_urgent_request"]

_URGENT: Final = "critical"
"""The urgency that alerts helpers."""
_TITLE: Final = 120


def _became_urgent(change: DocumentChange) -> bool:
    after, before = change.after, change.before
    if after is None or after.get("urgency") != _URGENT:
        return False
    return before is None or before.get("urgency") != _URGENT


def _wants_alert(card: Mapping[str, Any], window: dt.timedelta, at: dt.datetime) -> bool:
    last = stored_moment(card.get("alertedAt"))
    return card.get("alerts") is True and (last is None or at - last >= window)


def _alert(
    deps: Deps,
    helper_id: str,
    request_id: str,
    title: str,
    window: dt.timedelta,
    at: dt.datetime,
) -> bool:
    """One helper alerted in one transaction; False when they no longer want alerts, were
    alerted within `window`, or already have this alert."""
    card_path = f"{HELPER_CARDS}/{helper_id}"

    def work(unit: Unit) -> bool:
        card = unit.get(card_path)
        if card is None or not _wants_alert(card, window, at):
            return False
        outcome = notify(
            unit,
            recipient=helper_id,
            kind=NotificationKind.URGENT_REQUEST,
            params={"requestTitle": title},
            target=f"{Collection.REQUESTS.value}/{request_id}",
            key=f"{NotificationKind.URGENT_REQUEST.value}:{request_id}:{helper_id}",
            at=at,
        )
        if not outcome.created:
            return False
        unit.update(card_path, {"alertedAt": at})
        return True

    return run_transaction(deps.client, HandlerName.MATCHING_URGENT_ALERTS, work)


def alert_for_urgent_request(deps: Deps, change: DocumentChange) -> int:
    """Alert the best-suited helpers of a request card that became critical; the number
    alerted."""
    if not _became_urgent(change) or change.after is None:
        return 0
    client = deps.client
    settings = deps.settings.matching(client)
    if settings.urgent_alerts == 0:
        return 0
    request_id = change.document_id
    request = client.document(f"{Collection.REQUESTS.value}/{request_id}").get()
    data = request.to_dict() if request.exists else None
    if data is None or not request_matchable(data) or data.get("urgency") != _URGENT:
        record_cost(CostSample(HandlerName.MATCHING_URGENT_ALERTS, 1, 0))
        return 0
    title = str(data.get("title", ""))[:_TITLE]
    ranking = rank_helpers(deps, request_id, change.after, settings)
    window = dt.timedelta(hours=settings.urgent_alert_hours)
    at = change.at
    record_cost(CostSample(HandlerName.MATCHING_URGENT_ALERTS, 1 + ranking.reads, 0))
    alerted = 0
    for _, helper, card in ranking.helpers:
        if alerted >= settings.urgent_alerts:
            break
        if _wants_alert(card, window, at) and _alert(
            deps, helper.uid, request_id, title, window, at
        ):
            alerted += 1
    return alerted
