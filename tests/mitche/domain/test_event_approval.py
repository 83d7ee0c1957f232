"""When an event needs a moderator again (mitche.domain.event_approval): a table of edits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mitche.domain.event_approval import is_material_edit, needs_submission

T0 = dt.datetime(2026, 12, 7, 18, tzinfo=dt.UTC)


def make_event(state: str = "approved", **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "status": "scheduled",
        "title": "Repair café",
        "description": "Bring a lamp.",
        "startsAt": T0,
        "capacity": 20,
        "approval": {"state": state},
    }
    event.update(fields)
    return event


@pytest.mark.parametrize(
    ("change", "material"),
    [
        ({"title": "Crypto giveaway"}, True),
        ({"description": "Bring your bank card."}, True),
        ({"startsAt": T0 + dt.timedelta(hours=1)}, True),
        ({"visibility": "public"}, True),
        ({"capacity": 10}, True),
        ({"capacity": None}, False),
        ({"capacity": 40}, False),
        ({"coOrganizerIds": ["dan"]}, False),
        ({"updatedAt": T0}, False),
    ],
)
def test_material_edits(change: dict[str, Any], material: bool) -> None:
    """Content, time, place, audience and fewer places need a moderator; more places do not."""
    assert is_material_edit(make_event(), make_event(**change)) is material


def test_a_limit_appearing_is_fewer_places() -> None:
    """An unlimited event given a capacity has fewer places than before."""
    assert is_material_edit(make_event(capacity=None), make_event(capacity=500))


@pytest.mark.parametrize(
    ("before", "after", "submit"),
    [
        (None, make_event("notSubmitted"), True),
        (make_event("notSubmitted", status="draft"), make_event("notSubmitted"), True),
        (None, make_event("notSubmitted", status="draft"), False),
        (make_event("pending"), make_event("pending", title="New"), False),
        (make_event("rejected"), make_event("rejected", title="New"), True),
        (make_event("rejected"), make_event("rejected", capacity=40), False),
        (make_event("approved"), make_event("rejected"), False),
        (make_event("approved"), make_event("approved", title="New"), True),
        (make_event("approved"), make_event("approved", capacity=40), False),
        (make_event("approved"), make_event("approved", status="cancelled", title="x"), False),
    ],
)
def test_when_the_server_sets_pending(
    before: dict[str, Any] | None, after: dict[str, Any], submit: bool
) -> None:
    """Submitted, resubmitted after a rejection, or edited materially while approved by a
    writer the rules do not hold (a moderator's decision itself never resubmits)."""
    assert needs_submission(before, after) is submit
