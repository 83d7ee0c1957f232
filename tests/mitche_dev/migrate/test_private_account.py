"""Migration 0001 (private account) through the runner, against a local server holding members
in the old shape: plan, apply, apply again, rollback, backup and restore, validation, a changed
module, and a real process killed midway."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from google.cloud import firestore

from firelab.pytest_plugin import FirestoreTestServer
from mitche.models import AppliedMigration, MigrationState, applied_migration_path
from mitche.services import from_document
from tests.mitche_dev.migrate.conftest import (
    MIGRATIONS,
    PROJECT,
    REPO,
    T0,
    Cli,
    make_old_member,
    rollback_through,
    run_of,
    snapshot_all,
    store_members,
)

MOVED = ("security", "lastRequestAt", "lastOfferingAt", "lastMessageAt", "lastReportAt")
MIGRATION = "0001_private_account"


@pytest.fixture
def cli(db: firestore.Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The command line over migration 0001 alone: 0003 rewrites the same account documents
    (bare times into stamps), which would hide what these tests check."""
    folder = tmp_path / "only-0001"
    folder.mkdir()
    shutil.copy(MIGRATIONS / f"{MIGRATION}.py", folder)
    monkeypatch.chdir(tmp_path)
    return Cli(folder)


def seed_old_shape(db: firestore.Client, count: int) -> None:
    """`count` members in the old shape, plus one who never had a security map or stamps."""
    members = [(f"m{index:03d}", make_old_member(f"m{index:03d}", index)) for index in range(count)]
    store_members(db, members)
    fresh = make_old_member("zz-fresh").model_dump(by_alias=True, exclude_none=True)
    for key in MOVED:
        fresh.pop(key, None)
    db.document("users/zz-fresh").set(fresh)


def log_entry(db: firestore.Client) -> AppliedMigration:
    snapshot = db.document(applied_migration_path(MIGRATION)).get()
    assert snapshot.exists
    return from_document(AppliedMigration, snapshot.to_dict() or {})


def assert_new_shape(db: firestore.Client, before: dict[str, dict], count: int) -> None:
    """Every old member's moved fields are in their account document, none in the user's."""
    for index in range(count):
        user_path = f"users/m{index:03d}"
        user = db.document(user_path).get().to_dict() or {}
        account = db.document(f"{user_path}/private/account").get().to_dict() or {}
        assert not set(MOVED) & set(user), user_path
        assert account == {k: before[user_path][k] for k in MOVED if k in before[user_path]}
        rest = {k: v for k, v in before[user_path].items() if k not in MOVED}
        assert user == rest
    assert not db.document("users/zz-fresh/private/account").get().exists


def test_plan_reports_exact_counts_and_writes_nothing(db: firestore.Client, cli: Cli) -> None:
    """A dry run counts every member it would change (not the one with nothing to move),
    shows a sample diff, and leaves the database exactly as it was."""
    seed_old_shape(db, 5)
    before = snapshot_all(db)
    status, out, _ = cli("--json", "plan", "--sample", "1")
    assert status == 0
    run = run_of(out, MIGRATION)
    assert (run["visited"], run["changed"], run["written"], run["deleted"]) == (6, 5, 10, 0)
    [[user_diff, account_diff]] = run["samples"]
    assert user_diff["path"] == "users/m000"
    assert account_diff["path"] == "users/m000/private/account"
    assert account_diff["before"] is None
    assert snapshot_all(db) == before
    assert not db.document(applied_migration_path(MIGRATION)).get().exists


def test_plan_prints_a_readable_diff(db: firestore.Client, cli: Cli) -> None:
    """The text plan names the migration, the counts and each moved key."""
    seed_old_shape(db, 2)
    status, out, _ = cli("plan", "--sample", "1")
    assert status == 0
    assert "0001_private_account up: 3 documents visited, 2 would change (4 set, 0 deleted)" in out
    assert "users/m000/private/account (created)" in out
    assert "    - lastRequestAt: " in out
    assert "    + security: " in out


def test_apply_moves_the_fields_and_logs_the_run(db: firestore.Client, cli: Cli) -> None:
    """Apply moves each member's fields in one step, validates, and logs who, when, how many
    and the module's checksum; a second apply changes nothing."""
    seed_old_shape(db, 7)
    before = snapshot_all(db)
    status, out, err = cli("--by", "ops@test", "apply", "--page-size", "3")
    assert status == 0, err
    assert "7 changed (14 set, 0 deleted)" in out
    assert "validation: " in out
    assert " 0 invalid" in out
    assert_new_shape(db, before, 7)
    entry = log_entry(db)
    assert entry.state is MigrationState.APPLIED
    assert (entry.visited, entry.changed, entry.applied_by, entry.valid) == (8, 7, "ops@test", True)
    assert (
        entry.checksum
        == __import__("hashlib")
        .sha256((REPO / "migrations" / f"{MIGRATION}.py").read_bytes())
        .hexdigest()
    )
    after = snapshot_all(db)
    status, out, _ = cli("apply")
    assert status == 0
    assert "nothing to do" in out
    assert snapshot_all(db) == after
    status, out, _ = cli("status")
    assert f"{MIGRATION}  applied" in out


def test_account_values_already_written_win(db: firestore.Client, cli: Cli) -> None:
    """A stamp a client already wrote to the account document (newer) is kept; the legacy
    value fills only what the account lacks."""
    seed_old_shape(db, 1)
    newer = T0.replace(year=2027)
    db.document("users/m000/private/account").set({"lastRequestAt": newer})
    assert cli("apply", "--no-backup")[0] == 0
    account = db.document("users/m000/private/account").get().to_dict() or {}
    assert account["lastRequestAt"] == newer
    assert "security" in account
    assert "lastMessageAt" in account


def test_backup_apply_restore_is_byte_equal(db: firestore.Client, cli: Cli, tmp_path: Path) -> None:
    """Apply backs up what the migration writes; restoring that backup brings back exactly the
    old documents (and removes the account documents the migration created), byte for byte."""
    seed_old_shape(db, 4)
    status, out, _ = cli("--json", "apply")
    assert status == 0
    [backup] = [path for path in json.loads(out)["backups"] if path.endswith(MIGRATION)]
    assert cli("restore", backup)[0] == 0
    assert cli("backup", "--migration", MIGRATION, "--out", str(tmp_path / "after"))[0] == 0
    original = (Path(backup) / "documents.jsonl").read_bytes()
    assert (tmp_path / "after" / "documents.jsonl").read_bytes() == original
    assert original.count(b"\n") == 5


def test_rollback_restores_the_old_shape(db: firestore.Client, cli: Cli) -> None:
    """Rollback moves everything back: the documents equal those before apply, and the
    migration is pending again."""
    seed_old_shape(db, 4)
    before = snapshot_all(db)
    assert cli("apply", "--no-backup")[0] == 0
    status, out, err = rollback_through(cli, MIGRATION)
    assert status == 0, err
    assert "0001_private_account down: 5 documents visited, 4 changed" in out
    assert snapshot_all(db) == before
    assert log_entry(db).state is MigrationState.ROLLED_BACK
    assert f"{MIGRATION}  pending" in cli("status")[1]


def test_validation_fails_on_a_planted_bad_document(db: firestore.Client, cli: Cli) -> None:
    """Validation passes on migrated data and fails, naming the path and the field, once a
    document that breaks its model is planted."""
    seed_old_shape(db, 2)
    assert cli("apply", "--no-backup")[0] == 0
    assert cli("validate", "users")[0] == 0
    db.document("users/m001/private/account").update({"security.strikes": -4})
    status, out, _ = cli("validate", "users")
    assert status == 1
    assert "users/{userId}/private/account (PrivateAccount): 1 invalid" in out
    assert "users/m001/private/account: security.strikes: Input should be greater" in out


def test_a_changed_applied_migration_is_refused(
    db: firestore.Client, cli: Cli, tmp_path: Path
) -> None:
    """Once applied, a migration whose module changed is refused, and nothing runs."""
    folder = tmp_path / "migrations"
    folder.mkdir()
    module = folder / f"{MIGRATION}.py"
    module.write_bytes((REPO / "migrations" / f"{MIGRATION}.py").read_bytes())
    seed_old_shape(db, 1)
    assert cli("apply", "--no-backup", migrations=folder)[0] == 0
    module.write_text(module.read_text() + "\n# edited after the fact\n")
    status, _, err = cli("apply", migrations=folder)
    assert status == 2
    assert "changed after it was applied" in err
    assert f"{MIGRATION}  changed" in cli("status", migrations=folder)[1]


def test_a_killed_run_resumes_to_the_same_final_state(
    db: firestore.Client, cli: Cli, firestore_server: FirestoreTestServer, tmp_path: Path
) -> None:
    """A real `apply` process killed midway leaves the pages it committed and its cursor; the
    next apply resumes after the cursor and ends in the same state as an uninterrupted run,
    having changed every member exactly once."""
    seed_old_shape(db, 60)
    before = snapshot_all(db)
    gated = Path(__file__).parent / "testdata" / "gated"
    gate = tmp_path / "gate"
    env = {
        **os.environ,
        "FIRESTORE_EMULATOR_HOST": firestore_server.host,
        "MITCHE_MIGRATE_GATE": str(gate),
    }
    command = [sys.executable, "-m", "mitche_dev.migrate", "--project", PROJECT]
    command += ["--migrations", str(gated), "apply", "--page-size", "5", "--no-backup"]
    process = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        reached = Path(f"{gate}.reached")
        deadline = time.monotonic() + 120
        while not reached.exists():
            assert process.poll() is None, process.communicate()[1]
            assert time.monotonic() < deadline, "the run never reached the gate"
            time.sleep(0.05)
    finally:
        process.kill()
        process.communicate()
    interrupted = log_entry(db)
    assert interrupted.state is MigrationState.RUNNING
    assert (interrupted.cursor, interrupted.visited, interrupted.changed) == ("users/m029", 30, 30)
    assert db.document("users/m029/private/account").get().exists
    assert not db.document("users/m030/private/account").get().exists
    status, out, err = cli("apply", "--page-size", "5", "--no-backup", migrations=gated)
    assert status == 0, err
    assert "resumed after users/m029" in out
    assert_new_shape(db, before, 60)
    entry = log_entry(db)
    assert (entry.state, entry.visited, entry.changed) == (MigrationState.APPLIED, 61, 60)
    assert entry.history[-1].changed == 60


@pytest.mark.parametrize("args", [("status",), ("apply",), ("validate",)])
def test_production_needs_an_explicit_project(
    args: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an emulator host, every command refuses to run unless --project names the
    production project."""
    import io

    from mitche_dev.migrate import main

    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    err = io.StringIO()
    assert main(list(args), out=io.StringIO(), err=err) == 2
    assert "name it with --project" in err.getvalue()


def test_apply_reports_invalid_documents_and_exits_non_zero(db: firestore.Client, cli: Cli) -> None:
    """Validation runs after the migration over what it writes: a broken member document fails
    the run with exit status 1, its path in the report and `valid: false` in the log."""
    seed_old_shape(db, 2)
    db.document("users/m001").update({"profile.anonymousAlias": "x"})
    status, out, _ = cli("apply", "--no-backup")
    assert status == 1
    assert "users/m001: profile.anonymousAlias: String should have at least 3 characters" in out
    assert log_entry(db).valid is False
