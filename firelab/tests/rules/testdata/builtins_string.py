"""Conformance cases for rules.String and rules.Bytes.

Each case is ``(expression, call, expected, source)``: the rules expression it stands for, the
engine call that evaluates it (``("method", receiver, name, args)``, ``("chain", call, name,
args)`` for a method called on another call's result, ``("function", name,
args)``, ``("binary", op, left, right)``, ``("unary", op, operand)``, ``("index", container,
key)``, ``("slice", container, start, end)``, ``("member", value, name)``, ``("is", value,
type)``), the expected value (``ERROR`` for any RulesError) and where the outcome comes from:
the reference page and its documented example, or the engine choice where the page is silent.
"""

from firelab.rules._values import RulesError

ERROR = RulesError
STRING = "https://firebase.google.com/docs/reference/rules/rules.String"
BYTES = "https://firebase.google.com/docs/reference/rules/rules.Bytes"
JAVA = "not documented; Java (RE2/J) semantics of the official emulator"

CASES = [
    # lower / upper / trim
    ("'ABC'.lower()", ("method", "ABC", "lower", ()), "abc", f"{STRING} — 'ABC'.lower() == 'abc'"),
    (
        "'ABC123'.lower()",
        ("method", "ABC123", "lower", ()),
        "abc123",
        f"{STRING} — 'ABC123'.lower() == 'abc123'",
    ),
    (
        "'abc123'.upper()",
        ("method", "abc123", "upper", ()),
        "ABC123",
        f"{STRING} — upper() returns an uppercase version of the input string",
    ),
    (
        "'  a b  '.trim()",
        ("method", "  a b  ", "trim", ()),
        "a b",
        f"{STRING} — trim() removes leading and trailing spaces",
    ),
    (
        "'\\t\\na\\n'.trim()",
        ("method", "\t\na\n", "trim", ()),
        "a",
        f"{STRING} — trim(); control characters count as spaces ({JAVA}: String.trim)",
    ),
    (
        "'ABC'.lower(1)",
        ("method", "ABC", "lower", (1,)),
        ERROR,
        f"{STRING} — lower() takes no argument",
    ),
    # matches
    (
        "'user@domain.com'.matches('.*@domain[.]com')",
        ("method", "user@domain.com", "matches", (".*@domain[.]com",)),
        True,
        f"{STRING} — 'user@domain.com'.matches('.*@domain[.]com') == true",
    ),
    (
        "'banana'.matches('.*@domain[.]com')",
        ("method", "banana", "matches", (".*@domain[.]com",)),
        False,
        f"{STRING} — 'banana'.matches('.*@domain[.]com') == false",
    ),
    (
        "'abc'.matches('b')",
        ("method", "abc", "matches", ("b",)),
        False,
        f"{STRING} — matches() performs a regular expression match on the whole string",
    ),
    (
        "'abc'.matches('a.c')",
        ("method", "abc", "matches", ("a.c",)),
        True,
        f"{STRING} — matches() on the whole string",
    ),
    (
        "'😀'.matches('.')",
        ("method", "😀", "matches", (".",)),
        True,
        f"{STRING} — RE2 matches code points: '.' matches one emoji",
    ),
    (
        "'abc'.matches('(')",
        ("method", "abc", "matches", ("(",)),
        ERROR,
        f"{STRING} — the argument must be valid Google RE2 syntax",
    ),
    (
        "'abc'.matches('(?<=a)b')",
        ("method", "abc", "matches", ("(?<=a)b",)),
        ERROR,
        f"{STRING} — RE2 syntax has no lookbehind",
    ),
    ("'abc'.matches(1)", ("method", "abc", "matches", (1,)), ERROR, f"{STRING} — re is a string"),
    # replace
    (
        "'banana'.replace('a', 'o')",
        ("method", "banana", "replace", ("a", "o")),
        "bonono",
        f"{STRING} — 'banana'.replace(\"a\", \"o\") == 'bonono'",
    ),
    (
        "'banana'.replace('ana', 'ee')",
        ("method", "banana", "replace", ("ana", "ee")),
        "beena",
        f"{STRING} — 'banana'.replace(\"ana\", \"ee\") == 'beena'",
    ),
    (
        "'foo@test.com'.replace('.', '-')",
        ("method", "foo@test.com", "replace", (".", "-")),
        "------------",
        f"{STRING} — '.' regex matches all (the page prints 15 dashes for 12 characters)",
    ),
    (
        "'abc'.replace('x', 'y')",
        ("method", "abc", "replace", ("x", "y")),
        "abc",
        f"{STRING} — no match returns the original string unmodified",
    ),
    (
        "'2023-01-02'.replace('([0-9]+)-([0-9]+)-([0-9]+)', '$3/$2/$1')",
        ("method", "2023-01-02", "replace", ("([0-9]+)-([0-9]+)-([0-9]+)", "$3/$2/$1")),
        "02/01/2023",
        f"{STRING} — replace(); group references {JAVA}",
    ),
    (
        "'abc'.replace('x*', '-')",
        ("method", "abc", "replace", ("x*", "-")),
        "-a-b-c-",
        f"{STRING} — replace() substitutes empty matches too ({JAVA})",
    ),
    (
        "'a.b'.replace('[.]', '\\\\$')",
        ("method", "a.b", "replace", ("[.]", "\\$")),
        "a$b",
        f"{STRING} — a backslash escapes '$' in the replacement ({JAVA})",
    ),
    (
        "'ab'.replace('a', '$2')",
        ("method", "ab", "replace", ("a", "$2")),
        ERROR,
        f"{STRING} — a reference to a missing group is an error ({JAVA})",
    ),
    (
        "'ab'.replace('(', 'x')",
        ("method", "ab", "replace", ("(", "x")),
        ERROR,
        f"{STRING} — re must be valid Google RE2 syntax",
    ),
    (
        "'ab'.replace('a', 1)",
        ("method", "ab", "replace", ("a", 1)),
        ERROR,
        f"{STRING} — sub is a string",
    ),
    # size
    ("'a'.size()", ("method", "a", "size", ()), 1, f"{STRING} — 'a'.size() == 1"),
    ("'abc'.size()", ("method", "abc", "size", ()), 3, f"{STRING} — 'abc'.size() == 3"),
    ("''.size()", ("method", "", "size", ()), 0, f"{STRING} — size() of the empty string"),
    (
        "'héllo'.size()",
        ("method", "héllo", "size", ()),
        5,
        f"{STRING} — size() counts UTF-16 code units; é is one",
    ),
    (
        "'😀'.size()",
        ("method", "😀", "size", ()),
        2,
        f"{STRING} — size() counts UTF-16 code units; an emoji is a surrogate pair",
    ),
    # split
    (
        "'a/b/c'.split('/')",
        ("method", "a/b/c", "split", ("/",)),
        ["a", "b", "c"],
        f"{STRING} — 'a/b/c'.split('/') == ['a', 'b', 'c']",
    ),
    (
        "'a1b22c'.split('[0-9]+')",
        ("method", "a1b22c", "split", ("[0-9]+",)),
        ["a", "b", "c"],
        f"{STRING} — split() splits according to a regular expression",
    ),
    (
        "'abc'.split('/')",
        ("method", "abc", "split", ("/",)),
        ["abc"],
        f"{STRING} — split() without a match is the whole string",
    ),
    (
        "'/a/b/'.split('/')",
        ("method", "/a/b/", "split", ("/",)),
        ["", "a", "b"],
        f"{STRING} — split(); trailing empty strings are dropped ({JAVA})",
    ),
    (
        "'abc'.split('')",
        ("method", "abc", "split", ("",)),
        ["a", "b", "c"],
        f"{STRING} — split() on an empty pattern ({JAVA})",
    ),
    ("'abc'.split(1)", ("method", "abc", "split", (1,)), ERROR, f"{STRING} — re is a string"),
    # toUtf8
    (
        "'a'.toUtf8()",
        ("method", "a", "toUtf8", ()),
        b"a",
        f"{STRING} — toUtf8() returns the UTF-8 byte encoding of a string",
    ),
    (
        "'€'.toUtf8()",
        ("method", "€", "toUtf8", ()),
        b"\xe2\x82\xac",
        f"{STRING} — toUtf8(); € is 3 bytes in UTF-8",
    ),
    # operators documented on the String page
    (
        "'username' + '@domain.com'",
        ("binary", "+", "username", "@domain.com"),
        "username@domain.com",
        f"{STRING} — strings can be concatenated using the + operator",
    ),
    (
        "'abc'[0]",
        ("index", "abc", 0),
        "a",
        f"{STRING} — mystring[0] == 'a': the index operator",
    ),
    (
        "'abcdef'[0:3]",
        ("slice", "abcdef", 0, 3),
        "abc",
        f"{STRING} — mystring[0:3] == 'abc': the range operator, j not inclusive",
    ),
    ("'abc'[3]", ("index", "abc", 3), ERROR, f"{STRING} — index out of range is an error"),
    ("'abc'[-1]", ("index", "abc", -1), ERROR, f"{STRING} — a negative index is an error"),
    ("'abc'['a']", ("index", "abc", "a"), ERROR, f"{STRING} — the index is an integer"),
    ("'abc'[1:5]", ("slice", "abc", 1, 5), ERROR, f"{STRING} — range beyond the end is an error"),
    ("'abc'[2:1]", ("slice", "abc", 2, 1), ERROR, f"{STRING} — a reversed range is an error"),
    (
        "'a😀b'[1:3]",
        ("slice", "a😀b", 1, 3),
        "😀",
        f"{STRING} — the range operator counts UTF-16 code units",
    ),
    (
        "'a😀b'[3]",
        ("index", "a😀b", 3),
        "b",
        f"{STRING} — the index operator counts UTF-16 code units",
    ),
    ("'a' < 'b'", ("binary", "<", "a", "b"), True, f"{STRING} — lexicographic comparison"),
    ("'b' >= 'b'", ("binary", ">=", "b", "b"), True, f"{STRING} — lexicographic comparison"),
    ("'ab' < 'a'", ("binary", "<", "ab", "a"), False, f"{STRING} — lexicographic comparison"),
    (
        "'\\uffff' < '😀'",
        ("binary", "<", "\uffff", "😀"),
        False,
        f"{STRING} — compared by UTF-16 code units: U+FFFF sorts after a surrogate ({JAVA})",
    ),
    ("'a' + 1", ("binary", "+", "a", 1), ERROR, f"{STRING} — + concatenates strings only"),
    ("'a'.foo()", ("method", "a", "foo", ()), ERROR, f"{STRING} — no such method"),
    # rules.Bytes
    (
        "b'\\xFF\\xFF'.size()",
        ("method", b"\xff\xff", "size", ()),
        2,
        f"{BYTES} — b'\\xFF\\xFF'.size() == 2",
    ),
    ("b'a'.size()", ("method", b"a", "size", ()), 1, f"{BYTES} — b'a'.size() == 1"),
    (
        "b'€'.size()",
        ("method", "€".encode(), "size", ()),
        3,
        f"{BYTES} — b'€'.size() == 3 // 3-byte UTF-8 encoded string",
    ),
    (
        "b'\\xFB\\xEF\\xBE'.toBase64()",
        ("method", b"\xfb\xef\xbe", "toBase64", ()),
        "----",
        f"{BYTES} — b'\\xFB\\xEF\\xBE'.toBase64() == '----' (base64url)",
    ),
    (
        "b'\\x00\\x01'.toBase64()",
        ("method", b"\x00\x01", "toBase64", ()),
        "AAE=",
        f"{BYTES} — toBase64() per the base64url specification, padded",
    ),
    (
        "b'\\x2A'.toHexString()",
        ("method", b"*", "toHexString", ()),
        "2A",
        f"{BYTES} — b'\\x2A'.toHexString() == '2A'",
    ),
    (
        "b'**'.toHexString()",
        ("method", b"**", "toHexString", ()),
        "2A2A",
        f"{BYTES} — b'**'.toHexString() == '2A2A'",
    ),
    (
        "b'€'.toHexString()",
        ("method", "€".encode(), "toHexString", ()),
        "E282AC",
        f"{BYTES} — b'€'.toHexString() == 'E282AC'",
    ),
    (
        "b'*' == b'\\x2A'",
        ("binary", "==", b"*", b"\x2a"),
        True,
        f"{BYTES} — these are all equal to decimal 42",
    ),
    ("b'a' == 'a'", ("binary", "==", b"a", "a"), False, f"{BYTES} — bytes never equal a string"),
    ("b'a'.lower()", ("method", b"a", "lower", ()), ERROR, f"{BYTES} — bytes have no lower()"),
]
