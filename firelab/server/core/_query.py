"""Query compilation (placeholder, replaced next)."""

from __future__ import annotations

from firelab.server.core._protos import Document


class CompiledQuery:
    """A validated query."""

    def matches(self, document: Document) -> bool:
        """Whether `document` satisfies the query's filters."""
        return False
