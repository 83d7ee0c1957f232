"""Conformance cases for rules.Map and rules.MapDiff: ``(expression, call, expected, source)``.

See builtins_string.py for the shape of a case.
"""

from firelab.rules._values import RulesError, RulesSet

ERROR = RulesError
MAP = "https://firebase.google.com/docs/reference/rules/rules.Map"
DIFF = "https://firebase.google.com/docs/reference/rules/rules.MapDiff"


def keys(*names: str) -> RulesSet:
    """The set ``[names].toSet()``."""
    return RulesSet.of(names)


def diff(after: dict[str, object], before: dict[str, object]) -> tuple[object, ...]:
    """The call ``after.diff(before)``."""
    return ("method", after, "diff", (before,))


CASES = [
    # operators
    ("{'a': 1}['a']", ("index", {"a": 1}, "a"), 1, f"{MAP} — x[k] gets the value at key k"),
    ("{'a': 1}.a", ("member", {"a": 1}, "a"), 1, f"{MAP} — x.k gets the value at key k"),
    (
        "{'a': 1}['b']",
        ("index", {"a": 1}, "b"),
        ERROR,
        f"{MAP} — x[k] of a missing key is an error",
    ),
    ("{'a': 1}.b", ("member", {"a": 1}, "b"), ERROR, f"{MAP} — x.k of a missing key is an error"),
    ("{'a': 1}[1]", ("index", {"a": 1}, 1), ERROR, f"{MAP} — keys must be of type rules.String"),
    (
        "'a' in {'a': 1}",
        ("binary", "in", "a", {"a": 1}),
        True,
        f"{MAP} — k in x checks if key k exists",
    ),
    (
        "'b' in {'a': 1}",
        ("binary", "in", "b", {"a": 1}),
        False,
        f"{MAP} — k in x for a missing key",
    ),
    (
        "1 in {'a': 1}",
        ("binary", "in", 1, {"a": 1}),
        ERROR,
        f"{MAP} — keys must be of type rules.String",
    ),
    (
        "{'a': 1} == {'a': 1}",
        ("binary", "==", {"a": 1}, {"a": 1}),
        True,
        f"{MAP} — x == y compares maps",
    ),
    (
        "{'a': 1, 'b': 2} == {'b': 2, 'a': 1}",
        ("binary", "==", {"a": 1, "b": 2}, {"b": 2, "a": 1}),
        True,
        f"{MAP} — x == y ignores key order",
    ),
    (
        "{'a': 1} == {'a': 1.0}",
        ("binary", "==", {"a": 1}, {"a": 1.0}),
        True,
        f"{MAP} — x == y; values compare with the rules' == (int equals float by value)",
    ),
    (
        "{'a': 1} == {'a': 1, 'b': 2}",
        ("binary", "==", {"a": 1}, {"a": 1, "b": 2}),
        False,
        f"{MAP} — x == y",
    ),
    ("{'a': 1} + {'b': 2}", ("binary", "+", {"a": 1}, {"b": 2}), ERROR, f"{MAP} — maps have no +"),
    # get
    (
        "{'a': 3, 'b': 2}.get('c', 7)",
        ("method", {"a": 3, "b": 2}, "get", ("c", 7)),
        7,
        f'{MAP} — {{"a": 3,"b": 2}}.get("c", 7) == 7',
    ),
    (
        "{'a': [2, 7], 'b': [9, 12]}.get('c', [1, 1])",
        ("method", {"a": [2, 7], "b": [9, 12]}, "get", ("c", [1, 1])),
        [1, 1],
        f"{MAP} — default result can be any type, e.g. a list such as [1, 1]",
    ),
    (
        "{'a': [2, 7], 'b': [9, 12]}.get('b', [1, 1])",
        ("method", {"a": [2, 7], "b": [9, 12]}, "get", ("b", [1, 1])),
        [9, 12],
        f"{MAP} — return a list on a successful match",
    ),
    (
        "{'a': {'b': 1}, 'c': 2}.get(['a', 'b'], 7)",
        ("method", {"a": {"b": 1}, "c": 2}, "get", (["a", "b"], 7)),
        1,
        f'{MAP} — for nested Maps, use list ["a", "b"] to look up sub-key "b"',
    ),
    (
        "{'a': {'b': 1}}.get(['a', 'c'], 0)",
        ("method", {"a": {"b": 1}}, "get", (["a", "c"], 0)),
        0,
        f"{MAP} — get() returns the default when the sub-key is missing",
    ),
    (
        "{'a': 1}.get(['a', 'b'], 0)",
        ("method", {"a": 1}, "get", (["a", "b"], 0)),
        0,
        f"{MAP} — get() returns the default when a key on the way is not a map",
    ),
    (
        "{'a': null}.get('a', 0)",
        ("method", {"a": None}, "get", ("a", 0)),
        None,
        f"{MAP} — get() returns a present null value, not the default",
    ),
    (
        "{'a': 1}.get(1, 0)",
        ("method", {"a": 1}, "get", (1, 0)),
        ERROR,
        f"{MAP} — key is a string or list",
    ),
    (
        "{'a': 1}.get([], 0)",
        ("method", {"a": 1}, "get", ([], 0)),
        ERROR,
        f"{MAP} — a key list is non-empty",
    ),
    (
        "{'a': 1}.get('a')",
        ("method", {"a": 1}, "get", ("a",)),
        ERROR,
        f"{MAP} — get() requires a default",
    ),
    # keys / values / size
    (
        "{'a': 1, 'b': 2}.keys()",
        ("method", {"a": 1, "b": 2}, "keys", ()),
        ["a", "b"],
        f"{MAP} — keys() gets the list of keys in the map",
    ),
    (
        "{'a': 1, 'b': 2}.values()",
        ("method", {"a": 1, "b": 2}, "values", ()),
        [1, 2],
        f"{MAP} — values() gets the list of values in the map",
    ),
    (
        "{'a': 1, 'b': 2}.size()",
        ("method", {"a": 1, "b": 2}, "size", ()),
        2,
        f"{MAP} — size() counts entries",
    ),
    ("{}.size()", ("method", {}, "size", ()), 0, f"{MAP} — size() of an empty map"),
    (
        "{'a': 1, 'b': 2}.keys().hasOnly(['a', 'b', 'c'])",
        ("chain", ("method", {"a": 1, "b": 2}, "keys", ()), "hasOnly", (["a", "b", "c"],)),
        True,
        f"{MAP} — keys() is a rules.List, with the List methods",
    ),
    # diff and MapDiff
    (
        "{'a': 1}.diff(1)",
        ("method", {"a": 1}, "diff", (1,)),
        ERROR,
        f"{MAP} — diff(map_to_compare): Map",
    ),
    (
        "{'a':1}.diff({}).addedKeys()",
        ("chain", diff({"a": 1}, {}), "addedKeys", ()),
        keys("a"),
        f'{DIFF} — {{"a":1}}.diff({{}}).addedKeys() == ["a"].toSet()',
    ),
    (
        "({'a':0, 'c':0, 'u':0}).diff({'r':0, 'c':1, 'u': 0}).affectedKeys()",
        ("chain", diff({"a": 0, "c": 0, "u": 0}, {"r": 0, "c": 1, "u": 0}), "affectedKeys", ()),
        keys("a", "r", "c"),
        f'{DIFF} — ...affectedKeys() == ["a", "r", "c"].toSet()',
    ),
    (
        "{'a':0}.diff({'a':1, 'b':4}).changedKeys()",
        ("chain", diff({"a": 0}, {"a": 1, "b": 4}), "changedKeys", ()),
        keys("a"),
        f'{DIFF} — {{"a":0}}.diff({{"a":1, "b":4}}).changedKeys() == ["a"].toSet()',
    ),
    (
        "{}.diff({'a':1}).removedKeys()",
        ("chain", diff({}, {"a": 1}), "removedKeys", ()),
        keys("a"),
        f'{DIFF} — {{}}.diff({{"a":1}}).removedKeys() == ["a"].toSet()',
    ),
    (
        "{'a': 0}.diff({'a':0}).unchangedKeys()",
        ("chain", diff({"a": 0}, {"a": 0}), "unchangedKeys", ()),
        keys("a"),
        f'{DIFF} — {{"a": 0}}.diff({{"a":0}}).unchangedKeys() == ["a"].toSet()',
    ),
    (
        "{'a': 1}.diff({'a': 1.0}).changedKeys()",
        ("chain", diff({"a": 1}, {"a": 1.0}), "changedKeys", ()),
        keys(),
        f"{DIFF} — changedKeys() lists keys whose values are not equal under ==",
    ),
    (
        "{'m': {'x': 1}}.diff({'m': {'x': 2}}).changedKeys()",
        ("chain", diff({"m": {"x": 1}}, {"m": {"x": 2}}), "changedKeys", ()),
        keys("m"),
        f"{DIFF} — a nested change changes the top-level key",
    ),
    (
        "{'a': 1, 'b': 2}.diff({'b': 2}).affectedKeys().hasOnly(['a'])",
        (
            "chain",
            ("chain", diff({"a": 1, "b": 2}, {"b": 2}), "affectedKeys", ()),
            "hasOnly",
            (["a"],),
        ),
        True,
        f'{DIFF} — request.resource.data.diff(resource.data).affectedKeys().hasOnly(["a"])',
    ),
    (
        "{}.diff({}).addedKeys(1)",
        ("chain", diff({}, {}), "addedKeys", (1,)),
        ERROR,
        f"{DIFF} — addedKeys() takes no argument",
    ),
]
