"""The runner's refusals and tools, with small migrations written for each test: what a module
must declare, writes outside its declaration, rollback order, version order, progress,
validation samples, the emulator export format and the managed export request."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import pytest
from google.cloud import firestore

from firelab.pytest_plugin import FirestoreTestServer
from mitche_dev.migrate import (
    MigrationError,
    load_migrations,
    production_export_request,
    validate,
)
from mitche_dev.migrate._documents import page_scopes
from mitche_dev.migrate._progress import Progress, format_progress
from tests.mitche_dev.migrate.conftest import Cli, make_old_member, run_of, store_members

COUNTER = '''
"""Counts: add `n` to every {collection} document."""
SCOPE = "{collection}/{{id}}"
READS = ("{collection}/{{id}}",)
WRITES = ({writes!r},)


def up(documents):
    path, data = next(iter(documents.items()))
    if data is None or "n" in data:
        return {{}}
    return {{{target}: {{**data, "n": 1}}}}
{down}'''

DOWN = """

def down(documents):
    path, data = next(iter(documents.items()))
    if data is None or "n" not in data:
        return {}
    return {path: {k: v for k, v in data.items() if k != "n"}}
"""


def write_migration(
    folder: Path,
    name: str,
    collection: str = "things",
    *,
    down: bool = True,
    writes: str | None = None,
    target: str = "path",
) -> Path:
    folder.mkdir(exist_ok=True)
    source = COUNTER.format(
        collection=collection,
        writes=writes or f"{collection}/{{id}}",
        target=target,
        down=DOWN if down else "",
    )
    path = folder / f"{name}.py"
    path.write_text(textwrap.dedent(source))
    return path


def seed_things(db: firestore.Client, *ids: str, collection: str = "things") -> None:
    for each in ids:
        db.document(f"{collection}/{each}").set({"label": each})


def test_a_module_must_declare_what_it_touches(tmp_path: Path) -> None:
    """A file not named NNNN_name.py, a missing docstring, or a SCOPE outside READS is refused
    with the reason; two modules may not share a version."""
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "add_things.py").write_text('"""x"""\n')
    with pytest.raises(MigrationError, match="NNNN_snake_name"):
        load_migrations(folder)
    (folder / "add_things.py").unlink()
    (folder / "0001_bare.py").write_text("SCOPE = 'a/{id}'\n")
    with pytest.raises(MigrationError, match="docstring"):
        load_migrations(folder)
    (folder / "0001_bare.py").write_text(
        '"""x"""\nSCOPE = "a/{id}"\nREADS = ("b/{id}",)\n'
        'WRITES = ("a/{id}",)\ndef up(d):\n    return {}\n'
    )
    with pytest.raises(MigrationError, match="must be one of READS"):
        load_migrations(folder)
    (folder / "0001_bare.py").unlink()
    write_migration(folder, "0001_one")
    write_migration(folder, "0001_two")
    with pytest.raises(MigrationError, match="share version 1"):
        load_migrations(folder)


def test_a_write_outside_writes_is_refused(db: firestore.Client, cli: Cli, tmp_path: Path) -> None:
    """A transformation that changes a document its declaration does not cover stops the run
    before anything is written."""
    folder = tmp_path / "m"
    write_migration(folder, "0001_sneaky", writes="other/{id}")
    seed_things(db, "a")
    status, _, err = cli("apply", "--no-backup", migrations=folder)
    assert status == 2
    assert "WRITES does not declare" in err
    assert db.document("things/a").get().to_dict() == {"label": "a"}


def test_rollback_goes_from_the_latest(db: firestore.Client, cli: Cli, tmp_path: Path) -> None:
    """Only the latest applied migration rolls back; one without down() cannot."""
    folder = tmp_path / "m"
    write_migration(folder, "0001_things")
    write_migration(folder, "0002_more", collection="more", down=False)
    seed_things(db, "a")
    seed_things(db, "b", collection="more")
    assert cli("apply", "--no-backup", migrations=folder)[0] == 0
    status, _, err = cli("rollback", "0001_things", "--no-backup", migrations=folder)
    assert (status, "not the latest applied" in err) == (2, True)
    status, _, err = cli("rollback", "--no-backup", migrations=folder)
    assert (status, "has no down()" in err) == (2, True)
    assert db.document("more/b").get().to_dict() == {"label": "b", "n": 1}


def test_a_pending_migration_before_an_applied_one_is_refused(
    db: firestore.Client, cli: Cli, tmp_path: Path
) -> None:
    """A module added with a version below an applied one would run out of order: refused."""
    folder = tmp_path / "m"
    write_migration(folder, "0002_later")
    assert cli("apply", "--no-backup", migrations=folder)[0] == 0
    write_migration(folder, "0001_earlier", collection="more")
    status, _, err = cli("apply", migrations=folder)
    assert status == 2
    assert "a later migration is applied" in err


def test_apply_to_a_version_stops_there(db: firestore.Client, cli: Cli, tmp_path: Path) -> None:
    """`apply --to 1` applies the first migration only."""
    folder = tmp_path / "m"
    write_migration(folder, "0001_things")
    write_migration(folder, "0002_more", collection="more")
    seed_things(db, "a")
    seed_things(db, "b", collection="more")
    assert cli("apply", "--no-backup", "--to", "1", migrations=folder)[0] == 0
    assert db.document("things/a").get().to_dict() == {"label": "a", "n": 1}
    assert db.document("more/b").get().to_dict() == {"label": "b"}
    assert "0002_more  pending" in cli("status", migrations=folder)[1]


SEVERAL = '''
"""Counts: add `n` to every document of three collections."""
SCOPE = ("alpha/{id}", "beta/{id}", "gamma/{id}")
READS = SCOPE
WRITES = SCOPE


def up(documents):
    path, data = next(iter(documents.items()))
    return {} if data is None or "n" in data else {path: {**data, "n": 1}}
'''


def test_several_scopes_are_paged_one_after_the_other(
    db: firestore.Client, cli: Cli, tmp_path: Path
) -> None:
    """A SCOPE tuple is read collection after collection with one cursor: an empty collection
    hands over to the next, a cursor resumes in the collection it names, and every document
    is visited once."""
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_several.py").write_text(SEVERAL)
    seed_things(db, "a1", "a2", "a3", collection="alpha")
    seed_things(db, "g1", "g2", "g3", "g4", collection="gamma")
    scopes = ("alpha/{id}", "beta/{id}", "gamma/{id}")
    seen: list[str] = []
    cursor: str | None = None
    while True:
        current = page_scopes(db, scopes, after=cursor, size=2)
        seen += [snapshot.reference.path for snapshot in current.snapshots]
        cursor = current.last
        if current.exhausted:
            break
    assert seen == ["alpha/a1", "alpha/a2", "alpha/a3", *(f"gamma/g{i}" for i in range(1, 5))]
    resumed = page_scopes(db, scopes, after="gamma/g2", size=5)
    assert [s.reference.path for s in resumed.snapshots] == ["gamma/g3", "gamma/g4"]
    assert (resumed.last, resumed.exhausted) == ("gamma/g4", True)
    status, out, err = cli("--json", "apply", "--no-backup", "--page-size", "2", migrations=folder)
    assert status == 0, err
    run = run_of(out, "0001_several")
    assert (run["visited"], run["changed"]) == (7, 7)
    assert all((db.document(path).get().to_dict() or {}).get("n") == 1 for path in seen)


def test_a_page_ending_on_a_document_no_template_fits_moves_on(db: firestore.Client) -> None:
    """A collection-group page can end on a sibling the template does not name (`dataKey`
    beside `identity` in `private`): the next page starts after it, never over from the start
    (which paged the same sibling forever)."""
    for uid in ("eve", "gus"):
        db.document(f"users/{uid}/private/dataKey").set({"k": 1})
        db.document(f"users/{uid}/private/identity").set({"n": 0})
    scopes = ("users/{userId}/private/identity",)
    seen: list[str] = []
    cursor: str | None = None
    for _ in range(10):
        current = page_scopes(db, scopes, after=cursor, size=1)
        seen += [snapshot.reference.path for snapshot in current.snapshots]
        cursor = current.last
        if current.exhausted:
            break
    assert current.exhausted
    assert seen == ["users/eve/private/identity", "users/gus/private/identity"]


def test_a_scope_tuple_names_each_template_once(tmp_path: Path) -> None:
    """SCOPE as a tuple must be non-empty, path templates only, each once."""
    folder = tmp_path / "m"
    folder.mkdir()
    module = folder / "0001_several.py"
    for scope, reason in [
        ("()", "SCOPE must be the path template"),
        ('("alpha/{id}", 3)', "SCOPE must be the path template"),
        ('("alpha/{id}", "alpha/{id}")', "names a path template twice"),
    ]:
        module.write_text(SEVERAL.replace('("alpha/{id}", "beta/{id}", "gamma/{id}")', scope, 1))
        with pytest.raises(MigrationError, match=reason):
            load_migrations(folder)


TALLY = '''"""Tally: list every thing in its group's tally, in rank order."""
SCOPE = "things/{id}"
ORDER = "rank"
READS = ("things/{id}", "tallies/{group}")
WRITES = ("tallies/{group}",)


def related(path, data):
    return (f"tallies/{data['group']}",)


def up(documents):
    thing = next(path for path in documents if path.startswith("things/"))
    tally_path = next(path for path in documents if path.startswith("tallies/"))
    tally = documents[tally_path] or {"ids": []}
    if thing in tally["ids"]:
        return {}
    return {tally_path: {"ids": [*tally["ids"], thing]}}
'''


def test_order_related_data_and_shared_documents(
    db: firestore.Client, cli: Cli, tmp_path: Path
) -> None:
    """With ORDER the scope is paged by that field (then path), not by id; `related(path,
    data)` names documents from the scope document's content; a document several scope
    documents of one page share is given to each as the earlier ones left it, and written
    once; documents without the ORDER field are not visited."""
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_tally.py").write_text(TALLY)
    for thing, rank, group in [("a", 5, "x"), ("b", 4, "y"), ("c", 3, "x"), ("d", 2, "x")]:
        db.document(f"things/{thing}").set({"rank": rank, "group": group})
    db.document("things/e").set({"group": "x"})
    status, out, err = cli("--json", "apply", "--no-backup", "--page-size", "3", migrations=folder)
    assert status == 0, err
    assert (run_of(out, "0001_tally")["visited"], run_of(out, "0001_tally")["changed"]) == (4, 4)
    assert db.document("tallies/x").get().to_dict() == {"ids": ["things/d", "things/c", "things/a"]}
    assert db.document("tallies/y").get().to_dict() == {"ids": ["things/b"]}


def test_an_ordered_run_cannot_resume_from_a_deleted_cursor(db: firestore.Client) -> None:
    """The cursor is a path: under ORDER its place is read again, so a deleted cursor
    document stops the run with the reason rather than restarting or skipping."""
    db.document("things/a").set({"rank": 1})
    with pytest.raises(LookupError, match="cursor things/gone was deleted"):
        page_scopes(db, ("things/{id}",), after="things/gone", size=2, order="rank")


@pytest.mark.parametrize(
    ("declaration", "reason"),
    [
        ("\ndef related(path, data, extra):\n    return ()\n", "related must be related"),
        ('\nORDER = "rank; drop"\n', "ORDER must be a field path"),
    ],
)
def test_related_and_order_are_checked(tmp_path: Path, declaration: str, reason: str) -> None:
    """`related` takes the path, or the path and the data; ORDER is a field path."""
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "0001_things.py").write_text(SEVERAL + declaration)
    with pytest.raises(MigrationError, match=reason):
        load_migrations(folder)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_on_a_terminal_only() -> None:
    """A terminal gets done/total, rate and time left on one rewritten line; a pipe gets
    nothing."""
    assert (
        format_progress("0001_x up", 300, 1200, 2.0)
        == "0001_x up  300/1,200 docs  150/s  0:06 left"
    )
    terminal, pipe = _Terminal(), io.StringIO()
    ticks = iter([0.0, 1.0, 1.0])
    shown = Progress(terminal, "0001_x up", 10, clock=lambda: next(ticks))
    shown.update(5)
    shown.finish()
    Progress(pipe, "0001_x up", 10).update(5)
    assert terminal.getvalue() == "\r\x1b[2K0001_x up  5/10 docs  5/s  0:01 left\n"
    assert pipe.getvalue() == ""


def test_validation_checks_a_stated_sample(db: firestore.Client) -> None:
    """`sample` checks the first N documents of each shape, and the report says how many."""
    store_members(db, [(f"m{i}", make_old_member(f"m{i}", i)) for i in range(5)])
    db.document("users/m4").update({"profile.displayName": ""})
    sampled = {r.template: r for r in validate(db, only=["users"], sample=2)}
    assert (sampled["users/{userId}"].checked, sampled["users/{userId}"].failed) == (2, 0)
    full = {r.template: r for r in validate(db, only=["users"])}
    assert (full["users/{userId}"].checked, full["users/{userId}"].failed) == (5, 1)
    assert full["users/{userId}"].failures[0].path == "users/m4"


def test_the_emulator_export_format_round_trips(
    db: firestore.Client, cli: Cli, tmp_path: Path, firestore_server: FirestoreTestServer
) -> None:
    """A backup in the official emulator export format restores the database as it was."""
    seed_things(db, "a", "b")
    status, out, _ = cli("backup", "--format", "emulator", "--out", str(tmp_path / "exp"))
    assert status == 0
    metadata = out.strip().removeprefix("exported to ")
    assert metadata.endswith(".overall_export_metadata")
    db.document("things/a").delete()
    db.document("things/c").set({"label": "c"})
    assert cli("restore", metadata, "--format", "emulator")[0] == 0
    assert sorted(d.id for d in db.collection("things").stream()) == ["a", "b"]


def test_the_managed_export_covers_the_collection_ids() -> None:
    """Production backups export the collection ids of what a migration writes to a bucket;
    anything but a gs:// URL is refused."""
    request = production_export_request(
        "mitche-prod", "gs://backups/", ["users/{userId}", "users/{userId}/private/account"], "x"
    )
    assert request == {
        "name": "projects/mitche-prod/databases/(default)",
        "collection_ids": ["private", "users"],
        "output_uri_prefix": "gs://backups/x",
    }
    with pytest.raises(ValueError, match="gs://"):
        production_export_request("p", "/tmp/x", ["users/{userId}"], "x")
