"""firestore.rules and storage.rules as files: they parse, the static checks find nothing (no
unused function, no unconditional write, no unreachable match), and a comment above each
`match` says who may do what."""

from __future__ import annotations

from pathlib import Path

import pytest

from firelab.rules import Rules, check_ruleset

ROOT = Path(__file__).resolve().parents[2]
FILES = ["firestore.rules", "storage.rules"]


@pytest.mark.parametrize("name", FILES)
def test_the_static_checks_find_nothing(name):
    """The rules engine's checks report no finding."""
    rules = Rules.from_file(ROOT / name)
    assert [str(finding) for finding in check_ruleset(rules.ruleset)] == []


@pytest.mark.parametrize("name", FILES)
def test_every_match_has_a_comment_above_it(name):
    """The line before each `match` is a comment."""
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    bare = [
        f"{name}:{number + 1}: {line.strip()}"
        for number, line in enumerate(lines)
        if line.lstrip().startswith("match ") and not lines[number - 1].lstrip().startswith("//")
    ]
    assert bare == []


def test_the_services_are_the_right_ones():
    """firestore.rules is for Cloud Firestore and storage.rules for Cloud Storage, version 2."""
    firestore = Rules.from_file(ROOT / "firestore.rules")
    storage = Rules.from_file(ROOT / "storage.rules")
    assert (firestore.service, firestore.version2) == ("cloud.firestore", True)
    assert (storage.service, storage.version2) == ("firebase.storage", True)
