"""Firebase Security Rules for Cloud Firestore and Cloud Storage, parsed and evaluated in Python.

`Rules.from_file("firestore.rules")` parses once (a syntax error is a `RulesSyntaxError` with
file, line and column); `rules.evaluate(RulesRequest(...), documents)` judges one request and
returns a `Decision` with the trace of the rules tried; `evaluate_batch` judges the writes of a
batch or transaction together; `check_ruleset` lists static warnings. The command line is
`python -m firelab.rules check FILE...` and `python -m firelab.rules eval RULES REQUEST.json`.
"""

from firelab.rules._access import DocumentLookup, InMemoryDocuments
from firelab.rules._ast import Ruleset
from firelab.rules._checks import Finding, check_ruleset
from firelab.rules._context import (
    Auth,
    CompositeFilter,
    FieldFilter,
    ListQuery,
    OrderBy,
    RulesRequest,
)
from firelab.rules._coverage import Coverage
from firelab.rules._engine import AllowOutcome, BatchDecision, Decision, Rules, evaluate_expression
from firelab.rules._errors import RulesSyntaxError
from firelab.rules._parser import parse_expression, parse_ruleset
from firelab.rules._trace import AllowTrace, EvaluationTrace, TracedExpression
from firelab.rules._values import (
    RulesDuration,
    RulesError,
    RulesLatLng,
    RulesPath,
    RulesTimestamp,
)

__all__ = [
    "AllowOutcome",
    "AllowTrace",
    "Auth",
    "BatchDecision",
    "CompositeFilter",
    "Coverage",
    "Decision",
    "DocumentLookup",
    "EvaluationTrace",
    "FieldFilter",
    "Finding",
    "InMemoryDocuments",
    "ListQuery",
    "OrderBy",
    "Rules",
    "RulesDuration",
    "RulesError",
    "RulesLatLng",
    "RulesPath",
    "RulesRequest",
    "RulesSyntaxError",
    "RulesTimestamp",
    "Ruleset",
    "TracedExpression",
    "check_ruleset",
    "evaluate_expression",
    "parse_expression",
    "parse_ruleset",
]
