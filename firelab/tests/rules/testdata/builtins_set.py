"""Conformance cases for rules.Set: ``(expression, call, expected, source)``.

See builtins_string.py for the shape of a case.
"""

from firelab.rules._values import RulesError, RulesSet

ERROR = RulesError
SET = "https://firebase.google.com/docs/reference/rules/rules.Set"


def s(*values: object) -> RulesSet:
    """The set ``[values].toSet()``."""
    return RulesSet.of(values)  # type: ignore[arg-type]


CASES = [
    (
        "['a','b'].toSet().size()",
        ("method", s("a", "b"), "size", ()),
        2,
        f"{SET} — ['a','b'].toSet().size() == 2",
    ),
    (
        "'a' in ['a','b'].toSet()",
        ("binary", "in", "a", s("a", "b")),
        True,
        f"{SET} — 'a' in ['a','b'].toSet() == true",
    ),
    ("'c' in ['a','b'].toSet()", ("binary", "in", "c", s("a", "b")), False, f"{SET} — v in x"),
    ("1.0 in [1].toSet()", ("binary", "in", 1.0, s(1)), True, f"{SET} — v in x; 1.0 == 1"),
    (
        "['a','b'].toSet() == ['b','a','a'].toSet()",
        ("binary", "==", s("a", "b"), s("b", "a", "a")),
        True,
        f"{SET} — x == y compares sets, unordered and without duplicates",
    ),
    (
        "['a'].toSet() == ['a']",
        ("binary", "==", s("a"), ["a"]),
        False,
        f"{SET} — a set never equals a list",
    ),
    (
        "['a','b'].toSet().difference(['a','c'].toSet())",
        ("method", s("a", "b"), "difference", (s("a", "c"),)),
        s("b"),
        f"{SET} — ['a','b'].toSet().difference(['a','c'].toSet()) == ['b'].toSet()",
    ),
    (
        "['a'].toSet().difference(['a'].toSet()).size()",
        ("chain", ("method", s("a"), "difference", (s("a"),)), "size", ()),
        0,
        f"{SET} — if the sets are identical, returns an empty set (size() == 0)",
    ),
    (
        "['a'].toSet().difference(['a'])",
        ("method", s("a"), "difference", (["a"],)),
        ERROR,
        f"{SET} — difference() takes a set",
    ),
    (
        "['a','b'].toSet().hasAll(['a','c'])",
        ("method", s("a", "b"), "hasAll", (["a", "c"],)),
        False,
        f"{SET} — ['a','b'].toSet().hasAll(['a','c']) == false",
    ),
    (
        "['d','e','f'].toSet().hasAll(['d','e'])",
        ("method", s("d", "e", "f"), "hasAll", (["d", "e"],)),
        True,
        f"{SET} — ['d','e','f'].toSet().hasAll(['d','e']) == true",
    ),
    (
        "['d','e'].toSet().hasAll(['d'].toSet())",
        ("method", s("d", "e"), "hasAll", (s("d"),)),
        True,
        f"{SET} — hasAll() takes a comparison set or list",
    ),
    (
        "['a','b'].toSet().hasAny(['c','d'].toSet())",
        ("method", s("a", "b"), "hasAny", (s("c", "d"),)),
        False,
        f"{SET} — ['a','b'].toSet().hasAny(['c','d'].toSet()) == false",
    ),
    (
        "['a','b'].toSet().hasAny(['a','c'].toSet())",
        ("method", s("a", "b"), "hasAny", (s("a", "c"),)),
        True,
        f"{SET} — ['a','b'].toSet().hasAny(['a','c'].toSet()) == true",
    ),
    (
        "['a','b'].toSet().hasOnly(['a','c'])",
        ("method", s("a", "b"), "hasOnly", (["a", "c"],)),
        False,
        f"{SET} — ['a','b'].toSet().hasOnly(['a','c']) == false",
    ),
    (
        "['a','b'].toSet().hasOnly(['a','b'])",
        ("method", s("a", "b"), "hasOnly", (["a", "b"],)),
        True,
        f"{SET} — ['a','b'].toSet().hasOnly(['a','b']) == true",
    ),
    (
        "['a'].toSet().hasOnly('a')",
        ("method", s("a"), "hasOnly", ("a",)),
        ERROR,
        f"{SET} — hasOnly() takes a set or list",
    ),
    (
        "['a','b'].toSet().intersection(['a','c'].toSet())",
        ("method", s("a", "b"), "intersection", (s("a", "c"),)),
        s("a"),
        f"{SET} — intersection() returns a set containing the elements the sets have in common",
    ),
    (
        "['a'].toSet().intersection(['b'].toSet()).size()",
        ("chain", ("method", s("a"), "intersection", (s("b"),)), "size", ()),
        0,
        f"{SET} — intersection(): no elements in common returns an empty set",
    ),
    (
        "['a','b'].toSet().union(['a','c'].toSet())",
        ("method", s("a", "b"), "union", (s("a", "c"),)),
        s("a", "b", "c"),
        f"{SET} — union() returns a set that contains all elements from both sets",
    ),
    (
        "['a'].toSet().union(['b'])",
        ("method", s("a"), "union", (["b"],)),
        ERROR,
        f"{SET} — union() takes a set",
    ),
    (
        "['a'].toSet()[0]",
        ("index", s("a"), 0),
        ERROR,
        f"{SET} — a set is unordered: no index operator",
    ),
    (
        "['a'].toSet() < ['b'].toSet()",
        ("binary", "<", s("a"), s("b")),
        ERROR,
        f"{SET} — sets are not ordered",
    ),
]
