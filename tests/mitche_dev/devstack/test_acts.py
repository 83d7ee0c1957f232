"""The seed writes only what members write: every key of every write it makes is one the
model lets a client write, the documents only functions write are never written, and every
decision goes through a moderator's or admin's callable."""

from __future__ import annotations

from typing import Final

from google.cloud import firestore

from mitche.callables import registry
from mitche.models import Offering, OfferingStatus, RequestStatus
from mitche.models.users import Role
from mitche_dev.devstack import DEMO_NOW, model_for_path, path_templates
from mitche_dev.devstack._acts import Call, Write, server_keys
from mitche_dev.devstack._story import SERVER_DOCUMENTS, demo_acts

ALLOWED_SERVER_KEYS: Final[dict[str, frozenset[str]]] = {}
"""Server-owned keys the seed may still write directly, by document template, each with the
reason no member or callable path exists. Empty: the settings the demo needs come from the
setup commands and `set_member_role`, every other server field from the functions."""


def _template(path: str) -> str:
    candidates = [t for t in path_templates() if t.matches(path)]
    return max(candidates, key=lambda t: t.literal_count).template


def test_no_write_carries_a_server_owned_key(client: firestore.Client) -> None:
    """Each member write the seed makes holds only keys whose field is CLIENT or
    CLIENT_CREATE on the model its path declares (the functions write the rest)."""
    offending = {}
    for act in demo_acts(DEMO_NOW, client):
        if not isinstance(act, Write):
            continue
        keys = set(server_keys(model_for_path(act.path), act.data))
        keys -= ALLOWED_SERVER_KEYS.get(_template(act.path), frozenset())
        if keys:
            offending[act.path] = sorted(keys)
    assert offending == {}


def test_documents_only_functions_write_are_never_written(client: firestore.Client) -> None:
    """No write lands on a ledger entry, reveal grant, notification, inbox summary, report log,
    analytics day or shard, or the moderators' roster."""
    written = {act.path for act in demo_acts(DEMO_NOW, client) if isinstance(act, Write)}
    assert written
    assert sorted(p for p in written if _template(p) in SERVER_DOCUMENTS) == []


def test_requests_and_offerings_are_created_as_a_client_creates_them(
    client: firestore.Client,
) -> None:
    """A request is first written open and an offering offered, whatever state the story ends
    in: acceptance, completion and expiry come after, from the requester and the functions."""
    created: dict[str, str] = {}
    for act in demo_acts(DEMO_NOW, client):
        top_level = isinstance(act, Write) and not act.merge and act.path.count("/") == 1
        if top_level and act.path.startswith(("requests/", "offerings/")):
            created[act.path] = act.data["status"]
    requests = {p: s for p, s in created.items() if p.startswith("requests/")}
    offerings = {p: s for p, s in created.items() if p.startswith("offerings/")}
    assert requests
    assert set(requests.values()) == {RequestStatus.OPEN.value}
    assert offerings
    assert set(offerings.values()) == {OfferingStatus.OFFERED.value}
    assert Offering.model_fields["status"].default is OfferingStatus.OFFERED


def test_every_decision_is_a_call_its_caller_may_make(client: firestore.Client) -> None:
    """Each call names a registered callable, and the caller's role claim is one the callable
    accepts (moderators decide, the admin names the moderator)."""
    calls = [act for act in demo_acts(DEMO_NOW, client) if isinstance(act, Call)]
    assert {call.name for call in calls} >= {"set_member_role", "resolve_report", "decide_story"}
    for call in calls:
        spec = registry()[call.name]
        assert Role(call.claims["role"]) in spec.roles, call.name
