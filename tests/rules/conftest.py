"""Fixtures of the rules suites: the session's Firestore server (firelab's pytest plugin), a
project with firestore.rules loaded, and a fresh world per test."""

from __future__ import annotations

import datetime as dt

import pytest

from firelab.pytest_plugin import firestore_server

from .harness import RulesHarness

__all__ = ["firestore_server", "fresh_world", "harness"]


@pytest.fixture(scope="session")
def harness(firestore_server) -> RulesHarness:
    """The rules project, loaded once per session."""
    return RulesHarness(firestore_server)


@pytest.fixture
def fresh_world(harness: RulesHarness) -> dt.datetime:
    """An emptied project with the world seeded; the world's `now`."""
    return harness.reset()
