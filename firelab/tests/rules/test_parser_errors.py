"""Syntax errors say which file, line and column, and what would have been accepted there."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firelab.rules import Ruleset, RulesSyntaxError, parse_expression, parse_ruleset
from firelab.rules._parser import MAX_LET_BINDINGS, MAX_NESTING_DEPTH

TESTDATA = Path(__file__).parent / "testdata"

FUNCTION_WITHOUT_SEMICOLON = """service cloud.firestore {
  function f() {
    let a = 1
    return a;
  }
}"""

ALLOW_WITHOUT_EXPRESSION = """service cloud.firestore {
  match /a {
    allow read: if
  }
}"""

# (source, line, column, an item of `expected` or None, a fragment of the message)
SYNTAX_ERRORS = [
    ("", 1, 1, "'service'", "unexpected end of input"),
    ("service", 1, 8, "identifier", "unexpected end of input"),
    ("service cloud.firestore {", 1, 26, "'}'", "unexpected end of input"),
    ("service cloud.firestore { } extra", 1, 29, "end of input", "unexpected 'extra'"),
    ("rules_version = 2;\nservice s {}", 1, 17, "string", "unexpected '2'"),
    ("rules_version = '2'\nservice s {", 2, 12, "'match'", "unexpected end of input"),
    (FUNCTION_WITHOUT_SEMICOLON, 4, 5, "';'", "unexpected 'return'"),
    (ALLOW_WITHOUT_EXPRESSION, 4, 3, "identifier", "unexpected '}'"),
    ("service s { match /a { allow read if true; } }", 1, 35, "':'", "unexpected 'if'"),
    ("service s { match /a { allow: if true; } }", 1, 29, "identifier", "unexpected ':'"),
    ("service s { match /a { allow reed: if true; } }", 1, 30, "'read'", "unknown method 'reed'"),
    ("service s { match /a { allow read, : if true; } }", 1, 36, "identifier", "unexpected ':'"),
    ("service s { match users/{id} { } }", 1, 19, "path pattern", "unexpected 'users'"),
    ("service s { match /a/{b-c} { } }", 1, 22, "'{name}'", "malformed wildcard '{b-c}'"),
    ("service s { match /a/{} { } }", 1, 22, "'{name=**}'", "malformed wildcard '{}'"),
    ("service s { match /{a=*} { } }", 1, 20, "'{name=**}'", "malformed wildcard '{a=*}'"),
    (
        "service s { match /{a=**}/b/{c=**} { } }",
        1,
        29,
        None,
        "only one recursive wildcard",
    ),
    ("service s { function f() { let a = 1; } }", 1, 39, "'return'", "unexpected '}'"),
    ("service s { function f(a, a) { return a; } }", 1, 27, None, "parameter 'a' repeated"),
    ("service s { function f() { return } }", 1, 35, "identifier", "unexpected '}'"),
    ("service s { allow read; }", 1, 13, "'match'", "unexpected 'allow'"),
    ("service s { match /a { allow read: if (a && b; } }", 1, 46, "')'", "unexpected ';'"),
    ("service s { match /a { allow read: if a b; } }", 1, 41, "'&&'", "unexpected 'b'"),
]

EXPRESSION_ERRORS = [
    ("a +", 1, 4, "identifier", "unexpected end of input"),
    ("a ? b", 1, 6, "':'", "unexpected end of input"),
    ("x[1:]", 1, 5, "integer", "unexpected ']'"),
    ("x[:2]", 1, 3, "integer", "unexpected ':'"),
    ("f(,)", 1, 3, "')'", "unexpected ','"),
    ("'abc", 1, 1, "string", 'unexpected "\'"'),
    ("'a\\qb'", 1, 3, None, "unknown escape sequence '\\q'"),
    ("'\\x4'", 1, 2, None, "needs 2 hexadecimal digits"),
    ("'\\ud800'", 1, 2, None, "is not a code point"),
    ("'\\400'", 1, 2, None, "octal escape"),
    ("'\\08'", 1, 2, None, "octal escape"),
    ("9223372036854775808", 1, 1, None, "does not fit in 64 bits"),
    ("1 + 9223372036854775808", 1, 5, None, "does not fit in 64 bits"),
    ("0x10000000000000000", 1, 1, None, "does not fit in 64 bits"),
    ("1e999", 1, 1, None, "out of range"),
    ("a.5", 1, 3, "identifier", "unexpected '5'"),
    ("a is", 1, 5, "identifier", "unexpected end of input"),
    ("{'a' 1}", 1, 6, "':'", "unexpected '1'"),
    ("/a/$(b", 1, 7, "')'", "unexpected end of input"),
    ("#", 1, 1, "identifier", "unexpected '#'"),
    ("a\n  &&\n  ", 3, 3, "identifier", "unexpected end of input"),
]


def _assert_error(
    error: RulesSyntaxError,
    filename: str,
    line: int,
    column: int,
    expected: str | None,
    message: str,
) -> None:
    assert (error.filename, error.line, error.column) == (filename, line, column)
    assert message in error.message
    if expected is None:
        assert error.expected == ()
    else:
        assert expected in error.expected


@pytest.mark.parametrize(("source", "line", "column", "expected", "message"), SYNTAX_ERRORS)
def test_ruleset_syntax_error(
    source: str, line: int, column: int, expected: str | None, message: str
) -> None:
    """A malformed rules file raises RulesSyntaxError at the offending line and column."""
    with pytest.raises(RulesSyntaxError) as caught:
        parse_ruleset(source, "bad.rules")
    _assert_error(caught.value, "bad.rules", line, column, expected, message)


@pytest.mark.parametrize(("source", "line", "column", "expected", "message"), EXPRESSION_ERRORS)
def test_expression_syntax_error(
    source: str, line: int, column: int, expected: str | None, message: str
) -> None:
    """A malformed expression raises RulesSyntaxError at the offending line and column."""
    with pytest.raises(RulesSyntaxError) as caught:
        parse_expression(source, "expr")
    _assert_error(caught.value, "expr", line, column, expected, message)


def test_too_many_let_bindings() -> None:
    """An eleventh let binding is rejected at its own position."""
    lets = " ".join(f"let v{i} = {i};" for i in range(MAX_LET_BINDINGS + 1))
    source = f"service s {{ function f() {{ {lets} return v0; }} }}"
    with pytest.raises(RulesSyntaxError) as caught:
        parse_ruleset(source)
    assert caught.value.column == source.index(f"let v{MAX_LET_BINDINGS} ") + 1
    assert "more than 10 let bindings" in caught.value.message


def test_nesting_over_the_limit() -> None:
    """Expressions nested deeper than the limit are rejected instead of risking the stack."""
    with pytest.raises(RulesSyntaxError) as caught:
        parse_expression("!" * (MAX_NESTING_DEPTH + 1) + "x")
    assert "nested deeper" in caught.value.message


def test_error_text_names_file_line_column_and_expectation() -> None:
    """str() of the error reads `file:line:column: message; expected ...` with a caret line."""
    with pytest.raises(RulesSyntaxError) as caught:
        parse_ruleset("service s {\n  match /a { allow read: if ; }\n}", "firestore.rules")
    text = str(caught.value)
    first, source_line, caret = text.split("\n")
    assert first.startswith("firestore.rules:2:29: unexpected ';'; expected ")
    assert source_line == "    match /a { allow read: if ; }"
    assert caret.index("^") == source_line.index(";")


def test_error_survives_pickling() -> None:
    """RulesSyntaxError pickles with its position intact (for multiprocessing test runners)."""
    with pytest.raises(RulesSyntaxError) as caught:
        parse_expression("a +", "x.rules")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.filename, copy.line, copy.column, copy.expected) == (
        "x.rules",
        1,
        4,
        caught.value.expected,
    )


# ---------------------------------------------------------------------------------------------
# Properties

_VALID = (TESTDATA / "firestore_full.rules").read_text()
_FRAGMENTS = [
    "service",
    "cloud.firestore",
    "match",
    "/a/{b}",
    "/{c=**}",
    "allow",
    "read",
    "get,",
    ":",
    "if",
    "function",
    "f(",
    ")",
    "{",
    "}",
    "[",
    "]",
    "let",
    "=",
    ";",
    "return",
    "&&",
    "||",
    "!",
    "==",
    "in",
    "is",
    "?",
    "'s'",
    "b'\\x00'",
    "1",
    "1.5",
    ".5",
    "$(",
    "/",
    "//",
    "/*",
    "*/",
    "\n",
    " ",
    "\\",
    '"',
    "'",
    "rules_version",
    "-",
    "x.y",
    "[1:2]",
]


def _outcome(source: str) -> Ruleset | RulesSyntaxError:
    try:
        return parse_ruleset(source, "fuzz.rules")
    except RulesSyntaxError as error:
        return error


def _check_outcome(source: str) -> None:
    result = _outcome(source)
    if isinstance(result, RulesSyntaxError):
        assert result.filename == "fuzz.rules"
        lines = source.split("\n")
        assert 1 <= result.line <= len(lines)
        assert 1 <= result.column <= len(lines[result.line - 1]) + 1
    else:
        assert isinstance(result, Ruleset)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_parses_or_raises_syntax_error(source: str) -> None:
    """For any text the parser returns a Ruleset or raises RulesSyntaxError inside the text."""
    _check_outcome(source)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map(" ".join))
def test_token_soup_parses_or_raises_syntax_error(source: str) -> None:
    """Random sequences of rules tokens only ever parse or raise a positioned syntax error."""
    _check_outcome(source)


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=len(_VALID)),
    st.integers(min_value=0, max_value=20),
    st.sampled_from(["", *_FRAGMENTS]),
)
def test_mutated_rules_file_parses_or_raises_syntax_error(
    position: int, deleted: int, inserted: str
) -> None:
    """A realistic rules file with a span cut and a fragment spliced in parses or fails cleanly."""
    _check_outcome(_VALID[:position] + inserted + _VALID[position + deleted :])
