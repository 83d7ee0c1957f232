"""One line in the stack's output for each query that would be slow or expensive in production.

Production bills what a query reads and takes time in proportion to what it scans, so the line
says what was scanned for how many results, through which index, and how long it took here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from firelab.server.core._explain import QueryProfile

__all__ = ["QueryCostLog", "describe"]


@dataclass(frozen=True, slots=True)
class QueryCostLog:
    """A query observer that writes a line for notable queries."""

    write: Callable[[str], None]
    slow_ms: float = 250.0
    """A run at least this long is slow."""
    scanned: int = 1000
    """A run scanning at least this many documents, ..."""
    ratio: int = 10
    """... more than this many per result returned, is expensive."""

    def notable(self, profile: QueryProfile) -> str | None:
        """Why the run deserves a line (`slow`, `expensive`), or None."""
        reasons = []
        if profile.duration_ns >= self.slow_ms * 1_000_000:
            reasons.append("slow")
        wanted = max(profile.results_returned, 1)
        if profile.documents_scanned >= self.scanned and profile.documents_scanned > (
            self.ratio * wanted
        ):
            reasons.append("expensive")
        return " and ".join(reasons) or None

    def __call__(self, profile: QueryProfile) -> None:
        reason = self.notable(profile)
        if reason is not None:
            self.write(f"firelab: {reason} {describe(profile)}")


def describe(profile: QueryProfile) -> str:
    """`query on users: 5,000 documents scanned for 3 results, 3 reads, 12.5 ms, index …`."""
    indexes = "; ".join(f"{i.properties} ({i.query_scope.lower()})" for i in profile.plan)
    return (
        f"{profile.kind} on {profile.target}: {profile.documents_scanned:,} documents scanned "
        f"for {profile.results_returned:,} results, {profile.read_operations:,} billed reads, "
        f"{profile.duration_ns / 1_000_000:.1f} ms, index {indexes}"
    )
