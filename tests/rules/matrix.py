"""The access matrix file (testdata/access_matrix.txt), parsed into cells."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["COLUMNS", "MATRIX_FILE", "Cell", "Row", "cells", "rows"]

MATRIX_FILE: Final = Path(__file__).parent / "testdata" / "access_matrix.txt"
COLUMNS: Final = {
    "anon": "anonymous",
    "user": "user",
    "ownr": "owner",
    "part": "participant",
    "orgn": "organizer",
    "coor": "coorganizer",
    "prov": "provider",
    "modr": "moderator",
    "admn": "admin",
    "susp": "suspended",
}
"""Column headings of the file and the actor each stands for."""
_MARKS: Final = {"A": True, ".": False}


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the matrix: an operation and who may perform it."""

    operation: str
    scenario: str
    allowed: dict[str, bool]
    """Actor name → whether the rules allow them."""
    line: int

    @property
    def collection(self) -> str:
        """The collection (or subcollection) the scenario is about."""
        return self.scenario.split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class Cell:
    """One actor performing one row's operation."""

    row: Row
    actor: str

    @property
    def expected(self) -> bool:
        """Whether the rules should allow it."""
        return self.row.allowed[self.actor]

    @property
    def id(self) -> str:
        """Test id: `users: read alice's profile | owner`."""
        return f"{self.row.scenario} | {self.actor}"


def rows(path: Path = MATRIX_FILE) -> list[Row]:
    """Every row of the matrix file, in file order."""
    found: list[Row] = []
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith("# op"):
            header = [COLUMNS[name] for name in line.split("|")[2].split()]
        if not line.strip() or line.startswith("#"):
            continue
        if header is None:
            raise ValueError(f"{path}:{number}: a row before the column headings")
        operation, scenario, marks = (part.strip() for part in line.split("|"))
        values = marks.split()
        if len(values) != len(header) or not set(values) <= set(_MARKS):
            raise ValueError(f"{path}:{number}: expected {len(header)} marks A or ., got {marks!r}")
        allowed = {actor: _MARKS[mark] for actor, mark in zip(header, values, strict=True)}
        found.append(Row(operation, scenario, allowed, number))
    return found


def cells(path: Path = MATRIX_FILE) -> list[Cell]:
    """Every (row, actor) cell, row by row."""
    return [Cell(row, actor) for row in rows(path) for actor in row.allowed]
