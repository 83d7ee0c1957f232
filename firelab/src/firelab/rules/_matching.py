"""Which `match` blocks apply to a request path, and what their wildcards are bound to.

https://firebase.google.com/docs/rules/rules-language#match: a pattern may match a prefix of
the path (partial) or all of it (complete); only the rules of complete matches are evaluated,
nested patterns are relative to their parent, so a rule on a document never reaches its
subcollections. `{name}` binds one segment as a string; `{name=**}` binds a path. Per
https://firebase.google.com/docs/firestore/security/rules-structure#recursive_wildcards a
recursive wildcard matches zero or more segments in version 2 and one or more in version 1.

For a list request the document id is not known, and for a collection-group query neither is
the path above the collection: those positions are the `ANY_ONE` and `ANY_PREFIX` markers. A
pattern applies only if it matches whatever they stand for, so a literal never matches them, a
single wildcard matches `ANY_ONE` only, and a recursive wildcard swallows either; wildcards bound
to an unknown part hold an error value.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from firelab.rules import _ast as ast
from firelab.rules._values import RulesError, RulesPath, Value

__all__ = ["ANY_ONE", "ANY_PREFIX", "MatchLevel", "Segment", "match_levels"]


class _Marker(str):
    """A path position whose value is not known (distinct from any real segment text)."""

    __slots__ = ()


ANY_ONE = _Marker("{any document}")
ANY_PREFIX = _Marker("{any path}")

Segment = str


@dataclass(frozen=True, slots=True)
class MatchLevel:
    """One `match` on the way to a complete match, with the values its wildcards took."""

    match: ast.Match
    bindings: dict[str, Value]


def match_levels(
    matches: Sequence[ast.Match], path: Sequence[Segment], *, version2: bool
) -> Iterator[tuple[MatchLevel, ...]]:
    """Every chain of nested matches that completely matches `path`, outermost first.

    A chain is yielded once per distinct way of matching (a recursive wildcard in an outer
    block can split the path in several places).
    """
    for match in matches:
        yield from _descend(match, path, 0, (), version2)


def _descend(
    match: ast.Match,
    path: Sequence[Segment],
    start: int,
    chain: tuple[MatchLevel, ...],
    version2: bool,
) -> Iterator[tuple[MatchLevel, ...]]:
    for end, bindings in _match_pattern(match.segments, 0, path, start, {}, version2):
        levels = (*chain, MatchLevel(match, bindings))
        if end == len(path):
            yield levels
        else:
            for child in match.matches:
                yield from _descend(child, path, end, levels, version2)


def _match_pattern(
    pattern: Sequence[ast.PatternSegment],
    index: int,
    path: Sequence[Segment],
    position: int,
    bindings: dict[str, Value],
    version2: bool,
) -> Iterator[tuple[int, dict[str, Value]]]:
    """Yield (path position after the pattern, bindings) for each way the pattern matches."""
    if index == len(pattern):
        yield position, bindings
        return
    segment = pattern[index]
    if segment.kind == "recursive":
        least = 0 if version2 else 1
        for end in range(position + least, len(path) + 1):
            taken = path[position:end]
            bound = {**bindings, segment.value: _recursive_value(segment.value, taken)}
            yield from _match_pattern(pattern, index + 1, path, end, bound, version2)
        return
    if position >= len(path):
        return
    actual = path[position]
    if actual is ANY_PREFIX:
        return
    if segment.kind == "literal":
        if actual is not ANY_ONE and actual == segment.value:
            yield from _match_pattern(pattern, index + 1, path, position + 1, bindings, version2)
        return
    value: Value = _unknown(segment.value) if actual is ANY_ONE else actual
    bound = {**bindings, segment.value: value}
    yield from _match_pattern(pattern, index + 1, path, position + 1, bound, version2)


def _recursive_value(name: str, taken: Sequence[Segment]) -> Value:
    if any(part is ANY_ONE or part is ANY_PREFIX for part in taken):
        return _unknown(name)
    return RulesPath(tuple(taken))


def _unknown(name: str) -> RulesError:
    return RulesError(f"wildcard '{name}' has no single value in a query over many documents")
