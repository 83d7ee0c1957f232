"""Conformance cases for the ``math`` and ``hashing`` namespaces:
``(expression, call, expected, source)``. See builtins_string.py for the shape of a case.

Hash values are the standard test vectors (RFC 1321 for MD5, FIPS 180-2 for SHA-256, the
``123456789`` check values of CRC-32 and CRC-32C).
"""

import math

from firelab.rules._values import INT64_MIN, RulesError

ERROR = RulesError
MATH = "https://firebase.google.com/docs/reference/rules/rules.math"
HASH = "https://firebase.google.com/docs/reference/rules/rules.hashing"
JAVA = "not documented; Java Math semantics of the official emulator"
INF = math.inf
NAN = math.nan


def fn(name: str, *args: object) -> tuple[object, ...]:
    return ("function", name, args)


CASES = [
    # abs
    ("math.abs(-1)", fn("math.abs", -1), 1, f"{MATH} — math.abs(-1) == 1"),
    ("math.abs(1)", fn("math.abs", 1), 1, f"{MATH} — math.abs(1) == 1"),
    ("math.abs(-2.5)", fn("math.abs", -2.5), 2.5, f"{MATH} — abs() of a float is a float"),
    (
        "math.abs(-9223372036854775807 - 1)",
        fn("math.abs", INT64_MIN),
        ERROR,
        f"{MATH} — abs() of the smallest 64-bit integer overflows",
    ),
    ("math.abs('1')", fn("math.abs", "1"), ERROR, f"{MATH} — num is a number"),
    # ceil / floor / round
    ("math.ceil(2.0)", fn("math.ceil", 2.0), 2, f"{MATH} — math.ceil(2.0) == 2"),
    ("math.ceil(2.1)", fn("math.ceil", 2.1), 3, f"{MATH} — math.ceil(2.1) == 3"),
    ("math.ceil(2.7)", fn("math.ceil", 2.7), 3, f"{MATH} — math.ceil(2.7) == 3"),
    (
        "math.ceil(-2.7)",
        fn("math.ceil", -2.7),
        -2,
        f"{MATH} — ceil() rounds toward positive infinity",
    ),
    ("math.ceil(5)", fn("math.ceil", 5), 5, f"{MATH} — ceil() of an integer is itself"),
    (
        "math.ceil(1.0 / 0.0)",
        fn("math.ceil", INF),
        ERROR,
        f"{MATH} — ceil() returns rules.Integer; ∞ is none",
    ),
    ("math.floor(1.9)", fn("math.floor", 1.9), 1, f"{MATH} — math.floor(1.9) == 1"),
    ("math.floor(2.0)", fn("math.floor", 2.0), 2, f"{MATH} — math.floor(2.0) == 2"),
    ("math.floor(2.7)", fn("math.floor", 2.7), 2, f"{MATH} — math.floor(2.7) == 2"),
    (
        "math.floor(-2.1)",
        fn("math.floor", -2.1),
        -3,
        f"{MATH} — floor() rounds toward negative infinity",
    ),
    (
        "math.floor(0.0 / 0.0)",
        fn("math.floor", NAN),
        ERROR,
        f"{MATH} — floor() returns rules.Integer; NaN is none",
    ),
    ("math.round(1.9)", fn("math.round", 1.9), 2, f"{MATH} — math.round(1.9) == 2"),
    ("math.round(2.4)", fn("math.round", 2.4), 2, f"{MATH} — math.round(2.4) == 2"),
    ("math.round(2.5)", fn("math.round", 2.5), 3, f"{MATH} — math.round(2.5) == 3"),
    (
        "math.round(-2.5)",
        fn("math.round", -2.5),
        -2,
        f"{MATH} — round() halves go up ({JAVA}: Math.round)",
    ),
    (
        "math.round(0.49999999999999994)",
        fn("math.round", 0.49999999999999994),
        0,
        f"{MATH} — round() to the nearest integer, without the x + 0.5 rounding slip",
    ),
    (
        "math.round(1e300)",
        fn("math.round", 1e300),
        ERROR,
        f"{MATH} — round() beyond 64 bits overflows",
    ),
    # isInfinite / isNaN
    (
        "math.isInfinite(1.0 / 0.0)",
        fn("math.isInfinite", INF),
        True,
        f"{MATH} — math.isInfinite(∞) == true",
    ),
    ("math.isInfinite(-1.0 / 0.0)", fn("math.isInfinite", -INF), True, f"{MATH} — true for ±∞"),
    (
        "math.isInfinite(100)",
        fn("math.isInfinite", 100),
        False,
        f"{MATH} — math.isInfinite(100) == false",
    ),
    ("math.isNaN(0.0 / 0.0)", fn("math.isNaN", NAN), True, f"{MATH} — math.isNaN(NaN) == true"),
    ("math.isNaN(100)", fn("math.isNaN", 100), False, f"{MATH} — math.isNaN(100) == false"),
    ("math.isNaN('a')", fn("math.isNaN", "a"), ERROR, f"{MATH} — num is a number"),
    # pow / sqrt
    ("math.pow(2, 2)", fn("math.pow", 2, 2), 4.0, f"{MATH} — math.pow(2, 2) == 4 (a rules.Float)"),
    ("math.pow(1.5, 2)", fn("math.pow", 1.5, 2), 2.25, f"{MATH} — math.pow(1.5, 2) == 2.25"),
    ("math.pow(4, 0.5)", fn("math.pow", 4, 0.5), 2.0, f"{MATH} — math.pow(4, 0.5) == 2"),
    (
        "math.pow(-8, 1.0 / 3)",
        fn("math.pow", -8, 1 / 3),
        NAN,
        f"{MATH} — pow() of a negative base, fractional exponent ({JAVA}: NaN)",
    ),
    ("math.pow(0, -1)", fn("math.pow", 0, -1), INF, f"{MATH} — pow(0, -1) ({JAVA}: +∞)"),
    ("math.pow(10, 400)", fn("math.pow", 10, 400), INF, f"{MATH} — pow() overflow ({JAVA}: +∞)"),
    ("math.pow(2, 'a')", fn("math.pow", 2, "a"), ERROR, f"{MATH} — exponent is a number"),
    ("math.sqrt(4)", fn("math.sqrt", 4), 2.0, f"{MATH} — math.sqrt(4) == 2.0"),
    ("math.sqrt(2.25)", fn("math.sqrt", 2.25), 1.5, f"{MATH} — math.sqrt(2.25) == 1.5"),
    (
        "math.sqrt(-1)",
        fn("math.sqrt", -1),
        NAN,
        f"{MATH} — sqrt() of a negative number ({JAVA}: NaN)",
    ),
    ("math.sqrt(4, 2)", fn("math.sqrt", 4, 2), ERROR, f"{MATH} — sqrt() takes one argument"),
    ("math.cbrt(8)", fn("math.cbrt", 8), None, f"{MATH} — math has no cbrt: not a built-in (None)"),
    # hashing
    (
        "hashing.md5('')",
        fn("hashing.md5", ""),
        bytes.fromhex("d41d8cd98f00b204e9800998ecf8427e"),
        f"{HASH} — md5() computes a hash using the MD5 algorithm",
    ),
    (
        "hashing.md5('abc')",
        fn("hashing.md5", "abc"),
        bytes.fromhex("900150983cd24fb0d6963f7d28e17f72"),
        f"{HASH} — md5(); for strings, the UTF-8 encoding is used",
    ),
    (
        "hashing.md5(b'abc')",
        fn("hashing.md5", b"abc"),
        bytes.fromhex("900150983cd24fb0d6963f7d28e17f72"),
        f"{HASH} — md5() of a Bytes sequence (declared with b prefix)",
    ),
    (
        "hashing.sha256('abc')",
        fn("hashing.sha256", "abc"),
        bytes.fromhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        f"{HASH} — sha256() computes a hash using the SHA-256 algorithm",
    ),
    (
        "hashing.crc32('123456789')",
        fn("hashing.crc32", "123456789"),
        bytes.fromhex("cbf43926"),
        f"{HASH} — crc32() computes a hash using the CRC32 algorithm",
    ),
    (
        "hashing.crc32c('123456789')",
        fn("hashing.crc32c", "123456789"),
        bytes.fromhex("e3069283"),
        f"{HASH} — crc32c() computes a hash using the CRC32C algorithm",
    ),
    (
        "hashing.sha256('abc').toHexString()",
        ("chain", fn("hashing.sha256", "abc"), "toHexString", ()),
        "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
        f"{HASH} — the hash is a rules.Bytes, with the Bytes methods",
    ),
    (
        "hashing.md5(1)",
        fn("hashing.md5", 1),
        ERROR,
        f"{HASH} — bytes_or_string is bytes or a string",
    ),
    ("hashing.sha256()", fn("hashing.sha256"), ERROR, f"{HASH} — sha256() takes one argument"),
]
