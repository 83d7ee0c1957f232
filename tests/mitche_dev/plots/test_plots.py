"""Mitché's plots drawn from the demo community's documents: every daily value is on its line,
the geohash cells add up over the days, the moderation queue counts waiting reports by
severity; and the command writes the same plots as SVG and CSV from a Firestore server."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from firelab.console import GeohashGrid, Queue, Series, render
from firelab.server import FirestoreServer
from mitche.models import AnalyticsDay, Collection, MitcheModel, Report
from mitche_dev.devstack import DEMO_NOW, demo_documents
from mitche_dev.plots import PLOTS, QUEUE_STATES, write_plots

PROJECT = "demo-mitche-plots"


@pytest.fixture(scope="module")
def demo() -> dict[str, MitcheModel]:
    return dict(demo_documents(DEMO_NOW))


def collection(demo: dict[str, MitcheModel], name: str) -> list[tuple[str, Mapping[str, Any]]]:
    return [
        (path.split("/")[1], model.to_firestore())
        for path, model in demo.items()
        if path.count("/") == 1 and path.startswith(f"{name}/")
    ]


def test_every_day_of_the_demo_is_on_the_member_lines(demo: dict[str, MitcheModel]) -> None:
    days = [model for model in demo.values() if isinstance(model, AnalyticsDay)]
    assert days
    plot = next(p for p in PLOTS if isinstance(p, Series))
    drawn = render(plot, collection(demo, Collection.ANALYTICS))
    for day in days:
        assert f"users.activeUsers@{day.day}={day.users.active_users}" in drawn.values
        assert f"users.newUsers@{day.day}={day.users.new_users}" in drawn.values
    assert drawn.csv.splitlines()[0] == "id,users.newUsers,users.activeUsers"
    assert len(drawn.csv.splitlines()) == len(days) + 1


def test_a_map_of_counts_becomes_one_line_per_key(demo: dict[str, MitcheModel]) -> None:
    """Requests by category: one line per category any day has, zero on days without it."""
    plot = next(p for p in PLOTS if p.title == "Requests by category")
    drawn = render(plot, collection(demo, Collection.ANALYTICS))
    for model in demo.values():
        if isinstance(model, AnalyticsDay):
            for category, count in model.requests.by_category.items():
                assert f"requests.byCategory.{category}@{model.day}={count}" in drawn.values


def test_the_grid_sums_each_cell_over_the_days(demo: dict[str, MitcheModel]) -> None:
    plot = next(p for p in PLOTS if isinstance(p, GeohashGrid))
    drawn = render(plot, collection(demo, Collection.ANALYTICS))
    totals: dict[str, int] = {}
    for model in demo.values():
        if isinstance(model, AnalyticsDay):
            for cell, counts in model.geography.items():
                totals[cell] = totals.get(cell, 0) + counts.requests
    assert sorted(drawn.values) == sorted(f"{cell}={total}" for cell, total in totals.items())
    assert drawn.svg.count("<rect ") == len(totals) + 1  # the background, then each cell


def test_the_queue_counts_waiting_reports_by_severity(demo: dict[str, MitcheModel]) -> None:
    plot = next(p for p in PLOTS if isinstance(p, Queue))
    drawn = render(plot, collection(demo, Collection.REPORTS))
    waiting = [m for m in demo.values() if isinstance(m, Report) and m.status in QUEUE_STATES]
    assert len(drawn.rows) == len(waiting)
    counts: dict[str, int] = {}
    for report in waiting:
        counts[str(report.severity)] = counts.get(str(report.severity), 0) + 1
    assert sorted(drawn.values) == sorted(f"{k}={v}" for k, v in counts.items())
    ages = [float(row["ageHours"]) for row in drawn.rows]
    assert ages == sorted(ages, reverse=True)


def test_the_command_writes_each_plot_as_svg_and_csv(
    demo: dict[str, MitcheModel], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Against a Firestore server holding the demo's analytics and reports."""
    with FirestoreServer() as server:
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", server.address)
        client = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
        batch = client.batch()
        for path, model in demo.items():
            top_level = path.count("/") == 1
            if top_level and path.startswith(
                (f"{Collection.ANALYTICS}/", f"{Collection.REPORTS}/")
            ):
                batch.set(client.document(path), model.to_firestore())
        batch.commit()
        written = write_plots(client, tmp_path, days=2)
    assert len(written) == 2 * len(PLOTS)
    members = (tmp_path / "members-new-and-active.csv").read_text().splitlines()
    assert len(members) == 1 + 2  # the header, then the latest two days
    days = sorted(m.day for m in demo.values() if isinstance(m, AnalyticsDay))
    assert [line.split(",")[0] for line in members[1:]] == days[-2:]
    assert (tmp_path / "moderation-queue.svg").read_text().startswith("<svg ")
