"""Generates the validation section of firestore.rules from the pydantic models: per
client-writable document, the keys a client may write and the checks of their values, plus the
models' cross-field validators translated by hand (`INVARIANTS`). Run
`python -m mitche_dev.rulesgen` to rewrite the section, `--check` to verify it."""

from __future__ import annotations

from mitche_dev.rulesgen._files import BEGIN_MARKER, END_MARKER, RULES_FILE, Splice, splice
from mitche_dev.rulesgen._invariants import HELPERS, INVARIANTS, UNENFORCED, Invariant
from mitche_dev.rulesgen._regex import RulesGenError
from mitche_dev.rulesgen._render import COMMAND, DocumentRules, document_rules, render_section
from mitche_dev.rulesgen._types import MAX_INLINE_ENUM, MAX_UNROLLED_ITEMS, Checks

__all__ = [
    "BEGIN_MARKER",
    "COMMAND",
    "END_MARKER",
    "HELPERS",
    "INVARIANTS",
    "MAX_INLINE_ENUM",
    "MAX_UNROLLED_ITEMS",
    "RULES_FILE",
    "UNENFORCED",
    "Checks",
    "DocumentRules",
    "Invariant",
    "RulesGenError",
    "Splice",
    "document_rules",
    "render_section",
    "splice",
]
