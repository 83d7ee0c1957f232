"""`python -m mitche_dev.plots --out DIR`: the console's analytics plots as files, for admins of
a production project (Application Default Credentials and GOOGLE_CLOUD_PROJECT, or
FIRESTORE_EMULATOR_HOST for an emulator). Reads the latest daily analytics documents and the
reports still waiting; writes one SVG and one CSV per plot and prints their names."""

from __future__ import annotations

import argparse
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from google.cloud import firestore

from firelab.console import Plot, Queue, render
from mitche_dev.plots._catalog import DAY_FIELD, DAYS, PLOTS

__all__ = ["main", "write_plots"]


def _documents(client: Any, plot: Plot, days: int) -> list[tuple[str, Mapping[str, Any]]]:
    """Only what the plot needs: the latest `days` daily documents, or the waiting reports."""
    collection = client.collection(plot.collection)
    if isinstance(plot, Queue):
        query = collection.where(filter=firestore.FieldFilter(plot.state, "in", list(plot.states)))
    else:
        query = collection.order_by(DAY_FIELD, direction="DESCENDING").limit(days)
    return [(snapshot.id, snapshot.to_dict() or {}) for snapshot in query.stream()]


def write_plots(
    client: Any, directory: Path, plots: Sequence[Plot] = PLOTS, days: int = DAYS
) -> list[Path]:
    """Draw every plot from the project `client` reads; the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    cache: dict[tuple[str, bool], list[tuple[str, Mapping[str, Any]]]] = {}
    for plot in plots:
        key = (str(plot.collection), isinstance(plot, Queue))
        if key not in cache:
            cache[key] = _documents(client, plot, days)
        drawn = render(plot, cache[key])
        slug = re.sub(r"[^a-z0-9]+", "-", plot.title.lower()).strip("-")
        for suffix, text in ((".svg", drawn.svg), (".csv", drawn.csv)):
            path = directory / f"{slug}{suffix}"
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    options = argparse.ArgumentParser(
        prog="python -m mitche_dev.plots",
        description="Draw Mitché's analytics and moderation plots (SVG and CSV) from a project.",
    )
    options.add_argument("--out", type=Path, required=True, help="directory to write into")
    options.add_argument("--project", help="project ID (default: from the environment)")
    options.add_argument("--days", type=int, default=DAYS, help="latest days (%(default)s)")
    args = options.parse_args(argv)
    if args.days < 1:
        options.error("--days must be at least 1")
    client = firestore.Client(project=args.project)
    for path in write_plots(client, args.out, days=args.days):
        print(path)
    return 0
