"""Conformance cases for the global functions ``int()``, ``float()``, ``string()``, ``bool()``,
``path()`` and ``debug()``: ``(expression, call, expected, source)``.

See builtins_string.py for the shape of a case.
"""

import math

from firelab.rules._values import RulesError, RulesPath

ERROR = RulesError
INT = "https://firebase.google.com/docs/reference/rules/rules.Integer"
FLOAT = "https://firebase.google.com/docs/reference/rules/rules.Float"
STRING = "https://firebase.google.com/docs/reference/rules/rules.String"
BOOL = "https://firebase.google.com/docs/reference/rules/rules.Boolean"
PATH = "https://firebase.google.com/docs/reference/rules/rules.Path"
DEBUG = "https://firebase.google.com/docs/reference/rules/rules.debug"
LANGUAGE = "https://firebase.google.com/docs/rules/rules-language"
JAVA = "not documented; Java (Long.parseLong, Double.toString) semantics of the official emulator"


def fn(name: str, *args: object) -> tuple[object, ...]:
    return ("function", name, args)


CASES = [
    # int()
    ("int('2')", fn("int", "2"), 2, f'{INT} — int("2") == 2'),
    ("int(2.0)", fn("int", 2.0), 2, f"{INT} — int(2.0) == 2"),
    ("int(2.9)", fn("int", 2.9), 2, f"{INT} — int() of a float truncates toward zero ({JAVA})"),
    ("int(-2.9)", fn("int", -2.9), -2, f"{INT} — int() of a float truncates toward zero ({JAVA})"),
    ("int('-17')", fn("int", "-17"), -17, f"{INT} — int() parses a signed integer"),
    ("int(5)", fn("int", 5), 5, f"{INT} — int() of an integer is itself"),
    ("int('2.5')", fn("int", "2.5"), ERROR, f"{INT} — int() parses only integer text ({JAVA})"),
    ("int(' 2')", fn("int", " 2"), ERROR, f"{INT} — int() does not trim ({JAVA})"),
    ("int('abc')", fn("int", "abc"), ERROR, f"{INT} — int() of a non-number string is an error"),
    (
        "int('9223372036854775808')",
        fn("int", "9223372036854775808"),
        ERROR,
        f"{INT} — a signed 64-bit integer value; one past the maximum is an error",
    ),
    ("int(1e19)", fn("int", 1e19), ERROR, f"{INT} — a float beyond 64 bits is an error"),
    ("int(0.0 / 0.0)", fn("int", math.nan), ERROR, f"{INT} — NaN has no integer value"),
    (
        "int(true)",
        fn("int", True),
        ERROR,
        f"{INT} — string and float values convert; a bool does not",
    ),
    ("int('1', '2')", fn("int", "1", "2"), ERROR, f"{INT} — int() takes one argument"),
    # float()
    ("float('2.2')", fn("float", "2.2"), 2.2, f'{FLOAT} — float("2.2") == 2.2'),
    ("float(2)", fn("float", 2), 2.0, f"{FLOAT} — float(2) == 2.0"),
    ("float('1e3')", fn("float", "1e3"), 1000.0, f"{FLOAT} — float() reads exponents ({JAVA})"),
    ("float('-.5')", fn("float", "-.5"), -0.5, f"{FLOAT} — float() reads a leading point ({JAVA})"),
    ("float('NaN')", fn("float", "NaN"), math.nan, f'{FLOAT} — float("NaN") ({JAVA})'),
    (
        "float('-Infinity')",
        fn("float", "-Infinity"),
        -math.inf,
        f'{FLOAT} — float("-Infinity") ({JAVA})',
    ),
    (
        "float('1,5')",
        fn("float", "1,5"),
        ERROR,
        f"{FLOAT} — float() of a non-number string is an error",
    ),
    ("float('inf')", fn("float", "inf"), ERROR, f"{FLOAT} — 'inf' is not Java's spelling ({JAVA})"),
    (
        "float(null)",
        fn("float", None),
        ERROR,
        f"{FLOAT} — string and integer values convert; null does not",
    ),
    # string()
    ("string(true)", fn("string", True), "true", f'{STRING} — string(true) == "true"'),
    ("string(1)", fn("string", 1), "1", f'{STRING} — string(1) == "1"'),
    ("string(2.0)", fn("string", 2.0), "2.0", f'{STRING} — string(2.0) == "2.0"'),
    ("string(null)", fn("string", None), "null", f'{STRING} — string(null) == "null"'),
    ("string(false)", fn("string", False), "false", f"{STRING} — boolean values convert"),
    ("string(-12)", fn("string", -12), "-12", f"{STRING} — integer values convert"),
    ("string(0.1)", fn("string", 0.1), "0.1", f"{STRING} — float values convert, shortest digits"),
    (
        "string(1234567.0)",
        fn("string", 1234567.0),
        "1234567.0",
        f"{STRING} — floats below 10^7 ({JAVA})",
    ),
    (
        "string(1e21)",
        fn("string", 1e21),
        "1.0E21",
        f"{STRING} — large floats in E notation ({JAVA})",
    ),
    (
        "string(0.0001)",
        fn("string", 0.0001),
        "1.0E-4",
        f"{STRING} — small floats in E notation ({JAVA})",
    ),
    ("string(1.0 / 0.0)", fn("string", math.inf), "Infinity", f"{STRING} — infinity ({JAVA})"),
    ("string('a')", fn("string", "a"), "a", f"{STRING} — a string is already a string"),
    ("string([1])", fn("string", [1]), ERROR, f"{STRING} — only bool, int, float and null convert"),
    # bool()
    ("bool('true')", fn("bool", "true"), True, f'{BOOL} — bool("true") == true'),
    (
        "bool('false')",
        fn("bool", "false"),
        False,
        f"{BOOL} — strings can be converted into booleans",
    ),
    ("bool('yes')", fn("bool", "yes"), ERROR, f"{BOOL} — only 'true' and 'false' are booleans"),
    ("bool(1)", fn("bool", 1), ERROR, f"{BOOL} — strings convert; integers do not"),
    # path()
    (
        "path('path/to/resource')",
        fn("path", "path/to/resource"),
        RulesPath(("path", "to", "resource")),
        f'{PATH} — path("path/to/resource") converts from a string',
    ),
    (
        "path('/databases/db/documents')",
        fn("path", "/databases/db/documents"),
        RulesPath(("databases", "db", "documents")),
        f"{PATH} — a leading slash is the raw form's",
    ),
    ("path(1)", fn("path", 1), ERROR, f"{PATH} — path() converts a string"),
    # debug()
    (
        "debug(1)",
        fn("debug", 1),
        1,
        f"{DEBUG} — debug() logs its argument and returns it unchanged",
    ),
    ("debug('alice')", fn("debug", "alice"), "alice", f"{DEBUG} — calls to debug can be nested"),
    ("debug()", fn("debug"), ERROR, f"{DEBUG} — debug() takes one value"),
    ("nosuch(1)", fn("nosuch", 1), None, f"{LANGUAGE} — not a built-in: None, so a user function"),
]
