"""Conformance cases for rules.List: ``(expression, call, expected, source)``.

See builtins_string.py for the shape of a case.
"""

from firelab.rules._values import RulesError, RulesSet

ERROR = RulesError
LIST = "https://firebase.google.com/docs/reference/rules/rules.List"
EQUALITY = "elements compare with the rules' == (int and float by value, bool apart)"

CASES = [
    # operators
    (
        "'a' in ['a','b']",
        ("binary", "in", "a", ["a", "b"]),
        True,
        f"{LIST} — 'a' in ['a','b'] == true",
    ),
    (
        "'c' in ['a','b']",
        ("binary", "in", "c", ["a", "b"]),
        False,
        f"{LIST} — v in x checks if v exists",
    ),
    ("1 in [1.0, 2.0]", ("binary", "in", 1, [1.0, 2.0]), True, f"{LIST} — v in x; {EQUALITY}"),
    ("true in [1]", ("binary", "in", True, [1]), False, f"{LIST} — v in x; {EQUALITY}"),
    ("[1] in [[1], [2]]", ("binary", "in", [1], [[1], [2]]), True, f"{LIST} — v in x with lists"),
    ("[1, 2] == [1, 2]", ("binary", "==", [1, 2], [1, 2]), True, f"{LIST} — x == y compares lists"),
    ("[1, 2] == [2, 1]", ("binary", "==", [1, 2], [2, 1]), False, f"{LIST} — x == y is ordered"),
    (
        "[1, 2] == [1.0, 2.0]",
        ("binary", "==", [1, 2], [1.0, 2.0]),
        True,
        f"{LIST} — x == y; {EQUALITY}",
    ),
    ("[1] == [true]", ("binary", "==", [1], [True]), False, f"{LIST} — x == y; {EQUALITY}"),
    ("[1] == [1, 1]", ("binary", "==", [1], [1, 1]), False, f"{LIST} — x == y needs equal sizes"),
    ("[1, 2, 3][1]", ("index", [1, 2, 3], 1), 2, f"{LIST} — x[i] gets the value at index i"),
    ("[1, 2][2]", ("index", [1, 2], 2), ERROR, f"{LIST} — x[i] out of range is an error"),
    (
        "[1, 2][-1]",
        ("index", [1, 2], -1),
        ERROR,
        f"{LIST} — x[i] with a negative index is an error",
    ),
    ("[1, 2]['a']", ("index", [1, 2], "a"), ERROR, f"{LIST} — x[i] needs an integer"),
    ("[1, 2][1.0]", ("index", [1, 2], 1.0), ERROR, f"{LIST} — x[i] needs an integer, not a float"),
    (
        "[1, 2, 3, 4][1:3]",
        ("slice", [1, 2, 3, 4], 1, 3),
        [2, 3],
        f"{LIST} — x[i:j] gets the sublist",
    ),
    ("[1, 2][0:0]", ("slice", [1, 2], 0, 0), [], f"{LIST} — x[i:j] may be empty"),
    ("[1, 2][1:3]", ("slice", [1, 2], 1, 3), ERROR, f"{LIST} — x[i:j] beyond the end is an error"),
    ("[1, 2] + [3]", ("binary", "+", [1, 2], [3]), [1, 2, 3], f"{LIST} — + concatenates lists"),
    ("[1] + 1", ("binary", "+", [1], 1), ERROR, f"{LIST} — + needs two lists"),
    ("[1] < [2]", ("binary", "<", [1], [2]), ERROR, f"{LIST} — lists are not ordered"),
    # concat
    (
        "[1, 2].concat([3, 4])",
        ("method", [1, 2], "concat", ([3, 4],)),
        [1, 2, 3, 4],
        f"{LIST} — concat() adds the elements of another list to the end",
    ),
    ("[1].concat(1)", ("method", [1], "concat", (1,)), ERROR, f"{LIST} — concat(list): list"),
    # hasAll / hasAny / hasOnly
    (
        "['a', 'b', 'c'].hasAll(['a', 'c'])",
        ("method", ["a", "b", "c"], "hasAll", (["a", "c"],)),
        True,
        f"{LIST} — hasAll() is true if this list contains all elements of the other",
    ),
    (
        "['a', 'b'].hasAll(['a', 'd'])",
        ("method", ["a", "b"], "hasAll", (["a", "d"],)),
        False,
        f"{LIST} — hasAll() is false when an element is missing",
    ),
    ("[].hasAll([])", ("method", [], "hasAll", ([],)), True, f"{LIST} — hasAll() of nothing"),
    ("[1].hasAll('a')", ("method", [1], "hasAll", ("a",)), ERROR, f"{LIST} — hasAll(list): list"),
    (
        "['a', 'b'].hasAny(['c', 'b'])",
        ("method", ["a", "b"], "hasAny", (["c", "b"],)),
        True,
        f"{LIST} — hasAny() is true if this list contains any element of the other",
    ),
    (
        "['a', 'b'].hasAny(['c'])",
        ("method", ["a", "b"], "hasAny", (["c"],)),
        False,
        f"{LIST} — hasAny() is false when none is present",
    ),
    (
        "[1].hasAny([1.0])",
        ("method", [1], "hasAny", ([1.0],)),
        True,
        f"{LIST} — hasAny(); {EQUALITY}",
    ),
    (
        "['a', 'b'].hasOnly(['a', 'c'])",
        ("method", ["a", "b"], "hasOnly", (["a", "c"],)),
        False,
        f"{LIST} — ['a', 'b'].hasOnly(['a', 'c']) == false",
    ),
    (
        "['a', 'b'].hasOnly(['a', 'b', 'c'])",
        ("method", ["a", "b"], "hasOnly", (["a", "b", "c"],)),
        True,
        f"{LIST} — ['a', 'b'].hasOnly(['a', 'b', 'c']) == true",
    ),
    (
        "['a', 'b'].hasOnly(['b', 'a'])",
        ("method", ["a", "b"], "hasOnly", (["b", "a"],)),
        True,
        f"{LIST} — ['a', 'b'].hasOnly(['b', 'a']) == true",
    ),
    (
        "['a', 'a', 'b'].hasOnly(['a', 'b', 'b'])",
        ("method", ["a", "a", "b"], "hasOnly", (["a", "b", "b"],)),
        True,
        f"{LIST} — ['a', 'a', 'b'].hasOnly(['a', 'b', 'b']) == true",
    ),
    (
        "['a', 'a', 'b'].hasOnly(['a', 'b', 'b', 'c'])",
        ("method", ["a", "a", "b"], "hasOnly", (["a", "b", "b", "c"],)),
        True,
        f"{LIST} — ['a', 'a', 'b'].hasOnly(['a', 'b', 'b', 'c']) == true",
    ),
    (
        "[true].hasOnly([1])",
        ("method", [True], "hasOnly", ([1],)),
        False,
        f"{LIST} — hasOnly(); {EQUALITY}",
    ),
    # join
    (
        "['a', 'b', 'c'].join('/')",
        ("method", ["a", "b", "c"], "join", ("/",)),
        "a/b/c",
        f"{LIST} — join() joins the elements into a string with a separator",
    ),
    ("[].join(',')", ("method", [], "join", (",",)), "", f"{LIST} — join() of an empty list"),
    (
        "[1, 2].join(',')",
        ("method", [1, 2], "join", (",",)),
        ERROR,
        f"{LIST} — join() joins strings",
    ),
    ("['a'].join(1)", ("method", ["a"], "join", (1,)), ERROR, f"{LIST} — join(separator): string"),
    # removeAll
    (
        "[1, 2, 3, 1].removeAll([1])",
        ("method", [1, 2, 3, 1], "removeAll", ([1],)),
        [2, 3],
        f"{LIST} — removeAll() removes the elements of another list",
    ),
    (
        "['a', 'b'].removeAll(['c'])",
        ("method", ["a", "b"], "removeAll", (["c"],)),
        ["a", "b"],
        f"{LIST} — removeAll() keeps what the other list lacks",
    ),
    (
        "[1].removeAll(1)",
        ("method", [1], "removeAll", (1,)),
        ERROR,
        f"{LIST} — removeAll(list): list",
    ),
    # size / toSet
    (
        "[1, 2, 3].size()",
        ("method", [1, 2, 3], "size", ()),
        3,
        f"{LIST} — size() is the number of values",
    ),
    ("[].size()", ("method", [], "size", ()), 0, f"{LIST} — size() of an empty list"),
    (
        "['a', 'a', 'b'].toSet()",
        ("method", ["a", "a", "b"], "toSet", ()),
        RulesSet.of(["a", "b"]),
        f"{LIST} — toSet() returns a set containing all unique elements",
    ),
    (
        "[1, 1.0].toSet().size()",
        ("chain", ("method", [1, 1.0], "toSet", ()), "size", ()),
        1,
        f"{LIST} — toSet(): equal but non-identical elements keep only the first",
    ),
    (
        "[1, true].toSet().size()",
        ("chain", ("method", [1, True], "toSet", ()), "size", ()),
        2,
        f"{LIST} — toSet(); {EQUALITY}",
    ),
    ("[1].lower()", ("method", [1], "lower", ()), ERROR, f"{LIST} — lists have no lower()"),
]
