"""The console's Analytics page for Mitché, in headless Chromium: with the demo's daily
analytics documents and reports stored, each plot renders with the seeded days' values (the
driver and its browser are firelab's console tests')."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.stack import LocalStack, StackConfig
from mitche.models import AnalyticsDay, Collection
from mitche_dev.devstack import DEMO_NOW, demo_documents
from mitche_dev.plots import PLOTS

ROOT = Path(__file__).resolve().parents[3]
DRIVER = ROOT / "firelab" / "tests" / "console" / "js" / "drive_console.mjs"
CHROMIUM = Path(os.environ.get("FIRELAB_CHROMIUM", "/usr/bin/chromium"))
PROJECT = "demo-mitche-console"


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    config = StackConfig(
        project=PROJECT, console=True, console_plots=PLOTS, auth=False, storage=False
    )
    with LocalStack(config) as running:
        yield running


def test_the_analytics_page_plots_the_seeded_days(stack: LocalStack) -> None:
    assert stack.console is not None
    client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
    demo = dict(demo_documents(DEMO_NOW))
    batch = client.batch()
    for path, model in demo.items():
        top_level = path.count("/") == 1
        if top_level and path.startswith((f"{Collection.ANALYTICS}/", f"{Collection.REPORTS}/")):
            batch.set(client.document(path), model.to_firestore())
    batch.commit()
    artifacts = Path(os.environ.get("TEST_ARTIFACTS", ROOT / "test-artifacts")) / "console"
    artifacts.mkdir(parents=True, exist_ok=True)
    node = shutil.which("node")
    assert node is not None
    request = {
        "console": stack.console.url,
        "firestore": "",
        "project": PROJECT,
        "artifacts": str(artifacts),
        "chromium": str(CHROMIUM),
        "steps": ["plots"],
    }
    finished = subprocess.run(
        [node, str(DRIVER), json.dumps(request)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    report: dict[str, Any] = json.loads(finished.stdout)
    assert "failure" not in report, report["failure"]
    assert report["pageErrors"] == []

    plots = {plot["title"]: plot for plot in report["plots"]}
    assert list(plots) == [plot.title for plot in PLOTS]
    assert all(plot["width"] > 300 for plot in plots.values())
    members = plots["Members: new and active"]["values"]
    days = [model for model in demo.values() if isinstance(model, AnalyticsDay)]
    for day in days:
        assert f"users.activeUsers@{day.day}={day.users.active_users}" in members
        for category, points in day.hope_points.by_category.items():
            shown = f"hopePoints.byCategory.{category}@{day.day}={points}"
            assert shown in plots["Hope points by category"]["values"]
    assert plots["Requests by area (geohash cells)"]["values"]
    assert plots["Moderation queue"]["values"]
    assert png_distinct_bytes(Path(report["plotsScreenshot"])) > 8, "the screenshot is blank"


def png_distinct_bytes(path: Path) -> int:
    """How many distinct byte values the decoded pixels of a PNG hold (1 or 2: a blank image)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    position, compressed = 8, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        if data[position + 4 : position + 8] == b"IDAT":
            compressed += data[position + 8 : position + 8 + length]
        position += 12 + length
    return len(set(zlib.decompress(compressed)))
