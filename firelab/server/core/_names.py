"""Resource names: databases, documents and collections, as the emulator parses them.

A document path inside a database is a tuple of segments alternating collection ID and
document ID, e.g. `("c", "d", "sub", "e")`; a collection path has odd length.
"""

from __future__ import annotations

from dataclasses import dataclass

from firelab.server.core._errors import invalid

DEFAULT_DATABASE = "(default)"

Path = tuple[str, ...]


@dataclass(frozen=True, slots=True, order=True)
class DatabaseId:
    """One database of one project; databases never share data."""

    project: str
    database: str = DEFAULT_DATABASE

    @property
    def root(self) -> str:
        """`projects/{project}/databases/{database}`."""
        return f"projects/{self.project}/databases/{self.database}"

    @property
    def documents_root(self) -> str:
        """`projects/{project}/databases/{database}/documents`."""
        return f"{self.root}/documents"

    def document_name(self, path: Path) -> str:
        """The full resource name of the document or collection at `path`."""
        if not path:
            return self.documents_root
        return f"{self.documents_root}/{'/'.join(path)}"


def parse_database_name(name: str) -> DatabaseId:
    """`projects/{p}/databases/{d}` (or anything under it) to its `DatabaseId`."""
    parts = name.split("/")
    if len(parts) < 4 or parts[0] != "projects" or parts[2] != "databases":
        raise invalid(f"Invalid database name: {name}")
    if not parts[1] or not parts[3]:
        raise invalid(f"Invalid database name: {name}")
    return DatabaseId(parts[1], parts[3])


def split_resource_name(name: str) -> tuple[DatabaseId, Path]:
    """A full name under `.../documents` to its database and path segments (maybe empty)."""
    database = parse_database_name(name)
    rest = name.split("/")[4:]
    if not rest or rest[0] != "documents":
        raise invalid(f"Invalid resource name: {name}")
    return database, tuple(rest[1:])
