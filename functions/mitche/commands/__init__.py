"""Operator commands (`python -m mitche.commands <name>`): recompute totals from the ledger,
re-evaluate achievements for everyone, copy levels' privileges again, backfill analytics for
past days, load the seed achievement catalog, re-wrap members' data keys after a key rotation."""

from mitche.commands._backfill import backfill_day, day_bounds
from mitche.commands._catalog import CatalogLoad, load_catalog
from mitche.commands._cli import main
from mitche.commands._keys import Rewrap, rewrap_keys
from mitche.commands._members import (
    DEFAULT_PAGE_SIZE,
    MemberRun,
    member_ids,
    recompute_totals,
    reevaluate_achievements,
    sync_privileges,
)
from mitche.commands._setup import OPERATOR, SettingsInit, grant_role, init_settings

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "OPERATOR",
    "CatalogLoad",
    "MemberRun",
    "Rewrap",
    "SettingsInit",
    "backfill_day",
    "day_bounds",
    "grant_role",
    "init_settings",
    "load_catalog",
    "main",
    "member_ids",
    "recompute_totals",
    "reevaluate_achievements",
    "rewrap_keys",
    "sync_privileges",
]
