"""`python -m firelab.rules check` and `eval` from the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from firelab.rules import RulesPath
from firelab.rules.cli import InputError, decode_value, main, request_from_json

TESTDATA = Path(__file__).parent / "testdata"
FULL = TESTDATA / "firestore_full.rules"


def run(*argv: str) -> tuple[int, str]:
    """Run the CLI in-process; (exit status, printed text)."""
    out = io.StringIO()
    status = main(list(argv), stdout=out)
    return status, out.getvalue()


def write_json(directory: Path, name: str, value: object) -> str:
    """Write `value` as JSON and return the file's path."""
    path = directory / name
    path.write_text(json.dumps(value))
    return str(path)


def test_check_clean_file(tmp_path: Path) -> None:
    """A clean file reports ok with its service and exits 0."""
    status, text = run("check", str(FULL))
    assert status == 0
    assert text == f"{FULL}: ok (cloud.firestore)\n"


def test_check_syntax_error(tmp_path: Path) -> None:
    """A syntax error prints file:line:column, what was expected, a caret, and exits 1."""
    bad = tmp_path / "bad.rules"
    bad.write_text("service cloud.firestore {\n  match /a { allow read: if ; }\n}\n")
    status, text = run("check", str(bad))
    assert status == 1
    lines = text.splitlines()
    assert lines[0] == f"{bad}:2:29: error: unexpected ';'"
    assert lines[1].startswith("  expected: '!', '('")
    assert lines[3] == "  " + " " * 28 + "^"


def test_check_warnings_and_strict(tmp_path: Path) -> None:
    """Warnings print with their code; they fail the run only with --strict."""
    rules = tmp_path / "open.rules"
    rules.write_text(
        "service cloud.firestore {\n  match /databases/{d}/documents {\n"
        "    match /a/{b} { allow write; }\n  }\n}\n"
    )
    status, text = run("check", str(rules))
    assert status == 0
    assert f"{rules}:1:1: warning[no-version]" in text
    assert f"{rules}:3:20: warning[open-write]" in text
    assert run("check", "--strict", str(rules))[0] == 1


def test_check_missing_file(tmp_path: Path) -> None:
    """An unreadable file is reported and fails the run."""
    status, text = run("check", str(tmp_path / "nope.rules"))
    assert status == 1
    assert "cannot read" in text


def test_eval_prints_decisions_and_trace(tmp_path: Path) -> None:
    """eval judges each request against the state and prints why; exit 1 if one is denied."""
    requests = write_json(
        tmp_path,
        "requests.json",
        [
            {"method": "get", "path": "users/alice", "auth": {"uid": "alice"}},
            {"method": "get", "path": "users/alice", "auth": {"uid": "bob"}},
        ],
    )
    state = write_json(tmp_path, "state.json", {"admins/root": {}})
    status, text = run("eval", str(FULL), requests, "--state", state)
    assert status == 1
    assert "ALLOW get /databases/(default)/documents/users/alice" in text
    assert "DENY get /databases/(default)/documents/users/alice" in text
    assert "read /databases/(default)/documents/admins/bob" in text


def test_eval_json_output_and_coverage(tmp_path: Path) -> None:
    """--json prints machine-readable decisions; coverage reports are written on request."""
    request = write_json(
        tmp_path,
        "request.json",
        {
            "method": "list",
            "path": "posts",
            "query": {"filters": [{"field": "published", "op": "==", "value": True}]},
        },
    )
    report = tmp_path / "coverage.json"
    page = tmp_path / "coverage.html"
    status, text = run(
        "eval",
        str(FULL),
        request,
        "--json",
        "--coverage-json",
        str(report),
        "--coverage-html",
        str(page),
    )
    assert status == 0
    (decision,) = json.loads(text)
    assert decision["allowed"] is True
    assert decision["trace"][-1]["scope"] == "published == true"
    assert json.loads(report.read_text())["summary"]["allowsGranted"] == 1
    assert page.read_text().startswith("<!DOCTYPE html>")


def test_eval_batch_uses_after_state(tmp_path: Path) -> None:
    """{"batch": [...]} judges the writes together against the state after the batch."""
    rules = tmp_path / "batch.rules"
    rules.write_text(
        "rules_version = '2';\nservice cloud.firestore {\n  match /databases/{d}/documents {\n"
        "    match /orders/{id} {\n"
        "      allow create: if existsAfter(/databases/$(d)/documents/invoices/$(id));\n"
        "    }\n"
        "    match /invoices/{id} { allow create: if true; }\n  }\n}\n"
    )
    batch = write_json(
        tmp_path,
        "batch.json",
        {
            "batch": [
                {"method": "create", "path": "orders/o1", "request_resource": {"total": 3}},
                {"method": "create", "path": "invoices/o1", "request_resource": {"total": 3}},
            ]
        },
    )
    state = write_json(tmp_path, "state.json", {"after": {"invoices/o1": {"total": 3}}})
    status, text = run("eval", str(rules), batch, "--state", state)
    assert status == 0
    assert text.rstrip().endswith("batch: ALLOW")


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"method": "fetch", "path": "a/b"}, "method must be"),
        ({"method": "get", "path": ""}, "path must be"),
        ({"method": "get", "path": "a/b", "auth": {"id": "x"}}, "auth must be"),
        ({"method": "get", "path": "a/b", "service": "x"}, "service must be"),
        ({"method": "list", "path": "a", "query": {"filters": [{"op": "~"}]}}, "bad filter"),
        ({"method": "get", "path": "a/b", "time": "yesterday"}, "not an ISO 8601"),
    ],
)
def test_eval_rejects_bad_requests(
    tmp_path: Path, payload: dict[str, object], message: str
) -> None:
    """A malformed request is reported plainly and exits 2."""
    status, text = run("eval", str(FULL), write_json(tmp_path, "r.json", payload))
    assert status == 2
    assert message in text


def test_eval_rejects_invalid_json(tmp_path: Path) -> None:
    """Invalid JSON is reported with its line and column."""
    path = tmp_path / "r.json"
    path.write_text("{\n  'method': 1}")
    status, text = run("eval", str(FULL), str(path))
    assert status == 2
    assert f"{path}:2:3: invalid JSON" in text


def test_tagged_json_values() -> None:
    """$timestamp, $bytes, $latlng and $path decode to rules values."""
    decoded = decode_value(
        {
            "t": {"$timestamp": "2024-01-02T03:04:05Z"},
            "b": {"$bytes": "AAE="},
            "g": {"$latlng": [1.5, 2]},
            "p": {"$path": "/a/b"},
            "plain": {"$other": 1},
        }
    )
    assert isinstance(decoded, dict)
    assert decoded["t"].isoformat() == "2024-01-02T03:04:05+00:00"
    assert decoded["b"] == b"\x00\x01"
    assert (decoded["g"].lat, decoded["g"].lng) == (1.5, 2.0)
    assert decoded["p"] == RulesPath(("a", "b"))
    assert decoded["plain"] == {"$other": 1}
    with pytest.raises(InputError):
        decode_value({"$bytes": "not base64!"})


def test_request_from_json_reads_every_field() -> None:
    """Every RulesRequest field has a JSON spelling."""
    request = request_from_json(
        {
            "service": "firebase.storage",
            "method": "create",
            "path": "images/a.png",
            "bucket": "b1",
            "auth": {"uid": "u", "token": {"admin": True}},
            "time": "2024-01-01T00:00:00Z",
            "request_resource": {"size": 3},
        }
    )
    assert (request.service, request.method, request.bucket) == ("firebase.storage", "create", "b1")
    assert request.auth is not None
    assert (request.auth.uid, request.auth.token) == ("u", {"admin": True})
    assert request.request_resource == {"size": 3}


def test_module_entry_point() -> None:
    """`python -m firelab.rules check` runs as a real process."""
    result = subprocess.run(
        [sys.executable, "-m", "firelab.rules", "check", str(FULL)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert result.stdout.strip().endswith("ok (cloud.firestore)")
