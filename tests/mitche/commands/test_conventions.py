"""The operator commands share the migration runner's conventions: a dry run reports exactly
what a run would change and writes nothing, member runs resume after a member, the outcome is
a JSON summary, and production is reached only with an explicit --project."""

from __future__ import annotations

import json

import pytest

from mitche.catalog import SEED_CATALOG
from mitche.commands import main
from mitche.models import HopePoints
from tests.mitche.handlers.factories import make_user
from tests.mitche.triggers.conftest import Store

from .test_commands import award_offerings


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(list(argv)) == 0
    out = capsys.readouterr().out
    outcome: dict = json.loads(out[out.rindex("{\n") :])  # after the structured log lines
    return outcome


def test_a_dry_run_reports_the_repair_and_writes_nothing(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--dry-run recompute-totals` names the member whose totals are wrong, exactly as the
    real run then repairs, and leaves the document as it was."""
    for uid in ("amina", "jonas"):
        store.put(f"users/{uid}", make_user(uid))
        award_offerings(store, uid, 2)
    wrong = HopePoints(total=999, guardian=999).model_dump(by_alias=True)
    store.client.document("users/jonas").update({"gamification.hopePoints": wrong})
    tampered = store.get("users/jonas")
    planned = run(capsys, "--dry-run", "recompute-totals")
    assert planned["dryRun"] is True
    assert planned["changed"] == ["jonas"]
    assert store.get("users/jonas") == tampered
    done = run(capsys, "recompute-totals")
    assert (done["dryRun"], done["changed"]) == (False, ["jonas"])
    assert store.get("users/jonas") != tampered


def test_a_dry_run_of_the_catalog_creates_nothing(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """Loading the catalog dry reports every entry it would create; none exists afterwards."""
    planned = run(capsys, "--dry-run", "load-catalog")
    assert sorted(planned["created"]) == sorted(SEED_CATALOG)
    assert store.ids("achievements") == []


def test_a_member_run_resumes_after_a_member(
    store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--after UID` visits only the members after that id (an interrupted run goes on)."""
    for uid in ("a", "b", "c", "d"):
        store.put(f"users/{uid}", make_user(f"user{uid}"))
    outcome = run(capsys, "recompute-totals", "--after", "b", "--page-size", "1")
    assert outcome["visited"] == 2


def test_production_needs_an_explicit_project(
    store: Store, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an emulator, a command refuses to run unless --project names the project."""
    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST")
    assert main(["load-catalog"]) == 2
    assert "name it with --project" in capsys.readouterr().err


def test_grant_role_has_no_dry_run(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    """A dry run cannot hold back Authentication claims, so grant-role refuses one."""
    store.put("users/amina", make_user("amina"))
    assert main(["--dry-run", "grant-role", "--uid", "amina", "--role", "admin"]) == 2
    assert "no dry run" in capsys.readouterr().err
    assert store.get("users/amina/private/account") is None
