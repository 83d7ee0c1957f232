"""Generated files kept in the tree: what differs from the generator's output, and bringing
them up to date. Every generator (schema/, clients/js) compares and writes the same way, so a
stale, missing or leftover file is reported and fixed alike."""

from __future__ import annotations

from collections.abc import Mapping, Set
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Staleness", "find_stale", "write"]


@dataclass(frozen=True, slots=True)
class Staleness:
    """A generated file that does not match what its generator produces."""

    path: str
    reason: str
    """`missing`, `differs`, or `obsolete` (no longer generated)."""

    def __str__(self) -> str:
        return f"{self.path} ({self.reason})"


def find_stale(root: Path, files: Mapping[str, str], existing: Set[str]) -> list[Staleness]:
    """The files under root that differ from `files` (relative path → text), plus those of
    `existing` (the generated files present now) that are no longer generated; sorted by path."""
    stale: list[Staleness] = []
    for relative, text in files.items():
        path = root / relative
        if not path.is_file():
            stale.append(Staleness(relative, "missing"))
        elif path.read_text(encoding="utf-8") != text:
            stale.append(Staleness(relative, "differs"))
    stale += [Staleness(extra, "obsolete") for extra in existing - set(files)]
    return sorted(stale, key=lambda item: item.path)


def write(root: Path, files: Mapping[str, str], existing: Set[str]) -> list[Staleness]:
    """Bring the files under root up to date; returns what was changed or removed."""
    changes = find_stale(root, files, existing)
    for change in changes:
        path = root / change.path
        if change.reason == "obsolete":
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(files[change.path], encoding="utf-8", newline="\n")
    return changes
