"""One error root: every exception firelab defines is a `FirelabError`, and each keeps the
built-in base it had, so `except ValueError` written before the root existed still works."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import firelab
from firelab import FirelabError
from firelab.functions import DocumentPattern, DocumentPatternError, ScheduleError, parse_schedule
from firelab.indexes import IndexFileError
from firelab.pytest_plugin import AdminRequestError
from firelab.rules import Rules, RulesSyntaxError
from firelab.rules._literals import LiteralError
from firelab.rules.cli import InputError
from firelab.server.core import Code, FirestoreError, WouldBlock
from firelab.server.core._wire import WireError
from firelab.stack import AuthEmulatorError, RulesError
from firelab.tokens import TokenError, mock_id_token

SIGNALS = {WouldBlock: "tells the caller to retry off the event loop; never reaches a user"}
"""Exceptions that are control flow inside firelab rather than errors, with the reason."""

BUILT_IN_BASES = [
    (RulesSyntaxError, ValueError),
    (LiteralError, ValueError),
    (InputError, ValueError),
    (FirestoreError, Exception),
    (IndexFileError, ValueError),
    (WireError, ValueError),
    (AuthEmulatorError, RuntimeError),
    (RulesError, ValueError),
    (ScheduleError, ValueError),
    (DocumentPatternError, ValueError),
    (TokenError, ValueError),
    (AdminRequestError, RuntimeError),
]


def _defined_exceptions() -> list[type[BaseException]]:
    """Every exception class defined in a firelab module (`__main__` modules are skipped: they
    run when imported)."""
    found: list[type[BaseException]] = []
    for info in pkgutil.walk_packages(firelab.__path__, "firelab."):
        if info.name.endswith(".__main__"):
            continue
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, BaseException) and value.__module__ == info.name:
                found.append(value)
    return found


def test_every_exception_firelab_defines_derives_from_the_root() -> None:
    """A caller catches everything firelab raises on purpose with `except FirelabError`."""
    exceptions = _defined_exceptions()
    outside = [e.__qualname__ for e in exceptions if not issubclass(e, FirelabError)]
    assert sorted(outside) == sorted(s.__qualname__ for s in SIGNALS)
    assert {e for e, _ in BUILT_IN_BASES} <= set(exceptions)


@pytest.mark.parametrize(("error", "base"), BUILT_IN_BASES, ids=lambda x: x.__qualname__)
def test_each_error_keeps_its_built_in_base(error: type[Exception], base: type[Exception]) -> None:
    """The root is added beside the built-in base, not instead of it."""
    assert issubclass(error, FirelabError)
    assert issubclass(error, base)


def test_the_root_is_exported_from_the_top_level_package() -> None:
    """`from firelab import FirelabError` is the one name to catch."""
    assert firelab.FirelabError is FirelabError
    assert FirelabError.__module__ == "firelab._errors"


@pytest.mark.parametrize(
    ("action", "error", "message"),
    [
        (lambda: mock_id_token("", project="demo-x"), TokenError, "non-empty uid"),
        (lambda: parse_schedule("every blue moon"), ScheduleError, "every blue moon"),
        (lambda: parse_schedule("61 * * * *"), ScheduleError, "minute"),
        (lambda: DocumentPattern("users/{id=x}"), DocumentPatternError, "unsupported wildcard"),
        (lambda: Rules.from_source("service cloud.firestore {"), RulesSyntaxError, "expected"),
    ],
    ids=["token", "schedule", "cron-field", "document-pattern", "rules-syntax"],
)
def test_raised_errors_are_caught_by_the_root(action, error, message) -> None:
    """Bad input raises the specific error, which the root and the old built-in base catch."""
    with pytest.raises(FirelabError, match=message) as caught:
        action()
    assert type(caught.value) is error
    assert isinstance(caught.value, ValueError)


def test_firestore_errors_carry_their_code_under_the_root() -> None:
    """A core refusal is a FirelabError with the canonical code and the emulator's text."""
    error = FirestoreError(Code.NOT_FOUND, "no entity to update")
    assert isinstance(error, FirelabError)
    assert (error.code, error.message, str(error)) == (
        Code.NOT_FOUND,
        "no entity to update",
        "NOT_FOUND: no entity to update",
    )
