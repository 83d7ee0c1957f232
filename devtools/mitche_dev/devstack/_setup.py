"""The production setup commands, run on the demo's database before the demo documents.

A production install holds, before members arrive, only what `python -m mitche.commands
init-settings` and `load-catalog` write; the local stack starts from the same state by running
those very functions (not a copy of what they write), so the demo cannot drift from production
when a settings document or a catalog entry is added.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from google.cloud.firestore_v1 import Client

from mitche.commands import CatalogLoad, SettingsInit, init_settings, load_catalog
from mitche.handlers import Deps
from mitche.services import FirebaseAccounts, SettingsStore

__all__ = ["SetupReport", "run_setup_commands"]


@dataclass(frozen=True, slots=True)
class SetupReport:
    """What the setup commands did on the demo's database."""

    settings: SettingsInit
    """Settings documents created or kept (`init-settings`)."""
    catalog: CatalogLoad
    """Catalog entries created, updated or unchanged (`load-catalog`)."""


def run_setup_commands(client: Client, now: dt.datetime) -> SetupReport:
    """Run `init-settings` then `load-catalog` against `client`, stamped at `now`; both keep
    what exists, so seeding again is safe."""
    deps = Deps(
        settings=SettingsStore(),
        accounts=FirebaseAccounts(),
        client_factory=lambda: client,
        now=lambda: now,
    )
    return SetupReport(settings=init_settings(deps), catalog=load_catalog(deps))
