"""Urgent alerts through real match cards on the local server: a critical request alerts the
best-suited helpers who asked to hear of requests near them, once, at most one alert per
helper per window, never a helper the requester blocked or who blocked them."""

from __future__ import annotations

from typing import Any

import pytest

from mitche.models import HELPER_CARDS, REQUEST_CARDS

from .test_matching_callables import (
    CROIX_ROUSSE,
    T0,
    make_request,
    make_user,
    put_request,
    put_user,
)

ALERTS = "match_urgent_alerts"
DRIVER_BIO = "Je conduis les personnes malades à leurs rendez-vous à l'hôpital."


def put_helper(store, uid: str, alias: str, *, alerts: bool, bio: str = DRIVER_BIO) -> None:
    data = make_user(alias, CROIX_ROUSSE, ["fr"], ["conduite"], bio)
    data["notifications"]["topics"] = {"nearbyRequests": alerts}
    put_user(store, uid, data)


def deliver_card(store, request_id: str, n: int = 0) -> None:
    """The card trigger, as the runtime calls it once the card of `request_id` is created."""
    path = f"{REQUEST_CARDS}/{request_id}"
    event = store.event(path, None, store.proto(path), event_id=f"card-{request_id}-{n}", at=T0)
    store.deliver(ALERTS, event)


def alerts_of(store, uid: str) -> list[dict[str, Any]]:
    entries = store.client.collection(f"users/{uid}/notifications").stream()
    return [e.to_dict() for e in entries if e.to_dict()["kind"] == "urgentRequest"]


def post(store, request_id: str, requester: str, urgency: str) -> None:
    title = f"Urgence : conduite à l'hôpital ({request_id})"
    text = "Il faut me conduire à l'hôpital tout de suite."
    put_request(store, request_id, make_request(requester, title, text, urgency=urgency))


@pytest.fixture
def city(store):
    """Nina needs help; Omar and Sven drive people to hospital and want alerts, Pia drives too
    but did not ask for alerts."""
    put_user(store, "nina", make_user("Lune", CROIX_ROUSSE, ["fr"], [], "Retraitée."))
    put_helper(store, "omar", "Heron", alerts=True)
    put_helper(store, "sven", "Otter", alerts=True)
    put_helper(store, "pia", "Fennel", alerts=False)
    return store


def test_a_critical_request_alerts_the_helpers_who_asked_once(city):
    """Omar and Sven are alerted with the request's title, never the requester; Pia, who did
    not ask, is not; delivering the event again alerts nobody twice."""
    post(city, "lift", "nina", "critical")
    deliver_card(city, "lift")
    deliver_card(city, "lift", n=1)
    for helper in ("omar", "sven"):
        (alert,) = alerts_of(city, helper)
        assert alert["target"].path == "requests/lift"
        assert "conduite à l'hôpital (lift)" in alert["body"]
        assert "nina" not in str(alert)
        assert "Lune" not in str(alert)
        assert city.get(f"{HELPER_CARDS}/{helper}")["alertedAt"] is not None
    assert alerts_of(city, "pia") == []
    assert city.get("users/omar/notificationInbox/summary")["unread"] == 1


def test_a_request_that_is_not_critical_alerts_nobody(city):
    post(city, "lift", "nina", "high")
    deliver_card(city, "lift")
    assert alerts_of(city, "omar") == alerts_of(city, "sven") == []


def test_a_helper_alerted_recently_is_not_alerted_again(city):
    """A second critical request in the window goes to nobody already alerted; the helper's
    card keeps `alertedAt` when a profile change rewrites it."""
    post(city, "lift", "nina", "critical")
    deliver_card(city, "lift")
    put_helper(city, "omar", "Heron", alerts=True, bio=DRIVER_BIO + " Le soir aussi.")
    assert city.get(f"{HELPER_CARDS}/omar")["alertedAt"] is not None
    post(city, "lift-2", "nina", "critical")
    deliver_card(city, "lift-2")
    assert [a["target"].path for a in alerts_of(city, "omar")] == ["requests/lift"]


@pytest.mark.parametrize(
    ("blocker", "blocked"), [("nina", "omar"), ("omar", "nina")], ids=["by-requester", "by-helper"]
)
def test_no_alert_crosses_a_block(city, blocker, blocked):
    city.put(f"users/{blocker}/blocks/{blocked}", {"memberId": blocked, "createdAt": T0})
    post(city, "lift", "nina", "critical")
    deliver_card(city, "lift")
    assert alerts_of(city, "omar") == []
    assert len(alerts_of(city, "sven")) == 1


def test_alerts_can_be_turned_off_in_the_settings(city):
    """`urgentAlerts: 0` in systemSettings/matching alerts nobody."""
    city.put("systemSettings/matching", {"urgentAlerts": 0})
    post(city, "lift", "nina", "critical")
    deliver_card(city, "lift")
    assert alerts_of(city, "omar") == alerts_of(city, "sven") == []
