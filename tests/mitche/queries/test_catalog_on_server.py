"""Every catalog query runs on the local server with `--enforce-indexes`, against the seeded
demo, and succeeds: production would not answer "The query requires an index" to any of them."""

from __future__ import annotations

import pytest
from google.api_core.exceptions import FailedPrecondition
from google.cloud.firestore_v1 import FieldFilter

from mitche.queries import CATALOG, build, catalog_query

from .conftest import DEMO_CLOCK_DEPENDENT, DEMO_EMPTY, DEMO_PARAMS

pytestmark = pytest.mark.server


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_the_query_runs_under_index_enforcement(enforcing_client, name):
    """The declared query, built with demo parameters, is served by the committed indexes and
    finds the demo's documents (none where the demo has none)."""
    query = build(enforcing_client, catalog_query(name), **DEMO_PARAMS[name])
    documents = list(query.stream())
    if name in DEMO_EMPTY:
        assert documents == []
    elif name not in DEMO_CLOCK_DEPENDENT:
        assert documents, f"{name} found none of the demo's documents"


@pytest.mark.parametrize("name", sorted(CATALOG))
def test_the_query_counts_under_index_enforcement(enforcing_client, name):
    """A count aggregation over the query needs the same indexes, they serve it, and it counts
    what the query returns."""
    query = build(enforcing_client, catalog_query(name), **DEMO_PARAMS[name])
    result = query.count().get()
    assert result[0][0].value == len(list(query.stream()))


def test_enforcement_is_on(enforcing_client):
    """A query outside the catalog that needs a composite index is refused, so the successes
    above mean the indexes exist, not that the server serves anything."""
    query = (
        enforcing_client.collection("requests")
        .where(filter=FieldFilter("category", "==", "food"))
        .order_by("title")
    )
    with pytest.raises(FailedPrecondition, match="requires an index"):
        list(query.stream())
