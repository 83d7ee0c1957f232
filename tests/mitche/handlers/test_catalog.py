"""The seed catalog a fresh install loads."""

from __future__ import annotations

from mitche.catalog import SEED_CATALOG, seed_catalog
from mitche.models import AchievementCategory, CriterionScope


def test_the_seed_catalog_has_at_least_twenty_achievements() -> None:
    """A fresh install has twenty or more achievements to earn."""
    assert len(SEED_CATALOG) >= 20


def test_the_catalog_covers_every_category_and_kind() -> None:
    """Every category appears; some achievements are hidden, one is seasonal with a
    season-scoped criterion, and most are progressive (several tiers)."""
    catalog = seed_catalog()
    assert {a.category for a in catalog.values()} == set(AchievementCategory)
    assert sum(a.hidden for a in catalog.values()) >= 2
    seasonal = [a for a in catalog.values() if a.season is not None]
    assert seasonal
    assert seasonal[0].criterion.scope is CriterionScope.SEASON
    assert sum(len(a.tiers) > 1 for a in catalog.values()) >= 15


def test_ids_and_order_are_stable_and_unique() -> None:
    """Ids are valid document ids; sort orders are distinct, so the catalog lists the same way
    every time."""
    orders = [a.sort_order for a in SEED_CATALOG.values()]
    assert len(set(orders)) == len(orders)
    assert all("/" not in achievement_id for achievement_id in SEED_CATALOG)


def test_each_call_gives_an_independent_copy() -> None:
    """Changing one copy of the catalog does not change the seed."""
    copy = seed_catalog()
    copy.pop("first-offer")
    assert "first-offer" in SEED_CATALOG
