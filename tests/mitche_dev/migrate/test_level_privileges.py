"""Migration 0010 (level privileges) as a transformation: the map it writes for members above
level 1, from the project's benefits table or the code default, and that a second run and a
rollback behave."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

from mitche.domain.privileges import privileges_for
from mitche.models import PrivateAccount, PublicSettings
from mitche.services import from_document, to_document

MODULE = Path(__file__).parents[3] / "migrations" / "0010_level_privileges.py"
USER = "users/alice"
ACCOUNT = "users/alice/private/account"
PUBLIC = "systemSettings/public"


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("level_privileges", MODULE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make_member(level: int) -> dict[str, Any]:
    """A member document as stored, holding only what the migration reads."""
    return {"gamification": {"level": level, "experience": 0}}


def test_a_member_above_level_one_gets_the_row_of_their_level() -> None:
    """A level-20 member (Mentor) gets the map the trigger would write, and the model accepts
    the account."""
    account = {"lastRequest": None}
    changed = _migration().up({USER: make_member(20), ACCOUNT: account, PUBLIC: None})
    wanted = to_document(privileges_for(20, PublicSettings()), None)
    assert changed == {ACCOUNT: {**account, "privileges": wanted}}
    assert wanted["mentorshipEligible"] is True
    from_document(PrivateAccount, changed[ACCOUNT])


def test_the_projects_own_table_is_used() -> None:
    """An admin's benefits table (events from level 2 here) decides the row."""
    table = [
        {"minLevel": 1, "title": "New", "maxOpenRequests": 2},
        {"minLevel": 2, "title": "Known", "maxOpenRequests": 5, "canOrganizeEvents": True},
    ]
    changed = _migration().up(
        {USER: make_member(2), ACCOUNT: None, PUBLIC: {"levelBenefits": table}}
    )
    assert changed[ACCOUNT] == {
        "privileges": {
            "level": 2,
            "maxOpenRequests": 5,
            "canOrganizeEvents": True,
            "mentorshipEligible": False,
        }
    }


def test_level_one_members_and_right_maps_are_left_alone() -> None:
    """Level 1 needs no map (the rules assume it), and applying twice changes nothing."""
    migration = _migration()
    assert migration.up({USER: make_member(1), ACCOUNT: None, PUBLIC: None}) == {}
    once = migration.up({USER: make_member(5), ACCOUNT: None, PUBLIC: None})
    assert migration.up({USER: make_member(5), ACCOUNT: once[ACCOUNT], PUBLIC: None}) == {}
    assert migration.up({USER: None, ACCOUNT: None, PUBLIC: None}) == {}


def test_rollback_removes_the_map() -> None:
    """down takes the map away, deleting an account that held nothing else."""
    migration = _migration()
    once = migration.up({USER: make_member(5), ACCOUNT: None, PUBLIC: None})
    assert migration.down({USER: make_member(5), ACCOUNT: once[ACCOUNT], PUBLIC: None}) == {
        ACCOUNT: None
    }
    kept = {**once[ACCOUNT], "openRequests": 2}
    assert migration.down({USER: make_member(5), ACCOUNT: kept, PUBLIC: None}) == {
        ACCOUNT: {"openRequests": 2}
    }
