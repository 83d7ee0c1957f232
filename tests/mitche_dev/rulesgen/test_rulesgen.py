"""The generator's pieces: the public surface, literals, wrapping, the splice between the
markers, and the shapes it refuses to translate."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

import mitche_dev.rulesgen as rulesgen
from firelab.rules import evaluate_expression
from mitche import models
from mitche.models import REQUEST_TIME, WrittenBy, withdrawal_of, written_by
from mitche.models.registry import collection_specs
from mitche_dev.rulesgen import BEGIN_MARKER, END_MARKER, RulesGenError, render_section, splice
from mitche_dev.rulesgen._literal import LINE_LENGTH, conjunction, quote, string_list, wrap
from mitche_dev.rulesgen._render import document_rules
from mitche_dev.rulesgen._types import Checks, parenthesized
from mitche_dev.schemagen import build_schema_set

ROOT = Path(__file__).resolve().parents[3]


def _isort_key(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions: the order ruff's RUF022 keeps."""
    kind = 0 if name.isupper() else 1 if name[0].isupper() else 2
    return kind, name


def test_all_is_sorted_and_lists_exactly_the_public_names():
    """`__all__` is sorted, and every public non-module name is exported and exists."""
    assert rulesgen.__all__ == sorted(rulesgen.__all__, key=_isort_key)
    public = {
        name
        for name, value in vars(rulesgen).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }
    assert public == set(rulesgen.__all__)


@pytest.mark.parametrize(
    "text", ["plain", "it's", r"^\d{4}-[a-z]+$", "back\\slash", "tab\there", "line\nbreak"]
)
def test_quoted_strings_read_back_as_the_same_value(text):
    """A quoted literal evaluates, in the rules language, to the original text."""
    assert evaluate_expression(quote(text)) == text


def test_long_lists_wrap_within_the_line_length():
    """A list literal too long for one line is split onto lines that fit."""
    rendered = string_list([f"value{i}" for i in range(40)], indent=4)
    assert all(len(line) <= LINE_LENGTH for line in rendered.splitlines())
    assert evaluate_expression(rendered) == [f"value{i}" for i in range(40)]


def test_wrapping_breaks_at_the_least_nested_operator():
    """A long condition is broken before a top-level `&&`, not inside parentheses."""
    text = "alpha_condition_one == 1 && (beta_condition_two == 2 || gamma_condition_three == 3)"
    wrapped = wrap(text, start=60, indent=4)
    assert wrapped.splitlines()[0] == "alpha_condition_one == 1"
    assert wrapped.replace("\n    ", " ") == text


def test_conjunctions_put_one_term_per_line():
    """Terms after the first start a line with `&&`."""
    assert conjunction(["a", "b", "c"], indent=2) == "a\n    && b\n    && c"
    assert conjunction([], indent=2) == "true"


@pytest.mark.parametrize(
    ("within", "expression", "expected"),
    [
        ("||", "a && b", "(a && b)"),
        ("||", "f(a && b)", "f(a && b)"),
        ("&&", "a && b", "a && b"),
        ("&&", "a || b", "(a || b)"),
        ("||", "!a", "(!a)"),
    ],
)
def test_parentheses_only_where_precedence_needs_them(within, expression, expected):
    """An operand gets parentheses when a top-level operator would otherwise read wrongly."""
    assert parenthesized(expression, within=within) == expected


def test_splice_replaces_only_the_text_between_the_markers(tmp_path):
    """The hand-written rules around the markers are kept, the section indented like them."""
    path = tmp_path / "firestore.rules"
    path.write_text(f"head\n  {BEGIN_MARKER}\n  old\n  {END_MARKER}\ntail\n", encoding="utf-8")
    result = splice(path, "function f() {\n\n  return true;\n}\n")
    assert result.changed
    body = "  function f() {\n\n    return true;\n  }\n"
    assert result.text == f"head\n  {BEGIN_MARKER}\n{body}  {END_MARKER}\ntail\n"


def test_splice_needs_both_markers_once(tmp_path):
    """A rules file without its markers is an error, never silently rewritten."""
    path = tmp_path / "firestore.rules"
    path.write_text(f"{BEGIN_MARKER}\n", encoding="utf-8")
    with pytest.raises(RulesGenError, match="exactly one line"):
        splice(path, "")


def test_unbounded_lists_are_refused():
    """A list without maxItems cannot be checked and stops the generation."""
    checks = Checks(build_schema_set(collection_specs().values()))
    with pytest.raises(RulesGenError, match="without maxItems"):
        checks.value({"type": "array", "items": {"type": "string"}}, "v", context="X")


def test_patterns_without_an_re2_equivalent_are_refused():
    """A look-ahead pattern of an unnamed type is reported rather than emitted."""
    checks = Checks(build_schema_set(collection_specs().values()))
    with pytest.raises(RulesGenError, match="is not RE2"):
        checks.value({"type": "string", "pattern": "^(?!x).*$"}, "v", context="X")


def test_the_section_declares_each_function_once():
    """No function name is generated twice (the rules language has no overloading)."""
    section = render_section(collection_specs().values())
    names = [line.split("(")[0] for line in section.splitlines() if line.startswith("function ")]
    assert len(names) == len(set(names))


def test_a_withdrawn_field_is_never_a_generated_write_key():
    """A CLIENT_WITHDRAW field (an event's `approval`) is a key the document holds but no
    create or update key: the hand-written rule of its document alone lets a client write it,
    and that rule demands exactly the declared withdrawal (the server's time as
    `request.time`)."""
    schemas = build_schema_set(collection_specs().values())
    rules = (ROOT / "firestore.rules").read_text(encoding="utf-8")
    withdrawn = []
    for document in document_rules(schemas):
        for name, info in getattr(models, document.model).model_fields.items():
            if written_by(info) is not WrittenBy.CLIENT_WITHDRAW:
                continue
            wire = info.alias or name
            withdrawn.append((document.path, wire))
            assert wire in document.all_keys
            assert wire not in document.create_keys
            assert wire not in document.update_keys
            value = ", ".join(
                f"{quote(key)}: {'request.time' if text == REQUEST_TIME else quote(text)}"
                for key, text in withdrawal_of(info).items()
            )
            assert f"request.resource.data.{wire} == {{{value}}}" in rules
    assert ("communityEvents/{eventId}", "approval") in withdrawn
