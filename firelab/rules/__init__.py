"""Firebase Security Rules for Cloud Firestore and Cloud Storage, parsed and evaluated in Python.

`parse_ruleset` turns a rules file into a syntax tree; syntax errors are `RulesSyntaxError`
with the file, line and column.
"""

from firelab.rules._ast import Ruleset
from firelab.rules._errors import RulesSyntaxError
from firelab.rules._parser import parse_expression, parse_ruleset

__all__ = ["RulesSyntaxError", "Ruleset", "parse_expression", "parse_ruleset"]
