"""No code in functions/ shapes a Firestore query itself: every query comes from the catalog.

How: a static scan of the syntax tree of every module under functions/ (the deployable code,
main.py included), outside mitche.queries, for the calls that shape a query (`where`,
`order_by`, `limit`, cursors, `select`, `collection_group`, ...) and for whole-collection reads
(`client.collection(path).stream()` / `.get()`). Why static rather than recording what a
server receives during the functions' tests: a recording only sees the code paths some test
happens to run, and a query on an untested path (a rare error branch, a new command) would slip
through; the scan sees every line, needs no server, and names the file and function to fix.
Its limit is aliasing (a collection reference stored in a variable and streamed later), which
code review and the catalog's `query_for` convention cover.

Code asks the catalog by name (`query_for(client, "functions.dayShards", day=day)`); each
literal name it passes must exist in the catalog.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from mitche.queries import CATALOG
from mitche.queries._privacy_queries import (
    AUTHORED_SOURCES,
    ERASURE_SOURCES,
    MEMBER_SUBCOLLECTIONS,
    authored_query_name,
    erasure_query_name,
    subcollection_query_name,
)

from .conftest import REPO_ROOT

FUNCTIONS: Final = REPO_ROOT / "functions"
CATALOG_PACKAGE: Final = FUNCTIONS / "mitche" / "queries"

SHAPING: Final = frozenset(
    {
        "where",
        "order_by",
        "limit",
        "limit_to_last",
        "offset",
        "select",
        "start_at",
        "start_after",
        "end_at",
        "end_before",
        "collection_group",
        "find_nearest",
    }
)
"""Query-builder methods of google-cloud-firestore: calling one outside the catalog builds a
query the index generator never saw."""
READS: Final = frozenset({"stream", "get", "list_documents"})
"""Reading every document of `collection(...)` directly is a query too."""

Site = tuple[str, str, str]
"""(file relative to the repository, enclosing function, call)."""


def _sources() -> Iterator[Path]:
    for path in sorted(FUNCTIONS.rglob("*.py")):
        if CATALOG_PACKAGE not in path.parents and not {".venv", "venv"} & set(path.parts):
            yield path


class _Finder(ast.NodeVisitor):
    def __init__(self, relative: str) -> None:
        self.relative = relative
        self.scope: list[str] = []
        self.sites: list[Site] = []
        self.names: list[str] = []

    def _enter(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._enter(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._enter(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._enter(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute):
            where = ".".join(self.scope) or "<module>"
            if func.attr in SHAPING:
                self.sites.append((self.relative, where, func.attr))
            inner = func.value
            if (
                func.attr in READS
                and isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Attribute)
                and inner.func.attr == "collection"
            ):
                self.sites.append((self.relative, where, f"collection().{func.attr}"))
        if _called_name(func) in ("query_for", "nearest_query_for") and len(node.args) >= 2:
            name = node.args[1]
            if isinstance(name, ast.Constant) and isinstance(name.value, str):
                self.names.append(name.value)
        self.generic_visit(node)


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _scan() -> tuple[list[Site], list[str]]:
    sites: list[Site] = []
    names: list[str] = []
    for path in _sources():
        finder = _Finder(str(path.relative_to(REPO_ROOT)))
        finder.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        sites += finder.sites
        names += finder.names
    return sites, names


SITES, NAMES = _scan()


def test_the_scan_sees_the_functions_code():
    """The scan reads the deployable modules (a wrong root would pass vacuously)."""
    scanned = [str(path.relative_to(FUNCTIONS)) for path in _sources()]
    assert "main.py" in scanned
    assert any(name.startswith("mitche/handlers/") for name in scanned)
    assert any(name.startswith("mitche/commands/") for name in scanned)


@pytest.mark.parametrize(
    "source",
    [
        "q = client.collection('requests').where(filter=f)",
        "q = client.collection_group('registrations')",
        "docs = client.collection('achievements').stream()",
        "q = base.order_by('createdAt').limit(10)",
        "q = page.start_after(cursor)",
    ],
)
def test_the_scan_flags_a_hand_built_query(source):
    """Each way of shaping a query by hand is found."""
    finder = _Finder("example.py")
    finder.visit(ast.parse(source))
    assert finder.sites


def test_no_code_outside_the_catalog_shapes_a_query():
    """Every query in functions/ is built from a catalog declaration; a hand-built one fails
    here, naming the file, the function and the call."""
    assert SITES == [], "\n".join(map(str, SITES))


def test_every_catalog_name_used_in_code_exists():
    """`query_for(client, "<name>", ...)` names a declared query."""
    assert sorted(set(NAMES) - set(CATALOG)) == []


def test_every_functions_query_of_the_catalog_is_used_by_the_code():
    """Each `functions.*` declaration is named by the code that runs it (the backfill's are
    named through `backfill_query_name` from `BACKFILL_SOURCES`, the privacy jobs' page queries
    through their name functions from the privacy source tables), so none is stale."""
    declared = {name for name in CATALOG if name.startswith("functions.")}
    by_table = (
        {subcollection_query_name(name) for name in MEMBER_SUBCOLLECTIONS}
        | {authored_query_name(source[0]) for source in AUTHORED_SOURCES}
        | {erasure_query_name(source[0]) for source in ERASURE_SOURCES}
    )
    assert declared <= set(NAMES) | by_table
