"""`Rules`: a parsed ruleset that judges requests, and the `Decision` it returns.

https://firebase.google.com/docs/rules/rules-language#allow: "If any of the allow rules for the
method are satisfied, the request is allowed"; `read` stands for `get` and `list`, `write` for
`create`, `update` and `delete`. Rules are tried in source order, outer matches first, and the
first one that grants decides; a request no rule grants is denied. Exceeding the document
access-call limits or the expression limit denies the request whatever the conditions say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from firelab.rules import _ast as ast
from firelab.rules._access import (
    BATCH_ACCESS_LIMIT,
    OPERATION_ACCESS_LIMIT,
    AccessBudget,
    AccessTracker,
    DocumentLookup,
)
from firelab.rules._context import (
    FIRESTORE,
    STORAGE,
    ListQuery,
    RulesRequest,
    request_segments,
    request_value,
    resource_value,
)
from firelab.rules._coverage import (
    Coverage,
    CoveringEvaluator,
    CoveringQueryEvaluator,
    Recorder,
)
from firelab.rules._evaluator import Evaluator, Frame
from firelab.rules._list_queries import QueryEvaluator, SymbolicDocument, query_branches
from firelab.rules._matching import ANY_ONE, ANY_PREFIX, MatchLevel, Segment, match_levels
from firelab.rules._parser import parse_expression, parse_ruleset
from firelab.rules._values import RulesError, Value, from_firestore

__all__ = ["AllowOutcome", "BatchDecision", "Decision", "Rules", "evaluate_expression"]

_EXPANSIONS: Mapping[str, frozenset[str]] = {
    "get": frozenset({"get", "read"}),
    "list": frozenset({"list", "read"}),
    "create": frozenset({"create", "write"}),
    "update": frozenset({"update", "write"}),
    "delete": frozenset({"delete", "write"}),
}


@dataclass(frozen=True, slots=True)
class AllowOutcome:
    """One `allow` evaluated for a request, and what its condition came to."""

    #: The full pattern of the chain of matches, e.g. `/databases/{database}/documents/users/{u}`.
    pattern: str
    line: int
    column: int
    methods: tuple[str, ...]
    result: Literal["true", "false", "error"]
    #: The error message, or what a non-bool result was.
    detail: str = ""
    bindings: Mapping[str, str] = field(default_factory=dict)
    #: For a list request, which of the query's documents this outcome is about.
    scope: str = ""

    def describe(self, filename: str) -> str:
        """One line: where the rule is, its methods, its pattern and its outcome."""
        methods = ", ".join(self.methods)
        text = f"{filename}:{self.line}:{self.column} allow {methods} on {self.pattern}"
        if self.scope:
            text += f" for documents where {self.scope}"
        text += f": {self.result}"
        if self.detail:
            text += f" ({self.detail})"
        return text


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether a request is allowed, with the rules tried and the documents they read."""

    allowed: bool
    method: str
    path: str
    trace: tuple[AllowOutcome, ...]
    reads: tuple[str, ...] = ()
    #: Why the request was denied; empty when allowed.
    reason: str = ""
    filename: str = "<rules>"

    def explain(self) -> str:
        """A few lines saying what was decided and why, for people and logs."""
        verdict = "ALLOW" if self.allowed else "DENY"
        lines = [f"{verdict} {self.method} {self.path}"]
        if self.reason:
            lines.append(f"  reason: {self.reason}")
        lines.extend(f"  {outcome.describe(self.filename)}" for outcome in self.trace)
        lines.extend(f"  read {path}" for path in self.reads)
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class BatchDecision:
    """A batched write or transaction: allowed only if every operation is."""

    allowed: bool
    decisions: tuple[Decision, ...]
    reason: str = ""


class Rules:
    """A ruleset, parsed once and evaluated for many requests."""

    __slots__ = ("_functions", "ruleset", "version2")

    def __init__(self, ruleset: ast.Ruleset) -> None:
        self.ruleset = ruleset
        self.version2 = ruleset.rules_version == "2"
        self._functions: dict[int, dict[str, ast.Function]] = {}
        service = ruleset.service
        self._functions[service.node_id] = {f.name: f for f in service.functions}
        stack = list(service.matches)
        while stack:
            match = stack.pop()
            self._functions[match.node_id] = {f.name: f for f in match.functions}
            stack.extend(match.matches)

    @classmethod
    def from_source(cls, source: str, filename: str = "<rules>") -> Rules:
        """Parse `source`; raises RulesSyntaxError."""
        return cls(parse_ruleset(source, filename))

    @classmethod
    def from_file(cls, path: str | Path) -> Rules:
        """Read and parse a rules file; raises RulesSyntaxError or OSError."""
        file = Path(path)
        return cls(parse_ruleset(file.read_text(encoding="utf-8"), str(file)))

    @property
    def service(self) -> str:
        """`cloud.firestore` or `firebase.storage` (whatever the file declares)."""
        return self.ruleset.service.name

    def coverage(self) -> Coverage:
        """A new, empty coverage collector for this ruleset, to pass to `evaluate`."""
        return Coverage(self.ruleset)

    def evaluate(
        self,
        request: RulesRequest,
        documents: DocumentLookup | None = None,
        *,
        coverage: Recorder | None = None,
    ) -> Decision:
        """Judge one request; `documents` serves get()/exists() and their After forms, and
        `coverage`, if given, counts what was evaluated (a `Coverage`, or an
        `EvaluationTrace` keeping this request's evaluated expressions with their values)."""
        tracker = self._tracker(request, documents, OPERATION_ACCESS_LIMIT, None)
        return self._evaluate(request, tracker, coverage)

    def evaluate_batch(
        self,
        requests: Sequence[RulesRequest],
        documents: DocumentLookup | None = None,
        *,
        coverage: Recorder | None = None,
    ) -> BatchDecision:
        """Judge the writes of a batch or transaction together (shared access-call budget).

        `documents.get_document_after` must give the state after the whole batch.
        """
        budget = AccessBudget(BATCH_ACCESS_LIMIT)
        decisions = tuple(
            self._evaluate(
                request,
                self._tracker(request, documents, OPERATION_ACCESS_LIMIT, budget),
                coverage,
            )
            for request in requests
        )
        if budget.exhausted:
            reason = f"more than {BATCH_ACCESS_LIMIT} document access calls in the batch"
            return BatchDecision(False, decisions, reason)
        denied = [d for d in decisions if not d.allowed]
        if denied:
            return BatchDecision(False, decisions, f"{denied[0].method} {denied[0].path} denied")
        return BatchDecision(True, decisions)

    # -- implementation ------------------------------------------------------------------------

    def _tracker(
        self,
        request: RulesRequest,
        documents: DocumentLookup | None,
        limit: int,
        budget: AccessBudget | None,
    ) -> AccessTracker:
        overlay = None
        if request.service == FIRESTORE and request.method in ("create", "update", "delete"):
            segments = request_segments(request)
            own = (segments[1], "/".join(segments[3:]))
            after = request.request_resource if request.method != "delete" else None
            overlay = (own, after)
        return AccessTracker(documents, limit=limit, budget=budget, overlay=overlay)

    def _evaluate(
        self, request: RulesRequest, tracker: AccessTracker, coverage: Recorder | None
    ) -> Decision:
        segments = request_segments(request)
        shown = "/" + "/".join(segments)
        filename = self.ruleset.filename
        if request.service != self.service:
            return Decision(
                False,
                request.method,
                shown,
                (),
                reason=f"the rules are for {self.service}, the request is for {request.service}",
                filename=filename,
            )
        pattern_path = _pattern_path(request, segments)
        variables = self._globals(request, segments)
        functions = self._functions[self.ruleset.service.node_id]
        global_access = request.service == FIRESTORE
        trace: list[AllowOutcome] = []
        evaluator: Evaluator
        if request.method == "list":
            if coverage is None:
                evaluator = QueryEvaluator(tracker, global_access=global_access)
            else:
                evaluator = CoveringQueryEvaluator(coverage, tracker, global_access=global_access)
            allowed, reason = self._grant_list(
                request, evaluator, variables, functions, pattern_path, trace
            )
        else:
            if coverage is None:
                evaluator = Evaluator(tracker, global_access=global_access)
            else:
                evaluator = CoveringEvaluator(coverage, tracker, global_access=global_access)
            root = Frame(variables, functions)
            allowed = self._grant(request, evaluator, root, pattern_path, trace, "")
            reason = ""
        if tracker.exceeded:
            allowed = False
            reason = f"more than {tracker.limit} document access calls"
        elif evaluator.expressions_exceeded:
            allowed = False
            reason = f"more than {evaluator.max_expressions} expressions evaluated"
        elif not allowed and not reason:
            reason = "no allow rule granted the request" if trace else "no rule matches the path"
        return Decision(
            allowed,
            request.method,
            shown,
            tuple(trace),
            tuple(tracker.reads),
            reason,
            filename,
        )

    def _grant(
        self,
        request: RulesRequest,
        evaluator: Evaluator,
        root: Frame,
        pattern_path: tuple[Segment, ...],
        trace: list[AllowOutcome],
        scope: str,
    ) -> bool:
        """Try the applicable allows in order; True at the first that grants."""
        methods = _EXPANSIONS[request.method]
        matches = self.ruleset.service.matches
        for levels in match_levels(matches, pattern_path, version2=self.version2):
            frame = self._frames(root, levels)
            for allow in levels[-1].match.allows:
                if methods.isdisjoint(allow.methods):
                    continue
                outcome = self._judge(evaluator, allow, frame, levels, scope)
                trace.append(outcome)
                if isinstance(evaluator, CoveringEvaluator | CoveringQueryEvaluator):
                    granted = outcome.result == "true"
                    errored = outcome.result == "error"
                    evaluator.coverage.record(
                        allow, RulesError(outcome.detail) if errored else granted
                    )
                if outcome.result == "true":
                    return True
        return False

    def _grant_list(
        self,
        request: RulesRequest,
        evaluator: Evaluator,
        variables: dict[str, Value],
        functions: Mapping[str, ast.Function],
        pattern_path: tuple[Segment, ...],
        trace: list[AllowOutcome],
    ) -> tuple[bool, str]:
        """A list is allowed when, for each branch of its filters, some allow grants every
        document the branch can return."""
        branches = query_branches(request.query or ListQuery())
        if isinstance(branches, RulesError):
            return False, branches.message
        for branch in branches:
            if branch.empty:
                continue
            root = Frame({**variables, "resource": SymbolicDocument(branch)}, functions)  # type: ignore[dict-item]
            scope = branch.describe()
            if not self._grant(request, evaluator, root, pattern_path, trace, scope):
                if not trace:
                    return False, ""
                where = f" where {scope}" if scope else ""
                return False, f"no allow rule grants every document the query can return{where}"
        return True, ""

    def _globals(self, request: RulesRequest, segments: tuple[str, ...]) -> dict[str, Value]:
        return {
            "request": request_value(request, segments),
            "resource": resource_value(request, segments) if request.method != "list" else None,
        }

    def _frames(self, root: Frame, levels: tuple[MatchLevel, ...]) -> Frame:
        frame = root
        for level in levels:
            frame = Frame(level.bindings, self._functions[level.match.node_id], frame)
        return frame

    def _judge(
        self,
        evaluator: Evaluator,
        allow: ast.Allow,
        frame: Frame,
        levels: tuple[MatchLevel, ...],
        scope: str,
    ) -> AllowOutcome:
        pattern = "".join(level.match.pattern for level in levels)
        bindings = {
            name: str(value)
            for level in levels
            for name, value in level.bindings.items()
            if not isinstance(value, RulesError)
        }
        if allow.condition is None:
            return AllowOutcome(
                pattern, allow.line, allow.column, allow.methods, "true", "", bindings, scope
            )
        value = evaluator.condition(allow.condition, frame)
        if value is True:
            result: Literal["true", "false", "error"] = "true"
            detail = ""
        elif value is False:
            result, detail = "false", ""
        elif isinstance(value, RulesError):
            result, detail = "error", value.message
        else:
            result, detail = "error", f"condition is a {type(value).__name__}, not a bool"
        return AllowOutcome(
            pattern, allow.line, allow.column, allow.methods, result, detail, bindings, scope
        )


def _pattern_path(request: RulesRequest, segments: tuple[str, ...]) -> tuple[Segment, ...]:
    """The path the match patterns are tried against (with unknown parts for queries)."""
    if request.method != "list":
        return segments
    query = request.query
    if query is not None and query.collection_group:
        root = segments[:3]
        collection_id = segments[-1]
        if request.service == STORAGE:
            return (*segments, ANY_ONE)
        return (*root, ANY_PREFIX, collection_id, ANY_ONE)
    return (*segments, ANY_ONE)


def evaluate_expression(
    source: str,
    variables: Mapping[str, object] | None = None,
    documents: DocumentLookup | None = None,
) -> Value:
    """Evaluate one expression with the given variables (plain Python values are converted as
    Firestore data is); the result is a value or a `RulesError`, never an exception other than
    `RulesSyntaxError` for text that does not parse."""
    expr = parse_expression(source)
    frame = Frame({name: from_firestore(value) for name, value in (variables or {}).items()})
    evaluator = Evaluator(AccessTracker(documents))
    return evaluator.condition(expr, frame)
