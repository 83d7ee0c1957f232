"""Every cell of the access matrix (testdata/access_matrix.txt), run against the local
Firestore server through a real client acting as that cell's actor with a real ID token."""

from __future__ import annotations

import pytest

from .matrix import COLUMNS, cells, rows
from .scenarios import SCENARIOS

CELLS = cells()


def test_every_row_names_a_scenario_and_every_scenario_has_a_row():
    """The matrix file and the scenario registry describe the same operations."""
    named = [row.scenario for row in rows()]
    assert len(named) == len(set(named))
    assert set(named) == set(SCENARIOS)


def test_rows_state_the_scenario_operation():
    """Each row's operation column says what its scenario really does."""
    assert [
        row.scenario for row in rows() if row.operation != SCENARIOS[row.scenario].operation
    ] == []


def test_every_collection_actor_and_operation_appears():
    """The matrix covers the 13 collections and their subcollection documents, every actor
    and every operation, each collection with all five operations."""
    table = rows()
    collections = {row.collection for row in table}
    assert {
        "users",
        "identity",
        "hopeLedger",
        "revealConsents",
        "revealGrants",
        "requests",
        "location",
        "offerings",
        "events",
        "access",
        "registrations",
        "resources",
        "reviews",
        "conversations",
        "messages",
        "threads",
        "nomination",
        "hearts",
        "reports",
        "actions",
        "achievements",
        "userAchievements",
        "analytics",
        "settings",
        "leaderboards",
    } <= collections
    assert {cell.actor for cell in CELLS} == set(COLUMNS.values())
    top = {
        "users",
        "requests",
        "offerings",
        "events",
        "resources",
        "conversations",
        "messages",
        "threads",
        "reports",
        "achievements",
        "userAchievements",
        "analytics",
        "settings",
    }
    for collection in top:
        operations = {row.operation for row in table if row.collection == collection}
        assert operations == {"get", "list", "create", "update", "delete"}, collection


@pytest.mark.parametrize("cell", CELLS, ids=[cell.id for cell in CELLS])
def test_cell(cell, harness, fresh_world):
    """The actor is allowed exactly the operations the matrix marks A."""
    scenario = SCENARIOS[cell.row.scenario]
    actor = harness.actors[cell.actor]
    assert harness.allowed(scenario, actor, fresh_world) is cell.expected
