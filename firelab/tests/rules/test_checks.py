"""Static checks flag what parses but is almost never meant, each with a stable code."""

from __future__ import annotations

from pathlib import Path

import pytest

from firelab.rules import parse_ruleset
from firelab.rules._checks import check_ruleset

TESTDATA = Path(__file__).parent / "testdata"


def _codes(source: str) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in check_ruleset(parse_ruleset(source, "t.rules"))]


def _firestore(body: str, version: str = "rules_version = '2';\n") -> str:
    return (
        version
        + "service cloud.firestore {\n  match /databases/{database}/documents {\n"
        + body
        + "\n  }\n}\n"
    )


CASES = [
    (
        "no rules_version",
        _firestore("match /a/{b} { allow read: if false; }", ""),
        ("no-version", 1),
    ),
    (
        "unknown service",
        "rules_version = '2';\nservice cloud.bigtable { }",
        ("unknown-service", 2),
    ),
    ("write without condition", _firestore("match /a/{b} { allow create; }"), ("open-write", 4)),
    (
        "always-true literal",
        _firestore("match /a/{b} { allow read: if true; }"),
        ("always-true", 4),
    ),
    (
        "always-true through a function and ||",
        _firestore(
            "function yes() { return 1 == 1; }\nmatch /a/{b} { allow read: if x || yes(); }"
        ),
        ("always-true", 5),
    ),
    (
        "unused function",
        _firestore("function spare() { return true; }\nmatch /a/{b} { allow read: if false; }"),
        ("unused-function", 4),
    ),
    (
        "collection match",
        _firestore("match /a { allow read: if false; }"),
        ("unreachable-match", 4),
    ),
    (
        "match outside the documents root",
        "rules_version = '2';\nservice cloud.firestore {\n"
        "  match /users/{u} { allow read: if false; }\n}",
        ("unreachable-match", 3),
    ),
    (
        "storage match outside the bucket",
        "rules_version = '2';\nservice firebase.storage {\n"
        "  match /users/{u} { allow read: if false; }\n}",
        ("unreachable-match", 3),
    ),
    (
        "misspelt variable",
        _firestore("match /a/{b} { allow read: if reqest.auth != null; }"),
        ("unknown-variable", 4),
    ),
    (
        "wildcard of a sibling match",
        _firestore(
            "match /a/{b} { allow read: if c == 'x'; }\nmatch /c/{c} { allow read: if b == 'x'; }"
        ),
        ("unknown-variable", 5),
    ),
    (
        "unknown function",
        _firestore("match /a/{b} { allow read: if isOwner(); }"),
        ("unknown-function", 4),
    ),
    (
        "unknown namespaced function",
        _firestore("match /a/{b} { allow read: if math.absolute(-1) == 1; }"),
        ("unknown-function", 4),
    ),
    (
        "get() in Storage rules",
        "rules_version = '2';\nservice firebase.storage {\n"
        "  match /b/{bucket}/o/{f} { allow read: if get(/a/b) != null; }\n}",
        ("unknown-function", 3),
    ),
    (
        "mutual recursion",
        _firestore(
            "function ping(n) { return pong(n); }\nfunction pong(n) { return ping(n); }\n"
            "match /a/{b} { allow read: if ping(1); }"
        ),
        ("recursion", 4),
    ),
    (
        "eight parameters",
        _firestore(
            "function f(a, b, c, d, e, g, h, i) { return true; }\n"
            "match /x/{y} { allow read: if f(1,2,3,4,5,6,7,8) && y == 'z'; }"
        ),
        ("limit", 4),
    ),
]


@pytest.mark.parametrize(("source", "finding"), [pytest.param(s, f, id=n) for n, s, f in CASES])
def test_finding(source: str, finding: tuple[str, int]) -> None:
    """Each mistake is reported with its code at its line."""
    assert finding in _codes(source)


@pytest.mark.parametrize(
    "path",
    [
        "testdata/firestore_full.rules",
        "testdata/storage_full.rules",
    ],
)
def test_realistic_files_are_clean(path: str) -> None:
    """The realistic fixtures raise no warning at all."""
    source = (Path(__file__).parent / path).read_text()
    assert check_ruleset(parse_ruleset(source)) == []


def test_clean_constructs_are_not_flagged() -> None:
    """Namespaces, bind placeholders, lets, params and deny-all rules raise nothing."""
    source = _firestore(
        "function f(x) { let y = x + 1;\n"
        "  return y > math.abs(-1) && (/p/$(z)).bind({'z': 'q'}) != null; }\n"
        "match /a/{b}/{rest=**} { allow read: if f(1) && rest != null\n"
        "  && timestamp.date(2024, 1, 1) < request.time; }\n"
        "match /{document=**} { allow read, write: if false; }"
    )
    assert _codes(source) == []


def test_nesting_deeper_than_ten_is_a_limit() -> None:
    """Eleven nested matches exceed the documented nesting limit."""
    inner = "allow read: if false;"
    for depth in range(10):
        inner = f"match /c{depth}/{{d{depth}}} {{ {inner} }}"
    codes = _codes(_firestore(inner))
    assert ("limit", 4) in codes


def test_finding_format() -> None:
    """A finding prints as file:line:column: warning[code]: message."""
    (finding,) = [
        f
        for f in check_ruleset(parse_ruleset(_firestore("match /a/{b} { allow delete; }")))
        if f.code == "open-write"
    ]
    assert finding.format("f.rules") == (
        "f.rules:4:16: warning[open-write]: allow delete has no condition: anyone may delete here"
    )
