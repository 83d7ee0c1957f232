"""The demo starts from a production install: its settings and achievement catalog are exactly
what the production setup commands (`init-settings`, `load-catalog`) write; whatever changes
them afterwards (the moderators' roster) comes from the demo's acts, through the callables."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from google.cloud import firestore

from mitche.catalog import SEED_CATALOG
from mitche.models.system_settings import SETTINGS_MODELS
from mitche_dev.devstack import DEMO_NOW
from mitche_dev.devstack._acts import Act, Write
from mitche_dev.devstack._setup import run_setup_commands
from mitche_dev.devstack._story import demo_acts
from mitche_dev.devstack.seed import seed

_SETUP_COLLECTIONS = ("systemSettings", "achievements")
"""Top-level collections the setup commands write."""

seed_module = importlib.import_module("mitche_dev.devstack.seed")
"""The seed's module (the package exports its `seed` function under the same name)."""


def _setup_state(client: firestore.Client) -> dict[str, dict[str, Any]]:
    """Every document of the collections the setup commands write, by path."""
    return {
        snapshot.reference.path: snapshot.to_dict() or {}
        for collection in _SETUP_COLLECTIONS
        for snapshot in client.collection(collection).stream()
    }


@pytest.fixture
def demo_settings_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The seed with the demo reduced to its acts that write the setup collections (none: the
    seed writes no settings document and no catalog entry itself), so these tests watch the
    setup whatever the members' world holds."""

    def reduced(now: dt.datetime, client: firestore.Client) -> list[Act]:
        return [
            act
            for act in demo_acts(now, client)
            if isinstance(act, Write) and act.path.split("/")[0] in _SETUP_COLLECTIONS
        ]

    monkeypatch.setattr(seed_module, "demo_acts", reduced)


@pytest.mark.usefixtures("demo_settings_only")
def test_the_demo_holds_what_the_setup_commands_write(
    firestore_server: Any, owner_client: firestore.Client
) -> None:
    """Seeded, then a fresh database given only the commands: the same settings documents and
    catalog entries, field for field."""
    firestore_server.clear()
    report = seed(owner_client, DEMO_NOW)
    seeded = _setup_state(owner_client)
    firestore_server.clear()
    run_setup_commands(owner_client, DEMO_NOW)
    installed = _setup_state(owner_client)
    firestore_server.clear()

    assert report.setup is not None
    assert sorted(report.setup.settings.created) == sorted(d.value for d in SETTINGS_MODELS)
    assert sorted(report.setup.catalog.created) == sorted(SEED_CATALOG)
    assert seeded == installed


@pytest.mark.usefixtures("demo_settings_only")
def test_seeding_again_keeps_what_the_commands_wrote(
    firestore_server: Any, owner_client: firestore.Client
) -> None:
    """A second seed creates no settings document and no catalog entry: the commands keep
    what exists, so a tuned setting survives a reseed."""
    firestore_server.clear()
    seed(owner_client, DEMO_NOW)
    again = seed(owner_client, DEMO_NOW)
    firestore_server.clear()

    assert again.setup is not None
    assert again.setup.settings.created == ()
    assert again.setup.catalog.created == ()
