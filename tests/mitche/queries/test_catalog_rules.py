"""Every client query of the catalog is allowed by firestore.rules for the caller it declares,
and a variation without its required constraint is denied.

Rules are not filters: Firestore refuses a whole query that could return one document the
caller may not read. So each client declaration carries the filters the rules require (its
`guard`); dropping any one of them must turn the query into a denial. Queries the rules allow
by role or by path (moderators' queues, an organiser's attendee list, one's own ledger) have no
guard filter: for them the variation is the same query run by a member without that role or
that path. Everything runs through the session's Firestore server with the committed rules,
as real user clients carrying their ID tokens, on the seeded demo.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Final

import pytest
from google.api_core.exceptions import PermissionDenied

from firelab.pytest_plugin import FirestoreTestServer
from firelab.server import FirestoreServer, UserClients
from mitche.queries import Caller, CatalogQuery, Where, build, client_queries
from mitche_dev.devstack import demo_accounts

from .conftest import DEMO_PARAMS, PROJECT, indexes_enforced

pytestmark = pytest.mark.server

CLAIMS: Final = {account.uid: dict(account.custom_claims) for account in demo_accounts()}

ACTING: Final = {
    Caller.VISITOR: None,
    Caller.MEMBER: "alice",
    Caller.MODERATOR: "mod",
    Caller.ADMIN: "ada",
}
"""Who runs a query of each caller, unless its parameters name the member (`uid`)."""
ORGANISER: Final = {"events.attendees": "carol"}
"""Path-scoped queries run by the member the path belongs to."""
OUTSIDER: Final = {Caller.MEMBER: "erin", Caller.MODERATOR: "erin", Caller.ADMIN: "mod"}
"""Who lacks the role or path a guard-less query relies on (erin is a plain member, mod is no
admin)."""


@pytest.fixture(scope="module")
def rules_project(demo_server: FirestoreServer) -> Iterator[FirestoreTestServer]:
    """The demo's server (firestore.rules loaded), its user clients carrying mock ID tokens
    with the demo accounts' claims; indexes are not enforced here, so that a variation refused
    by the rules is never refused for an index instead."""
    with indexes_enforced(demo_server, False), UserClients(demo_server.address) as users:
        yield FirestoreTestServer(
            host=demo_server.address, project=PROJECT, users=users, local=demo_server
        )


def _actor(query: CatalogQuery) -> str | None:
    uid = DEMO_PARAMS[query.name].get("uid")
    return ORGANISER.get(query.name, uid if isinstance(uid, str) else ACTING[query.caller])


def _allowed(server, uid: str | None, query: CatalogQuery) -> bool:
    """Run the query as `uid` (None: signed out): True if allowed, False if denied."""
    client = server.user_client(uid, CLAIMS.get(uid or "", {}), project=PROJECT)
    declared = {param.name for param in query.params()}
    params = {k: v for k, v in DEMO_PARAMS[query.name].items() if k in declared}
    try:
        list(build(client, query, **params).stream())
    except PermissionDenied:
        return False
    return True


CLIENT_QUERIES: Final = {query.name: query for query in client_queries()}


@pytest.mark.parametrize("name", sorted(CLIENT_QUERIES))
def test_the_caller_may_run_the_query(rules_project, name):
    """The declared caller runs the declared query and the rules let it through (an `in`
    filter is judged value by value, as Firestore does)."""
    query = CLIENT_QUERIES[name]
    assert _allowed(rules_project, _actor(query), query)


def _variations():
    for name, query in sorted(CLIENT_QUERIES.items()):
        if query.caller is Caller.VISITOR:
            continue
        if query.guard:
            for constraint in query.guard:
                yield pytest.param(name, constraint, id=f"{name}-without-{constraint}")
        else:
            yield pytest.param(name, None, id=f"{name}-by-an-outsider")


@pytest.mark.parametrize(("name", "constraint"), list(_variations()))
def test_the_query_without_its_required_constraint_is_denied(rules_project, name, constraint):
    """Without one of its guard filters (or its limit), or run by a member lacking the role or
    path it relies on, the query is denied."""
    query = CLIENT_QUERIES[name]
    if constraint is None:
        assert not _allowed(rules_project, OUTSIDER[query.caller], query)
        return
    if constraint == "limit":
        variant = dataclasses.replace(query, limit=None, guard=())
    else:
        kept = tuple(clause for clause in query.where if clause.field != constraint)
        variant = dataclasses.replace(
            query, where=kept, guard=tuple(g for g in query.guard if g != constraint)
        )
    assert not _allowed(rules_project, _actor(query), variant)


@pytest.mark.parametrize(
    "name", sorted(n for n, q in CLIENT_QUERIES.items() if q.caller is Caller.VISITOR)
)
def test_a_visitor_query_is_denied_without_the_public_filter(rules_project, name):
    """A signed-out visitor sees public content only: the same query asking for community
    content is denied."""
    query = CLIENT_QUERIES[name]
    community = tuple(
        Where("visibility", "==", "community") if clause.field == "visibility" else clause
        for clause in query.where
    )
    assert not _allowed(rules_project, None, dataclasses.replace(query, where=community))


@pytest.mark.parametrize(
    "name",
    sorted(
        n
        for n, q in CLIENT_QUERIES.items()
        if q.caller is Caller.MEMBER and "uid" in DEMO_PARAMS[n] and not q.path_params()
    ),
)
def test_a_member_cannot_run_anothers_own_content_query(rules_project, name):
    """A query filtered on one member's uid is denied to any other member."""
    query = CLIENT_QUERIES[name]
    owner = _actor(query)
    stranger = "erin" if owner != "erin" else "dan"
    assert not _allowed(rules_project, stranger, query)
