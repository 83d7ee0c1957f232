"""Loading an achievement catalog (the seed one by default) into `achievements/`.

New entries are created; existing ones are updated in place, keeping their creation time, and
their `version` is bumped when the criterion or a tier changed, which is the signal to run
`reevaluate-achievements`. Entries an admin added that the catalog does not know are left
alone. Loading the same catalog twice writes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from mitche.catalog import SEED_CATALOG
from mitche.handler_names import HandlerName
from mitche.handlers import Deps, decode
from mitche.models import Achievement, Collection
from mitche.services import Unit, run_transaction

__all__ = ["CatalogLoad", "load_catalog"]


@dataclass(frozen=True, slots=True)
class CatalogLoad:
    """What a load did, by achievement id."""

    created: tuple[str, ...]
    updated: tuple[str, ...]
    reevaluate: tuple[str, ...]
    """Updated entries whose criterion or tiers changed (their version was bumped)."""
    unchanged: tuple[str, ...]


def _merged(current: Achievement, wanted: Achievement, at: dt.datetime) -> Achievement:
    rules_changed = (current.criterion, current.tiers, current.season) != (
        wanted.criterion,
        wanted.tiers,
        wanted.season,
    )
    return wanted.model_copy(
        update={
            "created_at": current.created_at,
            "updated_at": at,
            "version": current.version + 1 if rules_changed else current.version,
        }
    )


def load_catalog(deps: Deps, catalog: Mapping[str, Achievement] = SEED_CATALOG) -> CatalogLoad:
    """Create or update each catalog entry; returns what changed."""
    at = deps.now()
    handler = HandlerName.COMMANDS_LOAD_CATALOG
    outcomes: dict[str, list[str]] = {
        "created": [],
        "updated": [],
        "reevaluate": [],
        "unchanged": [],
    }
    for achievement_id, wanted in sorted(catalog.items()):
        path = f"{Collection.ACHIEVEMENTS.value}/{achievement_id}"

        def work(unit: Unit, path: str = path, wanted: Achievement = wanted) -> str:
            data = unit.get(path)
            current = decode(Achievement, data, path=path, handler=handler, event_id=handler)
            if data is None or current is None:
                fresh = wanted.model_copy(update={"created_at": at, "updated_at": at})
                unit.set(path, fresh)
                return "created"
            merged = _merged(current, wanted, at)
            if merged.model_copy(update={"updated_at": current.updated_at}) == current:
                return "unchanged"
            unit.set(path, merged)
            return "reevaluate" if merged.version != current.version else "updated"

        outcome = run_transaction(deps.client, handler, work)
        outcomes[outcome].append(achievement_id)
        if outcome == "reevaluate":
            outcomes["updated"].append(achievement_id)
    deps.settings.invalidate()
    return CatalogLoad(
        created=tuple(outcomes["created"]),
        updated=tuple(outcomes["updated"]),
        reevaluate=tuple(outcomes["reevaluate"]),
        unchanged=tuple(outcomes["unchanged"]),
    )
