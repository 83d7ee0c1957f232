"""Fixtures of the rules suites: the session's Firestore server (firelab's pytest plugin), a
project with firestore.rules loaded, and a fresh world per test."""

from __future__ import annotations

import datetime as dt

import pytest

from firelab.pytest_plugin import firestore_server

from .harness import RulesHarness, stamps_request_time

__all__ = ["firestore_server", "fresh_world", "harness", "request_time_is_commit_time"]

SERVER_TIME_BUG = (
    "firelab server: request.time is the wall clock at evaluation, not the commit time that "
    "server timestamps take, so `value == request.time` never holds for a server timestamp "
    "(reproduced by tests/rules/test_server_probes.py)"
)


@pytest.fixture(scope="session")
def harness(firestore_server) -> RulesHarness:
    """The rules project, loaded once per session."""
    return RulesHarness(firestore_server)


@pytest.fixture
def fresh_world(harness: RulesHarness) -> dt.datetime:
    """An emptied project with the world seeded; the world's `now`."""
    return harness.reset()


@pytest.fixture(scope="session")
def request_time_is_commit_time(firestore_server) -> bool:
    """Whether the server gets `request.time` right (see SERVER_TIME_BUG)."""
    return stamps_request_time(firestore_server)


def expect_server_time_bug(request: pytest.FixtureRequest, affected: bool) -> None:
    """Mark the running test as an expected failure while the server has SERVER_TIME_BUG and
    the test needs a write whose times equal request.time to be allowed (strict: once the
    server is fixed, the marker stops applying)."""
    if affected and not request.getfixturevalue("request_time_is_commit_time"):
        request.applymarker(pytest.mark.xfail(reason=SERVER_TIME_BUG, strict=True))
