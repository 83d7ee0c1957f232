"""Static checks of a parsed ruleset: the mistakes that parse but are almost never meant.

Each finding has a stable code:

- `no-version`: no `rules_version = '2'` — version 1 semantics (recursive wildcards match one
  or more segments and only at the end; no collection-group queries).
- `unknown-service`: a service other than `cloud.firestore` or `firebase.storage`.
- `open-write`: an `allow` of a write method without a condition.
- `always-true`: a condition that is true whatever the request.
- `unused-function`: a function nothing calls.
- `unreachable-match`: a match that can never apply to a document or object.
- `unknown-variable` / `unknown-function`: a name not in scope where it is used.
- `recursion`: functions that call themselves, directly or not (not permitted).
- `limit`: over a documented limit (https://firebase.google.com/docs/firestore/security/
  rules-structure#security_rule_limits): 7 function arguments, 10 nested matches, 20 capture
  variables along nested matches.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from firelab.rules import _ast as ast
from firelab.rules._access import AccessTracker
from firelab.rules._context import FIRESTORE, STORAGE
from firelab.rules._evaluator import Evaluator, Frame
from firelab.rules._functions import lookup_function

__all__ = ["Finding", "check_ruleset"]

MAX_FUNCTION_ARGUMENTS = 7
MAX_MATCH_DEPTH = 10
MAX_CAPTURES = 20

_WRITE_METHODS = frozenset({"create", "update", "delete", "write"})
_GLOBALS = frozenset({"request", "resource"})
_ACCESS_FUNCTIONS = frozenset({"get", "exists", "getAfter", "existsAfter"})


@dataclass(frozen=True, slots=True)
class Finding:
    """One warning about a ruleset, at a source position."""

    code: str
    line: int
    column: int
    message: str

    def format(self, filename: str) -> str:
        """`file:line:column: warning[code]: message`."""
        return f"{filename}:{self.line}:{self.column}: warning[{self.code}]: {self.message}"


def check_ruleset(ruleset: ast.Ruleset) -> list[Finding]:
    """Every finding of every check, in source order."""
    checker = _Checker(ruleset)
    checker.run()
    return sorted(checker.findings, key=lambda f: (f.line, f.column, f.code))


@dataclass(frozen=True, slots=True)
class _Scope:
    """What is visible at one place: variable names and functions, with the match chain."""

    variables: frozenset[str]
    functions: Mapping[str, ast.Function]
    chain: tuple[ast.Match, ...]


class _Checker:
    def __init__(self, ruleset: ast.Ruleset) -> None:
        self.ruleset = ruleset
        self.service = ruleset.service
        self.findings: list[Finding] = []
        self.called: set[str] = set()
        self.calls: dict[int, set[str]] = {}

    def add(self, node: ast.Node, code: str, message: str) -> None:
        self.findings.append(Finding(code, node.line, node.column, message))

    def run(self) -> None:
        if self.ruleset.rules_version != "2":
            version = self.ruleset.rules_version
            what = "no rules_version" if version is None else f"rules_version '{version}'"
            self.add(
                self.ruleset,
                "no-version",
                f"{what}: add rules_version = '2' for version 2 recursive wildcards and "
                "collection-group queries",
            )
        if self.service.name not in (FIRESTORE, STORAGE):
            self.add(
                self.service,
                "unknown-service",
                f"service '{self.service.name}' is neither cloud.firestore nor firebase.storage",
            )
        scope = _Scope(_GLOBALS, {f.name: f for f in self.service.functions}, ())
        for function in self.service.functions:
            self._function(function, scope)
        for match in self.service.matches:
            self._match(match, scope)
        self._unused_and_recursive()

    # -- declarations --------------------------------------------------------------------------

    def _match(self, match: ast.Match, outer: _Scope) -> None:
        chain = (*outer.chain, match)
        captures = [s.value for m in chain for s in m.segments if s.kind != "literal"]
        if len(chain) > MAX_MATCH_DEPTH:
            self.add(match, "limit", f"match nested {len(chain)} deep; at most {MAX_MATCH_DEPTH}")
        if len(captures) > MAX_CAPTURES:
            self.add(
                match,
                "limit",
                f"{len(captures)} capture variables along nested matches; at most {MAX_CAPTURES}",
            )
        scope = _Scope(
            outer.variables | frozenset(captures),
            {**outer.functions, **{f.name: f for f in match.functions}},
            chain,
        )
        if match.allows:
            reason = self._unreachable(chain)
            if reason:
                self.add(match, "unreachable-match", reason)
        for function in match.functions:
            self._function(function, scope)
        for allow in match.allows:
            self._allow(allow, scope)
        for child in match.matches:
            self._match(child, scope)

    def _unreachable(self, chain: tuple[ast.Match, ...]) -> str:
        segments = [s for m in chain for s in m.segments]
        if self.service.name == FIRESTORE:
            head = segments[:3]
            if any(s.kind == "recursive" for s in head):
                return ""
            if len(head) < 3 or not _is(head[0], "databases") or not _is(head[2], "documents"):
                return "not under /databases/{database}/documents, so it matches no document"
            rest = segments[3:]
            if rest and not any(s.kind == "recursive" for s in rest) and len(rest) % 2:
                return (
                    f"points to a collection ({len(rest)} segments below /documents), never to "
                    "a document; match statements should point to documents"
                )
            if not rest:
                return "matches the database root, which is not a document"
        elif self.service.name == STORAGE:
            head = segments[:3]
            if any(s.kind == "recursive" for s in head):
                return ""
            if len(head) < 3 or not _is(head[0], "b") or not _is(head[2], "o"):
                return "not under /b/{bucket}/o, so it matches no object"
        return ""

    def _function(self, function: ast.Function, scope: _Scope) -> None:
        if len(function.params) > MAX_FUNCTION_ARGUMENTS:
            self.add(
                function,
                "limit",
                f"function '{function.name}' takes {len(function.params)} arguments; "
                f"at most {MAX_FUNCTION_ARGUMENTS}",
            )
        names = set(scope.variables) | set(function.params)
        calls = self.calls.setdefault(function.node_id, set())
        for binding in function.lets:
            self._expr(binding.value, frozenset(names), scope, calls)
            names.add(binding.name)
        self._expr(function.result, frozenset(names), scope, calls)

    def _allow(self, allow: ast.Allow, scope: _Scope) -> None:
        if allow.condition is None:
            writes = sorted(_WRITE_METHODS.intersection(allow.methods))
            if writes:
                self.add(
                    allow,
                    "open-write",
                    f"allow {', '.join(allow.methods)} has no condition: anyone may "
                    f"{' and '.join(writes)} here",
                )
            return
        self._expr(allow.condition, scope.variables, scope, self.called)
        if self._always_true(allow.condition, scope):
            self.add(allow.condition, "always-true", "this condition is true for every request")

    def _always_true(self, condition: ast.Expr, scope: _Scope) -> bool:
        """True when the condition holds with no request, resource or wildcard values at all."""
        frame = Frame({}, {f.name: f for f in self.service.functions})
        for match in scope.chain:
            frame = Frame({}, {f.name: f for f in match.functions}, frame)
        evaluator = Evaluator(AccessTracker(None, limit=0))
        return evaluator.condition(condition, frame) is True

    # -- expressions ---------------------------------------------------------------------------

    def _expr(self, root: ast.Expr, names: frozenset[str], scope: _Scope, calls: set[str]) -> None:
        for node, in_path in _expressions(root):
            if isinstance(node, ast.Ident):
                if node.name not in names and not in_path:
                    self.add(node, "unknown-variable", f"'{node.name}' is not defined here")
            elif isinstance(node, ast.Call):
                self._call(node, names, scope, calls)

    def _call(self, node: ast.Call, names: frozenset[str], scope: _Scope, calls: set[str]) -> None:
        if node.target is None:
            calls.add(node.name)
            self.called.add(node.name)
            known = (
                node.name in scope.functions
                or lookup_function(node.name) is not None
                or (node.name in _ACCESS_FUNCTIONS and self.service.name == FIRESTORE)
            )
            if not known:
                self.add(node, "unknown-function", f"no function '{node.name}()' is defined here")
            return
        target = node.target
        if isinstance(target, ast.Ident) and target.name not in names:
            qualified = f"{target.name}.{node.name}"
            known = lookup_function(qualified) is not None or qualified in (
                "firestore.get",
                "firestore.exists",
            )
            if not known:
                self.add(node, "unknown-function", f"no function '{qualified}()' exists")

    def _unused_and_recursive(self) -> None:
        functions = [n for n in ast.walk(self.ruleset) if isinstance(n, ast.Function)]
        by_name: dict[str, list[ast.Function]] = {}
        for function in functions:
            by_name.setdefault(function.name, []).append(function)
        for function in functions:
            if function.name not in self.called:
                self.add(function, "unused-function", f"function '{function.name}' is never called")
        graph = {
            function.name: self.calls.get(function.node_id, set()) & by_name.keys()
            for function in functions
        }
        reported: set[str] = set()
        for function in functions:
            if function.name in reported:
                continue
            if _reaches(graph, function.name, function.name):
                reported.add(function.name)
                self.add(
                    function,
                    "recursion",
                    f"function '{function.name}' calls itself (directly or through others); "
                    "recursion is not permitted",
                )


def _is(segment: ast.PatternSegment, text: str) -> bool:
    return segment.kind == "literal" and segment.value == text


def _reaches(graph: Mapping[str, set[str]], start: str, target: str) -> bool:
    seen: set[str] = set()
    stack = list(graph.get(start, ()))
    while stack:
        name = stack.pop()
        if name == target:
            return True
        if name not in seen:
            seen.add(name)
            stack.extend(graph.get(name, ()))
    return False


def _expressions(root: ast.Expr) -> Iterator[tuple[ast.Node, bool]]:
    """Every node under `root` with whether it is a bare name interpolated into a path
    (`$(name)` of an unknown name is an unbound segment for `bind()`, not a mistake).

    A name that is the target of a call (`math.abs(...)`) is skipped: it is a namespace.
    """
    stack: list[tuple[ast.Node, bool]] = [(root, False)]
    while stack:
        node, in_path = stack.pop()
        yield node, in_path
        if isinstance(node, ast.PathExpr):
            stack.extend((segment, isinstance(segment, ast.Ident)) for segment in node.children())
        elif isinstance(node, ast.Call) and isinstance(node.target, ast.Ident):
            stack.extend((arg, False) for arg in node.args)
            stack.append((node.target, True))
        else:
            stack.extend((child, False) for child in node.children())
