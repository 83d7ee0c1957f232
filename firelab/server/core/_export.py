"""Export/import (placeholder, replaced next)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from firelab.server.core._errors import Code, FirestoreError

if TYPE_CHECKING:
    from firelab.server.core._database import Database
    from firelab.server.core._emulator import Emulator


def export_databases(databases: list[Database], directory: Path) -> None:
    raise FirestoreError(Code.UNIMPLEMENTED, "export is being written")


def import_databases(emulator: Emulator, directory: Path) -> None:
    raise FirestoreError(Code.UNIMPLEMENTED, "import is being written")
