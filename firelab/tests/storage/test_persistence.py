"""Exports in the official emulator's layout, imports of them, and the command line's
--export-on-exit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx

from firelab.storage import StorageServer
from firelab.storage._objects import new_object

from .conftest import BUCKET, OWNER, PROJECT, RULES


def test_an_export_is_the_emulators_layout_and_imports_back(tmp_path: Path):
    """files.js export: buckets.json, blobs/<file>, metadata/<file>.json (decimal crc32c,
    downloadTokens a list); importing it restores bytes and metadata."""
    with StorageServer(project=PROJECT) as first:
        first.store.put(new_object(BUCKET, "a/b.txt", b"kept", {"contentType": "text/plain"}))
        first.export_directory(tmp_path)
    folder = tmp_path / "storage_export"
    assert json.loads((folder / "buckets.json").read_text()) == {"buckets": [{"id": BUCKET}]}
    (metadata_file,) = (folder / "metadata").iterdir()
    metadata = json.loads(metadata_file.read_text())
    assert metadata["name"] == "a/b.txt"
    assert metadata["crc32c"].isdigit()
    assert (folder / "blobs" / metadata_file.name.removesuffix(".json")).read_bytes() == b"kept"
    with StorageServer(project=PROJECT) as second:
        assert second.import_directory(tmp_path) == 1
        stored = second.store.get(BUCKET, "a/b.txt")
        assert stored is not None
        assert (stored.data, stored.metadata.content_type) == (b"kept", "text/plain")


def test_the_command_line_serves_and_exports_on_exit(tmp_path: Path):
    """`python -m firelab.storage --export-on-exit DIR` writes the export when stopped."""
    rules = tmp_path / "storage.rules"
    rules.write_text(RULES)
    command = [
        sys.executable, "-m", "firelab.storage", "--port", "0", "--project", PROJECT,
        "--rules", str(rules), "--export-on-exit", str(tmp_path / "out"),
    ]  # fmt: skip
    environment = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            assert line.startswith("firelab storage listening on 127.0.0.1:")
            address = line.rsplit(" ", 1)[1].strip()
            response = httpx.post(
                f"http://{address}/v0/b/{BUCKET}/o?name=seed.txt", content=b"seed", headers=OWNER
            )
            assert response.status_code == 200
        finally:
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=20) == 0
    assert (tmp_path / "out" / "storage_export" / "buckets.json").is_file()


def test_rules_that_do_not_compile_stop_the_command_line(tmp_path: Path):
    """Like `python -m firelab.server`: issues with positions on stderr, exit status 2."""
    rules = tmp_path / "storage.rules"
    rules.write_text("service firebase.storage {")
    result = subprocess.run(
        [sys.executable, "-m", "firelab.storage", "--port", "0", "--rules", str(rules)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert f"{rules}:1:" in result.stderr
