"""Regular expressions of the models as the rules language runs them (RE2, whole-string
`matches`): patterns checked for RE2, a string type's pattern and sizes folded into one
expression, and the named types whose look-ahead patterns are written another way."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

import re2

from mitche_dev.rulesgen._literal import quote

__all__ = [
    "JOIN_SAFE",
    "QUANTIFIER",
    "REPLACEMENTS",
    "RulesGenError",
    "element_regex",
    "re2_pattern",
]

JsonSchema = dict[str, Any]


class RulesGenError(Exception):
    """The models hold a shape the generator cannot express in the rules language."""


JOIN_SAFE: Final = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789[]()-_?*+|"
)
"""Characters of a regular expression (counted repetitions aside) that leave it unable to
match a `,`: letters, digits, `_` and `-` in or out of classes, groups, `?`, `*`, `+` and
`|` (no negated class, `.`, escape or anchor)."""
QUANTIFIER: Final = re.compile(r"\{\d+(,\d*)?\}")
_CLASS_SHAPE: Final = re.compile(r"^(\[[^\]^]+\])(\[[^\]^]+\])?([*+])$")


_RE2_OPTIONS: Final = re2.Options()
_RE2_OPTIONS.log_errors = False

_EMOJI_CHARACTERS: Final = quote(r"[^\sA-Za-z./\[\]`*~]+")
_NON_ASCII: Final = quote(r"(?s).*[^\x00-\x7f].*")
REPLACEMENTS: Final[Mapping[str, Callable[[str], str]]] = {
    "DocumentId": lambda v: (
        f"{v} is string && {v}.matches('[^/]{{1,128}}') && !({v} in ['.', '..'])"
        f" && !{v}.matches('__.*__')"
    ),
    "Emoji": lambda v: (
        f"{v} is string && {v}.size() <= 16 && {v}.matches({_EMOJI_CHARACTERS})"
        f" && {v}.matches({_NON_ASCII})"
    ),
}
"""Named types whose pattern uses look-ahead, which RE2 lacks, written without it."""


def re2_pattern(pattern: str, context: str) -> str:
    """`pattern`, after checking that RE2 (the rules' regular expressions) compiles it."""
    try:
        re2.compile(pattern, _RE2_OPTIONS)
    except re2.error as exc:
        raise RulesGenError(
            f"{context}: pattern {pattern!r} is not RE2 ({exc!r}); give its type a name in "
            "mitche.models and a replacement in mitche_dev.rulesgen"
        ) from exc
    return pattern


def _pattern_body(pattern: str) -> str:
    return pattern.removeprefix("^").removesuffix("$")


def _width(pattern: str) -> tuple[int, int]:
    """Shortest and longest match of a regular expression, from Python's own regex parser
    (`re._parser`, which typeshed does not describe, hence the import by name)."""
    parser: Any = importlib.import_module("re._parser")
    low, high = parser.parse(pattern).getwidth()
    return int(low), int(high)


def element_regex(schema: JsonSchema) -> str | None:
    """One regular expression equivalent to a string schema's pattern and sizes, or None.

    The sizes are dropped when the pattern already implies them, or folded into the last
    repetition of a pattern made of one or two character classes (`[a-z0-9][a-z0-9-]*` of at
    most 40 characters is `[a-z0-9][a-z0-9-]{0,39}`). Both count code points, as pydantic does.
    """
    pattern = schema.get("pattern")
    if not isinstance(pattern, str):
        return None
    body = _pattern_body(pattern)
    low, high = int(schema.get("minLength", 0)), schema.get("maxLength")
    shortest, longest = _width(body)
    if low <= shortest and (high is None or longest <= int(high)):
        return body
    shape = _CLASS_SHAPE.match(body)
    if shape is None or high is None:
        return None
    first, second, repeat = shape.groups()
    if second is None:
        fewest = max(low, 1 if repeat == "+" else 0)
        return f"{first}{{{fewest},{high}}}"
    if repeat != "*":
        return None
    return f"{first}{second}{{{max(low - 1, 0)},{int(high) - 1}}}"
