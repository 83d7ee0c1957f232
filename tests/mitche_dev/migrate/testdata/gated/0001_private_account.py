"""Migration 0001 (private account), delegating to the real module, with a gate for the
interrupted-run test: when MITCHE_MIGRATE_GATE names a file, the transformation of
`users/m030` creates `<gate>.reached` and then waits forever, so the test can kill the process
at a known point (after the pages before it committed). Without the variable it is 0001.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mitche_dev.migrate import load_migration

_REAL = load_migration(Path(__file__).parents[5] / "migrations" / "0001_private_account.py")

SCOPE = _REAL.scopes
READS = _REAL.reads
WRITES = _REAL.writes
related = _REAL.related
down = _REAL.down

GATED = "users/m030"


def up(documents: Mapping[str, dict[str, Any] | None]) -> Mapping[str, dict[str, Any] | None]:
    """The real `up`, stopping for good at GATED when the gate is set."""
    gate = os.environ.get("MITCHE_MIGRATE_GATE")
    if gate and GATED in documents:
        Path(f"{gate}.reached").touch()
        threading.Event().wait()
    return _REAL.up(documents)
