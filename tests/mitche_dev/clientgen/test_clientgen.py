"""The client package's sources are generated from the backend's sources of truth: committed
unchanged, holding no server-only field in a write type, one function per client query, flow
and callable, and failing loudly when functions/main.py grows a callable it does not know."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from mitche.flows import FLOWS
from mitche.models import REQUEST_TIME, WrittenBy, withdrawal_of, written_by
from mitche.models.registry import collection_specs
from mitche.queries import client_queries
from mitche_dev.clientgen import (
    CLIENT_DIR,
    callable_names,
    deployed,
    document_writes,
    find_stale,
    generate,
)
from mitche_dev.schemagen import build_schema_set

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ROOT / CLIENT_DIR / "src"


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    """The package's files as the generator writes them from the checkout."""
    return generate(ROOT)


def test_committed_package_matches_its_sources(generated):
    """Every generated file is committed unchanged and no obsolete one remains."""
    stale = find_stale(ROOT, generated)
    assert not stale, (
        f"{CLIENT_DIR} is stale; run `.venv/bin/python -m mitche_dev.clientgen` and commit:\n"
        + "\n".join(f"  {item}" for item in stale)
    )


def test_check_command_passes_on_the_checkout():
    """`python -m mitche_dev.clientgen --check`, as scripts/check runs it, accepts the checkout."""
    result = subprocess.run(
        [sys.executable, "-m", "mitche_dev.clientgen", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_check_reports_an_edited_and_an_obsolete_file(tmp_path, generated):
    """A hand edit and a file the generator no longer writes both fail the check."""
    files = generated
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    (tmp_path / CLIENT_DIR / "src" / "queries.ts").write_text("// edited\n", encoding="utf-8")
    (tmp_path / CLIENT_DIR / "src" / "leftover.ts").write_text("export {};\n", encoding="utf-8")
    stale = {item.path: item.reason for item in find_stale(tmp_path, files)}
    assert stale == {
        f"{CLIENT_DIR}/src/queries.ts": "differs",
        f"{CLIENT_DIR}/src/leftover.ts": "obsolete",
    }


def test_write_types_hold_exactly_the_client_written_fields():
    """Create types hold CLIENT and CLIENT_CREATE fields, update types CLIENT fields only, and
    neither ever holds a SERVER field (such as `moderation`); a CLIENT_WITHDRAW field (an
    event's `approval`) is no create field, and an update takes it only as its withdrawal."""
    schemas = build_schema_set(collection_specs().values())
    by_path = {writes.document.path: writes for writes in document_writes(schemas)}
    for spec in collection_specs().values():
        writes = by_path[f"{spec.collection}/{{{spec.id_field}}}"]
        for name, field in spec.model.model_fields.items():
            wire = field.alias or name
            writer = written_by(field)
            assert (wire in writes.create) == (not writer.server_owned), wire
            assert (wire in writes.update) == (writer is WrittenBy.CLIENT), wire
            if writer is WrittenBy.CLIENT_WITHDRAW:
                assert writes.withdrawals[wire] == withdrawal_of(field), wire
            else:
                assert wire not in writes.withdrawals, wire
    assert "moderation" not in by_path["requests/{requestId}"].create
    events = by_path["communityEvents/{eventId}"]
    assert "approval" not in events.create
    assert events.withdrawals == {"approval": {"state": "pending", "submittedAt": REQUEST_TIME}}


def test_the_typed_update_takes_a_withdrawal_only_in_its_one_shape():
    """collections.ts: the event update type adds `approval` as the literal withdrawal (its
    time the serverTimestamp() sentinel), and the shape lists it for the runtime check."""
    collections = (SOURCES / "collections.ts").read_text(encoding="utf-8")
    assert '& { approval?: { state: "pending"; submittedAt: FieldValue } };' in collections
    assert (
        'withdrawals: { "approval": { "state": "pending", "submittedAt": "serverTimestamp()" } }'
        in collections
    )
    flows = (SOURCES / "flows.ts").read_text(encoding="utf-8")
    assert 'approval: { state: "pending", submittedAt: serverTimestamp() },' in flows


def test_every_client_query_flow_and_callable_has_its_function():
    """queries.ts, flows.ts and callables.ts export one function per declaration."""
    queries = (SOURCES / "queries.ts").read_text(encoding="utf-8")
    for query in client_queries():
        assert f'  "{query.name}": ' in queries, query.name
    flows = (SOURCES / "flows.ts").read_text(encoding="utf-8")
    for flow in FLOWS:
        assert f"export async function {flow.name}(" in flows
    callables = (SOURCES / "callables.ts").read_text(encoding="utf-8")
    for name in callable_names(ROOT / "functions" / "main.py"):
        assert f'(client, "{name}", request)' in callables


def test_a_write_left_out_on_equal_keys_is_guarded_in_its_flow(generated):
    """changeAlias creates the new claim and deletes the old one only when the two folded keys
    differ (and are not empty), and asks for the alias the member held, which no field gives."""
    flows = generated[f"{CLIENT_DIR}/src/flows.ts"]
    body = flows[flows.index("export async function changeAlias(") :]
    body = body[: body.index("\n}\n")]
    assert "const previousAliasKey = await D.aliasKey(input.previousAlias);" in body
    assert "if (aliasKey && aliasKey !== previousAliasKey) {" in body
    assert "if (previousAliasKey && previousAliasKey !== aliasKey) {" in body
    assert "batch.delete(" in body
    assert body.index("const previousAliasKey") < body.index("if (aliasKey")
    assert "  previousAlias: string;" in flows[flows.index("export interface ChangeAliasInput") :]


def test_an_unknown_callable_in_main_fails_generation(tmp_path):
    """A callable main.py declares but clientgen does not know stops the generator with its name."""
    main = tmp_path / "functions" / "main.py"
    main.parent.mkdir()
    main.write_text(
        (ROOT / "functions" / "main.py").read_text(encoding="utf-8")
        + "\n\n@https_fn.on_call()\ndef brand_new(request):\n    return {}\n",
        encoding="utf-8",
    )
    with pytest.raises(LookupError, match="brand_new"):
        deployed(main)
    declared = set(callable_names(ROOT / "functions" / "main.py"))
    assert {entry.name for entry in deployed(ROOT / "functions" / "main.py")} == declared
