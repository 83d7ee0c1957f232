"""The parser turns rules source into the syntax tree the evaluator walks."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from firelab.rules import _ast as ast
from firelab.rules import parse_expression, parse_ruleset
from firelab.rules._parser import MAX_NESTING_DEPTH

TESTDATA = Path(__file__).parent / "testdata"


def sexpr(node: ast.Node | str | None) -> str:
    """A compact, precedence-revealing rendering of an expression tree."""
    if isinstance(node, str):
        return node
    match node:
        case ast.Constant(value=None):
            return "null"
        case ast.Constant(value=bool() as value):
            return "true" if value else "false"
        case ast.Constant(value=float() as value):
            return f"{value!r}f"
        case ast.Constant(value=value):
            return repr(value)
        case ast.Ident(name=name):
            return name
        case ast.Binary(op=op, left=left, right=right):
            return f"({op} {sexpr(left)} {sexpr(right)})"
        case ast.And(left=left, right=right):
            return f"(&& {sexpr(left)} {sexpr(right)})"
        case ast.Or(left=left, right=right):
            return f"(|| {sexpr(left)} {sexpr(right)})"
        case ast.Unary(op=op, operand=operand):
            return f"({op} {sexpr(operand)})"
        case ast.IsType(operand=operand, type_name=type_name):
            return f"(is {sexpr(operand)} {type_name})"
        case ast.Ternary(condition=condition, if_true=if_true, if_false=if_false):
            return f"(? {sexpr(condition)} {sexpr(if_true)} {sexpr(if_false)})"
        case ast.Member(target=target, name=name):
            return f"(. {sexpr(target)} {name})"
        case ast.Index(target=target, index=index):
            return f"([] {sexpr(target)} {sexpr(index)})"
        case ast.Slice(target=target, start=start, end=end):
            return f"([:] {sexpr(target)} {sexpr(start)} {sexpr(end)})"
        case ast.Call(target=None, name=name, args=args):
            return "(" + " ".join([f"{name}()", *map(sexpr, args)]) + ")"
        case ast.Call(target=target, name=name, args=args):
            return "(" + " ".join([f".{name}()", sexpr(target), *map(sexpr, args)]) + ")"
        case ast.ListExpr(items=items):
            return "[" + " ".join(map(sexpr, items)) + "]"
        case ast.MapExpr(entries=entries):
            return "{" + " ".join(f"{sexpr(k)}:{sexpr(v)}" for k, v in entries) + "}"
        case ast.PathExpr(segments=segments):
            parts = [s if isinstance(s, str) else f"$({sexpr(s)})" for s in segments]
            return "(path " + " ".join(parts) + ")"
    raise AssertionError(f"unexpected node {node!r}")


EXPRESSIONS = [
    # Logical operators: || binds looser than &&, both left-associative.
    ("a || b && c", "(|| a (&& b c))"),
    ("a && b || c", "(|| (&& a b) c)"),
    ("a || b || c", "(|| (|| a b) c)"),
    ("a && b && c", "(&& (&& a b) c)"),
    ("(a || b) && c", "(&& (|| a b) c)"),
    # Equality is looser than `is`, which is looser than `in`, looser than relational.
    ("a == b && c != d", "(&& (== a b) (!= c d))"),
    ("a < b == c >= d", "(== (< a b) (>= c d))"),
    ("a in b == c", "(== (in a b) c)"),
    ("a + b in c", "(in (+ a b) c)"),
    ("a < b in c", "(in (< a b) c)"),
    ("a in b is bool", "(is (in a b) bool)"),
    ("a is int == b is int", "(== (is a int) (is b int))"),
    ("a == b == c", "(== (== a b) c)"),
    # Arithmetic.
    ("a + b * c", "(+ a (* b c))"),
    ("a - b - c", "(- (- a b) c)"),
    ("a / b % c * d", "(* (% (/ a b) c) d)"),
    ("(a + b) * c", "(* (+ a b) c)"),
    ("1 - -1", "(- 1 (- 1))"),
    ("a+b-c", "(- (+ a b) c)"),
    # Unary binds tighter than binary operators and looser than member access.
    ("!a && b", "(&& (! a) b)"),
    ("!!a", "(! (! a))"),
    ("-a.b", "(- (. a b))"),
    ("-x[0] * 2", "(* (- ([] x 0)) 2)"),
    ("!a in b", "(in (! a) b)"),
    # Ternary is loosest and nests to the right.
    ("a ? b : c", "(? a b c)"),
    ("a ? b : c ? d : e", "(? a b (? c d e))"),
    ("a ? b ? c : d : e", "(? a (? b c d) e)"),
    ("a || b ? c && d : e", "(? (|| a b) (&& c d) e)"),
    # Member access, indexing, slicing and calls chain left to right.
    ("a.b.c", "(. (. a b) c)"),
    ("a.b.c(d, e)[0]", "([] (.c() (. a b) d e) 0)"),
    ("f(x).y", "(. (f() x) y)"),
    ("f()", "(f())"),
    ("math.abs(-1)", "(.abs() math (- 1))"),
    ("x[1:3]", "([:] x 1 3)"),
    ("'abc'[0]", "([] 'abc' 0)"),
    ("m['k'].size()", "(.size() ([] m 'k'))"),
    ("data.get('role', 'member')", "(.get() data 'role' 'member')"),
    ("get(/a/b).data", "(. (get() (path a b)) data)"),
    (
        "request.resource.data.keys().hasOnly(['a'])",
        "(.hasOnly() (.keys() (. (. request resource) data)) ['a'])",
    ),
    # Literals.
    ("1", "1"),
    ("0x1F", "31"),
    ("1.0", "1.0f"),
    ("1e3", "1000.0f"),
    ("2.5E-1", "0.25f"),
    (".5", "0.5f"),
    ("-9223372036854775808", "-9223372036854775808"),
    ("9223372036854775807", "9223372036854775807"),
    ("'a\\nb'", "'a\\nb'"),
    ('"it\'s"', '"it\'s"'),
    ("'\\u00e9\\x41\\101'", "'éAA'"),
    ("b'\\x00\\xff'", "b'\\x00\\xff'"),
    ("b'\\101\\u00e9'", "b'A\\xc3\\xa9'"),
    ('B"ab"', "b'ab'"),
    ("null", "null"),
    ("true", "true"),
    ("false", "false"),
    ("[]", "[]"),
    ("[1, 'a',]", "[1 'a']"),
    ("{}", "{}"),
    ("{'a': 1, 'b': [2]}", "{'a':1 'b':[2]}"),
    ("{'a': {'b': null},}", "{'a':{'b':null}}"),
    # Path literals: literal segments, `$(expr)` interpolation, `(default)`.
    (
        "/databases/$(database)/documents/users/$(request.auth.uid)",
        "(path databases $(database) documents users $((. (. request auth) uid)))",
    ),
    ("/databases/(default)/documents/x", "(path databases (default) documents x)"),
    ("/a/$(b + 'c')/d-e.f_g", "(path a $((+ b 'c')) d-e.f_g)"),
    ("exists(/a/$(b)) && c", "(&& (exists() (path a $(b))) c)"),
    ("a / b", "(/ a b)"),
    ("a / /x/y", "(/ a (path x y))"),
    # Keywords of the declaration syntax are plain names inside expressions.
    ("match + allow", "(+ match allow)"),
    ("x.get + list", "(+ (. x get) list)"),
    # Comments are ignored anywhere.
    ("a /* inner */ && // trailing\n b", "(&& a b)"),
]


@pytest.mark.parametrize(("source", "expected"), EXPRESSIONS)
def test_expression_shape(source: str, expected: str) -> None:
    """Each expression parses with the precedence and associativity of the rules language."""
    assert sexpr(parse_expression(source)) == expected


def test_float_literals_keep_their_type() -> None:
    """`1.0` is a float constant and `1` an int constant, though they compare equal in Python."""
    one_float = parse_expression("1.0")
    one_int = parse_expression("1")
    assert isinstance(one_float, ast.Constant)
    assert isinstance(one_int, ast.Constant)
    assert type(one_float.value) is float
    assert type(one_int.value) is int


def test_large_float_exponent_within_range_parses() -> None:
    """A float literal near the top of the 64-bit range is kept exactly."""
    node = parse_expression("1.7976931348623157e308")
    assert isinstance(node, ast.Constant)
    assert node.value == 1.7976931348623157e308
    assert isinstance(node.value, float)
    assert not math.isinf(node.value)


def test_full_firestore_rules_file() -> None:
    """A realistic firestore.rules parses into its service, functions, matches and allows."""
    source = (TESTDATA / "firestore_full.rules").read_text()
    ruleset = parse_ruleset(source, "firestore_full.rules")
    assert ruleset.rules_version == "2"
    assert ruleset.filename == "firestore_full.rules"
    assert ruleset.service.name == "cloud.firestore"
    (database,) = ruleset.service.matches
    assert database.pattern == "/databases/{database}/documents"
    assert [f.name for f in database.functions] == [
        "isSignedIn",
        "isOwner",
        "isAdmin",
        "role",
        "onlyChanges",
        "validPost",
    ]
    assert [m.pattern for m in database.matches] == [
        "/users/{userId}",
        "/posts/{postId}",
        "/{path=**}/comments/{commentId}",
        "/counters/{counterId}",
        "/settings/{key}",
    ]
    users = database.matches[0]
    assert [a.methods for a in users.allows] == [
        ("get",),
        ("list",),
        ("create",),
        ("update",),
        ("delete",),
    ]
    assert [m.pattern for m in users.matches] == ["/notes/{noteId}"]
    only_changes = database.functions[4]
    assert only_changes.params == ("keys",)
    assert [let.name for let in only_changes.lets] == ["diff", "affected"]
    assert sexpr(only_changes.result) == "(.hasOnly() affected keys)"
    comments = database.matches[1].matches[0]
    assert comments.allows[0].condition is None


def test_full_storage_rules_file() -> None:
    """A realistic storage.rules parses, literal segments with dots included."""
    source = (TESTDATA / "storage_full.rules").read_text()
    ruleset = parse_ruleset(source, "storage_full.rules")
    assert ruleset.service.name == "firebase.storage"
    (bucket,) = ruleset.service.matches
    assert bucket.pattern == "/b/{bucket}/o"
    assert [m.pattern for m in bucket.matches] == [
        "/users/{userId}/{allPaths=**}",
        "/users/{userId}/avatar.png",
        "/conversations/{conversationId}/{fileName}",
    ]
    kinds = [(s.kind, s.value) for s in bucket.matches[0].segments]
    assert kinds == [("literal", "users"), ("wildcard", "userId"), ("recursive", "allPaths")]
    read = bucket.matches[2].allows[0]
    assert read.condition is not None
    assert "(.get() firestore (path databases (default) documents" in sexpr(read.condition)


@pytest.mark.parametrize(
    ("pattern", "segments"),
    [
        ("/a", [("literal", "a")]),
        ("/{doc=**}", [("recursive", "doc")]),
        (
            "/{p=**}/comments/{id}",
            [("recursive", "p"), ("literal", "comments"), ("wildcard", "id")],
        ),
        (
            "/users/{uid}/files/{rest=**}",
            [
                ("literal", "users"),
                ("wildcard", "uid"),
                ("literal", "files"),
                ("recursive", "rest"),
            ],
        ),
    ],
)
def test_match_pattern_segments(pattern: str, segments: list[tuple[str, str]]) -> None:
    """Match paths split into literal, single-segment and recursive (anywhere) segments."""
    ruleset = parse_ruleset(f"service s {{ match {pattern} {{ allow read; }} }}")
    match = ruleset.service.matches[0]
    assert [(s.kind, s.value) for s in match.segments] == segments
    assert match.pattern == pattern


def test_allow_forms() -> None:
    """`allow` takes comma-separated methods, an optional condition and an optional `;`."""
    source = """service s {
      match /a {
        allow read
        allow create, update: if true
        allow delete: if x;
        allow get, list , write;
      }
    }"""
    allows = parse_ruleset(source).service.matches[0].allows
    assert [(a.methods, a.condition is None) for a in allows] == [
        (("read",), True),
        (("create", "update"), False),
        (("delete",), False),
        (("get", "list", "write"), True),
    ]


def test_functions_at_service_and_match_scope() -> None:
    """Functions are declared at service level and inside matches, with or without params."""
    source = """service cloud.firestore {
      function top() { return true }
      match /a/{b} {
        function inner(x, y) { let z = x + y; return z > 0; }
        allow read: if inner(1, 2) && top();
      }
    }"""
    service = parse_ruleset(source).service
    assert [f.name for f in service.functions] == ["top"]
    inner = service.matches[0].functions[0]
    assert (inner.name, inner.params, len(inner.lets)) == ("inner", ("x", "y"), 1)


def test_ten_let_bindings_are_accepted() -> None:
    """A function may hold exactly ten let bindings."""
    lets = " ".join(f"let v{i} = {i};" for i in range(10))
    ruleset = parse_ruleset(f"service s {{ function f() {{ {lets} return v9; }} }}")
    assert len(ruleset.service.functions[0].lets) == 10


def test_positions_point_at_source() -> None:
    """Nodes carry the 1-based line and column of their first character and their end."""
    source = "service s {\n  match /a {\n    allow read: if x == 'y';\n  }\n}\n"
    allow = parse_ruleset(source).service.matches[0].allows[0]
    assert (allow.line, allow.column) == (3, 5)
    condition = allow.condition
    assert isinstance(condition, ast.Binary)
    assert (condition.line, condition.column, condition.end_line, condition.end_column) == (
        3,
        20,
        3,
        28,
    )
    assert (condition.right.line, condition.right.column) == (3, 25)


def test_node_ids_are_unique_and_stable() -> None:
    """Every node has a distinct id, and parsing the same text twice gives the same ids."""
    source = (TESTDATA / "firestore_full.rules").read_text()
    first = [
        (type(n).__name__, n.line, n.column, n.node_id) for n in ast.walk(parse_ruleset(source))
    ]
    second = [
        (type(n).__name__, n.line, n.column, n.node_id) for n in ast.walk(parse_ruleset(source))
    ]
    assert first == second
    ids = [entry[3] for entry in first]
    assert len(ids) == len(set(ids))


def test_walk_visits_every_condition_node() -> None:
    """walk() reaches nodes nested inside functions, allows and matches."""
    ruleset = parse_ruleset((TESTDATA / "storage_full.rules").read_text())
    names = {n.name for n in ast.walk(ruleset) if isinstance(n, ast.Call)}
    assert {"isSignedIn", "matches", "get", "exists", "hasOnly", "smallerThan"} <= names


def test_deep_nesting_within_limit_parses() -> None:
    """Nesting up to the limit parses; redundant parentheses add no nodes."""
    node = parse_expression("!" * MAX_NESTING_DEPTH + "x")
    depth = 0
    while isinstance(node, ast.Unary):
        node, depth = node.operand, depth + 1
    assert depth == MAX_NESTING_DEPTH
    assert isinstance(parse_expression("(" * 500 + "1" + ")" * 500), ast.Constant)
