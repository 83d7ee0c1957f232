"""The operator and error table: equality across types, int and float, 64-bit overflow,
division by zero, ordering, ``is``, and error propagation. ``(expression, call, expected,
source)``; see builtins_string.py for the shape of a case.

``{}.missing`` is the rules expression used for an error operand (a missing map key).
"""

import math

from firelab.rules._values import (
    INT64_MAX,
    INT64_MIN,
    RulesDuration,
    RulesError,
    RulesLatLng,
    RulesMapDiff,
    RulesPath,
    RulesSet,
    RulesTimestamp,
)

ERROR = RulesError
OOPS = RulesError("map has no key 'missing'")
LANGUAGE = "https://firebase.google.com/docs/rules/rules-language"
CONDITIONS = "https://firebase.google.com/docs/rules/rules-conditions"
INT = "https://firebase.google.com/docs/reference/rules/rules.Integer"
FLOAT = "https://firebase.google.com/docs/reference/rules/rules.Float"
BOOL = "https://firebase.google.com/docs/reference/rules/rules.Boolean"
NUMBER = "https://firebase.google.com/docs/reference/rules/rules.Number"
JAVA = "not documented; Java long/double semantics of the official emulator"

CASES = [
    # == and != across types
    (
        "1 == 1.0",
        ("binary", "==", 1, 1.0),
        True,
        f"{INT} — integers are coerced to float in comparisons",
    ),
    ("2.0 == 2", ("binary", "==", 2.0, 2), True, f"{INT} — int and float compare by value"),
    (
        "1 == '1'",
        ("binary", "==", 1, "1"),
        False,
        f"{LANGUAGE} — == across different types is false",
    ),
    ("1 != '1'", ("binary", "!=", 1, "1"), True, f"{LANGUAGE} — != across different types is true"),
    ("true == 1", ("binary", "==", True, 1), False, f"{BOOL} — a bool never equals a number"),
    ("null == null", ("binary", "==", None, None), True, f"{LANGUAGE} — null equals null"),
    (
        "null == false",
        ("binary", "==", None, False),
        False,
        f"{LANGUAGE} — null equals nothing else",
    ),
    ("{} == null", ("binary", "==", {}, None), False, f"{LANGUAGE} — a map is not null"),
    ("null != {}", ("binary", "!=", None, {}), True, f"{LANGUAGE} — a map is not null"),
    ("'a' == 'a'", ("binary", "==", "a", "a"), True, f"{LANGUAGE} — equal strings"),
    (
        "0.0 / 0.0 == 0.0 / 0.0",
        ("binary", "==", math.nan, math.nan),
        False,
        f"{FLOAT} — NaN equals nothing (IEEE)",
    ),
    # arithmetic
    ("1 + 2", ("binary", "+", 1, 2), 3, f"{INT} — integers support +"),
    (
        "1 + 2.5",
        ("binary", "+", 1, 2.5),
        3.5,
        f"{INT} — an integer is coerced to float with a float",
    ),
    ("5 - 7", ("binary", "-", 5, 7), -2, f"{INT} — integers support -"),
    ("3 * 1.5", ("binary", "*", 3, 1.5), 4.5, f"{FLOAT} — floats support *"),
    ("7 / 2", ("binary", "/", 7, 2), 3, f"{INT} — integer / truncates toward zero ({JAVA})"),
    ("-7 / 2", ("binary", "/", -7, 2), -3, f"{INT} — integer / truncates toward zero ({JAVA})"),
    ("1 / 2.0", ("binary", "/", 1, 2.0), 0.5, f"{FLOAT} — floats support /"),
    ("7 % 3", ("binary", "%", 7, 3), 1, f"{INT} — integers support %"),
    ("-7 % 3", ("binary", "%", -7, 3), -1, f"{INT} — % takes the dividend's sign ({JAVA})"),
    ("7 % -3", ("binary", "%", 7, -3), 1, f"{INT} — % takes the dividend's sign ({JAVA})"),
    ("7.5 % 2", ("binary", "%", 7.5, 2), 1.5, f"{FLOAT} — floats support %"),
    (
        "-7.5 % 2",
        ("binary", "%", -7.5, 2),
        -1.5,
        f"{FLOAT} — float % takes the dividend's sign ({JAVA})",
    ),
    ("1 / 0", ("binary", "/", 1, 0), ERROR, f"{INT} — integer division by zero is an error"),
    ("1 % 0", ("binary", "%", 1, 0), ERROR, f"{INT} — integer modulo by zero is an error"),
    ("1.0 / 0", ("binary", "/", 1.0, 0), math.inf, f"{FLOAT} — 64-bit IEEE: 1.0 / 0 is infinity"),
    (
        "-1.0 / 0",
        ("binary", "/", -1.0, 0),
        -math.inf,
        f"{FLOAT} — 64-bit IEEE: -1.0 / 0 is -infinity",
    ),
    ("0.0 / 0", ("binary", "/", 0.0, 0), math.nan, f"{FLOAT} — 64-bit IEEE: 0.0 / 0 is NaN"),
    ("1.0 % 0", ("binary", "%", 1.0, 0), math.nan, f"{FLOAT} — 64-bit IEEE: x % 0 is NaN"),
    (
        "9223372036854775807 + 1",
        ("binary", "+", INT64_MAX, 1),
        ERROR,
        f"{INT} — a signed 64-bit integer: overflow is an error",
    ),
    (
        "-9223372036854775807 - 2",
        ("binary", "-", -INT64_MAX, 2),
        ERROR,
        f"{INT} — a signed 64-bit integer: underflow is an error",
    ),
    (
        "9223372036854775807 * 2",
        ("binary", "*", INT64_MAX, 2),
        ERROR,
        f"{INT} — overflow in * is an error",
    ),
    (
        "(-9223372036854775807 - 1) / -1",
        ("binary", "/", INT64_MIN, -1),
        ERROR,
        f"{INT} — the one overflowing division is an error",
    ),
    (
        "(-9223372036854775807 - 1) % -1",
        ("binary", "%", INT64_MIN, -1),
        0,
        f"{INT} — % of the smallest integer by -1 is 0 ({JAVA})",
    ),
    (
        "9223372036854775807 + 0.0",
        ("binary", "+", INT64_MAX, 0.0),
        9.223372036854775807e18,
        f"{INT} — coerced to float, the sum does not overflow",
    ),
    ("'a' - 'b'", ("binary", "-", "a", "b"), ERROR, f"{LANGUAGE} — strings have no -"),
    ("true + 1", ("binary", "+", True, 1), ERROR, f"{BOOL} — booleans are not numbers"),
    ("null + 1", ("binary", "+", None, 1), ERROR, f"{LANGUAGE} — null is not a number"),
    ("1 ** 2", ("binary", "**", 1, 2), ERROR, f"{LANGUAGE} — no ** operator"),
    # unary
    ("-5", ("unary", "-", 5), -5, f"{INT} — integers can be negated using the - prefix"),
    ("-1.5", ("unary", "-", 1.5), -1.5, f"{FLOAT} — floats can be negated using the - prefix"),
    (
        "-(-9223372036854775807 - 1)",
        ("unary", "-", INT64_MIN),
        ERROR,
        f"{INT} — negating the smallest 64-bit integer overflows",
    ),
    ("-'a'", ("unary", "-", "a"), ERROR, f"{LANGUAGE} — only numbers negate"),
    ("!true", ("unary", "!", True), False, f"{BOOL} — NOT: !x"),
    ("!1", ("unary", "!", 1), ERROR, f"{BOOL} — ! needs a bool"),
    ("!null", ("unary", "!", None), ERROR, f"{BOOL} — ! needs a bool"),
    # ordering
    (
        "1 < 2.5",
        ("binary", "<", 1, 2.5),
        True,
        f"{INT} — integers are coerced to float in comparisons",
    ),
    ("2 <= 2", ("binary", "<=", 2, 2), True, f"{INT} — integers compare with <="),
    ("3 > 2", ("binary", ">", 3, 2), True, f"{INT} — integers compare with >"),
    ("2.0 >= 3", ("binary", ">=", 2.0, 3), False, f"{FLOAT} — floats compare with >="),
    ("0.0 / 0.0 < 1", ("binary", "<", math.nan, 1), False, f"{FLOAT} — NaN is unordered (IEEE)"),
    (
        "'a' < 1",
        ("binary", "<", "a", 1),
        ERROR,
        f"{LANGUAGE} — ordering different types is an error",
    ),
    (
        "true < false",
        ("binary", "<", True, False),
        ERROR,
        f"{BOOL} — booleans compare only with == and !=",
    ),
    ("null < null", ("binary", "<", None, None), ERROR, f"{LANGUAGE} — null is not ordered"),
    ("{} < {}", ("binary", "<", {}, {}), ERROR, f"{LANGUAGE} — maps are not ordered"),
    # is
    ("1 is int", ("is", 1, "int"), True, f"{LANGUAGE} — a is type: int"),
    ("1 is float", ("is", 1, "float"), False, f"{LANGUAGE} — an int is not a float"),
    ("1 is number", ("is", 1, "number"), True, f"{NUMBER} — a value of type Integer or type Float"),
    (
        "1.5 is number",
        ("is", 1.5, "number"),
        True,
        f"{NUMBER} — a value of type Integer or type Float",
    ),
    ("true is number", ("is", True, "number"), False, f"{NUMBER} — a bool is not a number"),
    ("true is bool", ("is", True, "bool"), True, f"{LANGUAGE} — a is type: bool"),
    ("'a' is string", ("is", "a", "string"), True, f"{LANGUAGE} — a is type: string"),
    ("b'a' is bytes", ("is", b"a", "bytes"), True, f"{LANGUAGE} — a is type: bytes"),
    ("[1] is list", ("is", [1], "list"), True, f"{LANGUAGE} — a is type: list"),
    ("{} is map", ("is", {}, "map"), True, f"{LANGUAGE} — a is type: map"),
    ("null is map", ("is", None, "map"), False, f"{LANGUAGE} — null is not a map"),
    (
        "timestamp.value(0) is timestamp",
        ("is", RulesTimestamp(0), "timestamp"),
        True,
        f"{LANGUAGE} — a is type: timestamp",
    ),
    (
        "duration.value(1, 's') is duration",
        ("is", RulesDuration(1), "duration"),
        True,
        f"{LANGUAGE} — a is type: duration",
    ),
    ("/a is path", ("is", RulesPath(("a",)), "path"), True, f"{LANGUAGE} — a is type: path"),
    (
        "latlng.value(0, 0) is latlng",
        ("is", RulesLatLng(0.0, 0.0), "latlng"),
        True,
        f"{LANGUAGE} — a is type: latlng",
    ),
    ("[1].toSet() is set", ("is", RulesSet.of([1]), "set"), True, f"{LANGUAGE} — a is type: set"),
    (
        "{}.diff({}) is map_diff",
        ("is", RulesMapDiff({}, {}), "map_diff"),
        True,
        f"{LANGUAGE} — a is type: map_diff",
    ),
    (
        "1 is integer",
        ("is", 1, "integer"),
        ERROR,
        f"{LANGUAGE} — the type name is int, not integer",
    ),
    (
        "{}.missing is int",
        ("is", OOPS, "int"),
        ERROR,
        f"{CONDITIONS} — an error propagates through is",
    ),
    # error propagation
    (
        "{}.missing == 1",
        ("binary", "==", OOPS, 1),
        ERROR,
        f"{CONDITIONS} — an error operand makes an error",
    ),
    (
        "1 == {}.missing",
        ("binary", "==", 1, OOPS),
        ERROR,
        f"{CONDITIONS} — an error operand makes an error",
    ),
    (
        "{}.missing != null",
        ("binary", "!=", OOPS, None),
        ERROR,
        f"{CONDITIONS} — even != null errs",
    ),
    (
        "{}.missing + 1",
        ("binary", "+", OOPS, 1),
        ERROR,
        f"{CONDITIONS} — errors propagate through +",
    ),
    (
        "{}.missing < 1",
        ("binary", "<", OOPS, 1),
        ERROR,
        f"{CONDITIONS} — errors propagate through <",
    ),
    (
        "{}.missing in [1]",
        ("binary", "in", OOPS, [1]),
        ERROR,
        f"{CONDITIONS} — errors propagate through in",
    ),
    (
        "1 in {}.missing",
        ("binary", "in", 1, OOPS),
        ERROR,
        f"{CONDITIONS} — errors propagate through in",
    ),
    ("!{}.missing", ("unary", "!", OOPS), ERROR, f"{CONDITIONS} — errors propagate through !"),
    ("{}.missing[0]", ("index", OOPS, 0), ERROR, f"{CONDITIONS} — errors propagate through []"),
    ("[1][{}.missing]", ("index", [1], OOPS), ERROR, f"{CONDITIONS} — errors propagate through []"),
    (
        "{}.missing[0:1]",
        ("slice", OOPS, 0, 1),
        ERROR,
        f"{CONDITIONS} — errors propagate through [:]",
    ),
    ("{}.missing.a", ("member", OOPS, "a"), ERROR, f"{CONDITIONS} — errors propagate through ."),
    (
        "{}.missing.size()",
        ("method", OOPS, "size", ()),
        ERROR,
        f"{CONDITIONS} — errors propagate into calls",
    ),
    (
        "[1].hasAll({}.missing)",
        ("method", [1], "hasAll", (OOPS,)),
        ERROR,
        f"{CONDITIONS} — an error argument propagates",
    ),
    (
        "int({}.missing)",
        ("function", "int", (OOPS,)),
        ERROR,
        f"{CONDITIONS} — an error argument propagates",
    ),
    ("1.size()", ("method", 1, "size", ()), ERROR, f"{INT} — integers have no methods"),
    ("null.size()", ("method", None, "size", ()), ERROR, f"{LANGUAGE} — null has no methods"),
    ("null.a", ("member", None, "a"), ERROR, f"{LANGUAGE} — null has no fields"),
    ("'a'.b", ("member", "a", "b"), ERROR, f"{LANGUAGE} — strings have no fields"),
]
