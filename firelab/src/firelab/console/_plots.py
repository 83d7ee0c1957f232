"""Plots of a project's own documents, declared by configuration (the console knows no
project): lines over a collection's documents in id order (daily metrics documents named
`YYYY-MM-DD`), a grid of geohash cells summed over those documents, and a queue of documents in
some states counted by one field. Each renders to a standalone SVG and a CSV, from plain
document data (what `DocumentSnapshot.to_dict()` gives), so a command can draw the same plots
from a production project.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

__all__ = [
    "GeohashGrid",
    "Plot",
    "Queue",
    "RenderedPlot",
    "Series",
    "lookup",
    "render",
]

_COLORS = ("#0969da", "#cf222e", "#1a7f37", "#9a6700", "#8250df", "#bc4c00", "#1b7c83", "#57606a")
_WIDTH, _HEIGHT, _MARGIN = 640, 260, 44
_BASE32 = "0123456789bcdefghjkmnpqrstuvwxyz"


@dataclass(frozen=True, slots=True)
class Series:
    """Lines: one per field path over the collection's documents, in document id order. A path
    ending in `.*` stands for every key of that map (one line each)."""

    title: str
    collection: str
    fields: tuple[str, ...]
    last: int = 90
    """Only the last documents by id (the most recent days)."""


@dataclass(frozen=True, slots=True)
class GeohashGrid:
    """Geohash cells of a map field (`{cell: {key: count}}`), `value` summed over documents."""

    title: str
    collection: str
    cells: str
    value: str
    last: int = 90


@dataclass(frozen=True, slots=True)
class Queue:
    """The documents whose `state` field is one of `states`, counted by `group`, listed with
    `columns` and their age from the `since` timestamp field, oldest first."""

    title: str
    collection: str
    state: str
    states: tuple[str, ...]
    group: str
    columns: tuple[str, ...] = ()
    since: str | None = None


Plot = Series | GeohashGrid | Queue


@dataclass(frozen=True, slots=True)
class RenderedPlot:
    """One plot: its SVG, its data as CSV, and the plotted values (`label=value`) for checks."""

    title: str
    kind: str
    svg: str
    csv: str
    values: tuple[str, ...]
    rows: tuple[dict[str, str], ...] = field(default=())

    def as_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "kind": self.kind,
            "svg": self.svg,
            "csv": self.csv,
            "values": list(self.values),
            "rows": list(self.rows),
        }


def lookup(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted field path, or None."""
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def render(plot: Plot, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> RenderedPlot:
    """Draw `plot` from `(document id, data)` pairs of its collection."""
    if isinstance(plot, Series):
        return _series(plot, sorted(documents, key=lambda item: item[0])[-plot.last :])
    if isinstance(plot, GeohashGrid):
        return _grid(plot, sorted(documents, key=lambda item: item[0])[-plot.last :])
    return _queue(plot, documents)


# -- lines ---------------------------------------------------------------------------------------


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _lines(
    plot: Series, documents: Sequence[tuple[str, Mapping[str, Any]]]
) -> dict[str, list[float]]:
    lines: dict[str, list[float]] = {}
    for path in plot.fields:
        if path.endswith(".*"):
            base = path[:-2]
            keys = sorted({k for _, data in documents for k in (lookup(data, base) or {})})
            for key in keys:
                lines[f"{base}.{key}"] = [
                    _number((lookup(data, base) or {}).get(key)) for _, data in documents
                ]
        else:
            lines[path] = [_number(lookup(data, path)) for _, data in documents]
    return lines


def _series(plot: Series, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> RenderedPlot:
    ids = [identifier for identifier, _ in documents]
    lines = _lines(plot, documents)
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["id", *lines])
    for index, identifier in enumerate(ids):
        writer.writerow([identifier, *(_format(values[index]) for values in lines.values())])
    top = max([1.0, *(v for values in lines.values() for v in values)])
    inner_w, inner_h = _WIDTH - 2 * _MARGIN, _HEIGHT - 2 * _MARGIN
    step = inner_w / max(1, len(ids) - 1)

    def x(index: int) -> float:
        return _MARGIN + (index * step if len(ids) > 1 else inner_w / 2)

    def y(value: float) -> float:
        return _HEIGHT - _MARGIN - value / top * inner_h

    parts = [_axes(top)]
    values: list[str] = []
    for number, (label, points) in enumerate(lines.items()):
        color = _COLORS[number % len(_COLORS)]
        coordinates = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(points))
        parts.append(
            f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{coordinates}"/>'
        )
        for index, value in enumerate(points):
            shown = f"{label}@{ids[index]}={_format(value)}"
            values.append(shown)
            parts.append(
                f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{color}" '
                f'data-value="{html.escape(shown)}"><title>{html.escape(shown)}</title></circle>'
            )
        parts.append(
            f'<text x="{_WIDTH - _MARGIN + 4}" y="{_MARGIN + 14 * number}" font-size="10" '
            f'fill="{color}">{html.escape(label.rsplit(".", 1)[-1])}</text>'
        )
    if ids:
        for index in sorted({0, len(ids) - 1}):
            parts.append(
                f'<text x="{x(index):.1f}" y="{_HEIGHT - _MARGIN + 16}" font-size="10" '
                f'text-anchor="middle">{html.escape(ids[index])}</text>'
            )
    svg = _svg(plot.title, "".join(parts), width=_WIDTH + 90)
    return RenderedPlot(plot.title, "series", svg, table.getvalue(), tuple(values))


def _axes(top: float) -> str:
    bottom = _HEIGHT - _MARGIN
    return (
        f'<line x1="{_MARGIN}" y1="{_MARGIN}" x2="{_MARGIN}" y2="{bottom}" stroke="#8c959f"/>'
        f'<line x1="{_MARGIN}" y1="{bottom}" x2="{_WIDTH - _MARGIN}" y2="{bottom}" '
        f'stroke="#8c959f"/>'
        f'<text x="{_MARGIN - 6}" y="{_MARGIN + 4}" font-size="10" text-anchor="end">'
        f"{_format(top)}</text>"
        f'<text x="{_MARGIN - 6}" y="{bottom}" font-size="10" text-anchor="end">0</text>'
    )


def _svg(title: str, body: str, *, width: int = _WIDTH, height: int = _HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif">'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        f'<text x="{_MARGIN}" y="22" font-size="14" font-weight="bold">{html.escape(title)}</text>'
        f"{body}</svg>"
    )


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


# -- geohash grid --------------------------------------------------------------------------------


def geohash_box(cell: str) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a geohash cell."""
    south, north, west, east = -90.0, 90.0, -180.0, 180.0
    even = True
    for char in cell:
        bits = _BASE32.index(char)
        for shift in range(4, -1, -1):
            bit = (bits >> shift) & 1
            if even:
                middle = (west + east) / 2
                west, east = (middle, east) if bit else (west, middle)
            else:
                middle = (south + north) / 2
                south, north = (middle, north) if bit else (south, middle)
            even = not even
    return south, west, north, east


def _grid(plot: GeohashGrid, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> RenderedPlot:
    totals: dict[str, float] = {}
    for _, data in documents:
        for cell, counts in (lookup(data, plot.cells) or {}).items():
            if isinstance(counts, Mapping) and all(c in _BASE32 for c in cell):
                totals[cell] = totals.get(cell, 0.0) + _number(counts.get(plot.value))
    table = io.StringIO()
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(["cell", "south", "west", "north", "east", plot.value])
    boxes = {cell: geohash_box(cell) for cell in sorted(totals)}
    for cell, (south, west, north, east) in boxes.items():
        writer.writerow([cell, south, west, north, east, _format(totals[cell])])
    parts: list[str] = []
    values: list[str] = []
    if boxes:
        south = min(b[0] for b in boxes.values())
        west = min(b[1] for b in boxes.values())
        north = max(b[2] for b in boxes.values())
        east = max(b[3] for b in boxes.values())
        inner_w, inner_h = _WIDTH - 2 * _MARGIN, _HEIGHT - 2 * _MARGIN
        scale = min(inner_w / max(east - west, 1e-9), inner_h / max(north - south, 1e-9))
        top = max(totals.values()) or 1.0
        for cell, (s, w, n, e) in boxes.items():
            x = _MARGIN + (w - west) * scale
            y = _MARGIN + (north - n) * scale
            shown = f"{cell}={_format(totals[cell])}"
            values.append(shown)
            opacity = 0.15 + 0.85 * totals[cell] / top
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{(e - w) * scale:.1f}" '
                f'height="{(n - s) * scale:.1f}" fill="#0969da" fill-opacity="{opacity:.2f}" '
                f'stroke="#ffffff" data-value="{html.escape(shown)}">'
                f"<title>{html.escape(shown)}</title></rect>"
                f'<text x="{x + 3:.1f}" y="{y + 12:.1f}" font-size="9">{html.escape(cell)} '
                f"{_format(totals[cell])}</text>"
            )
    else:
        parts.append(f'<text x="{_MARGIN}" y="{_HEIGHT / 2}" font-size="12">no cells</text>')
    svg = _svg(plot.title, "".join(parts))
    return RenderedPlot(plot.title, "grid", svg, table.getvalue(), tuple(values))


# -- queue ---------------------------------------------------------------------------------------


def _queue(plot: Queue, documents: Sequence[tuple[str, Mapping[str, Any]]]) -> RenderedPlot:
    now = datetime.now(UTC)
    waiting = [
        (identifier, data)
        for identifier, data in documents
        if lookup(data, plot.state) in plot.states
    ]

    def since(item: tuple[str, Mapping[str, Any]]) -> datetime:
        moment = lookup(item[1], plot.since) if plot.since else None
        return moment if isinstance(moment, datetime) else now

    waiting.sort(key=since)
    rows: list[dict[str, str]] = []
    for identifier, data in waiting:
        row = {"id": identifier, plot.group: str(lookup(data, plot.group))}
        row[plot.state] = str(lookup(data, plot.state))
        for column in plot.columns:
            row[column] = "" if lookup(data, column) is None else str(lookup(data, column))
        if plot.since:
            hours = (now - since((identifier, data))).total_seconds() / 3600
            row["ageHours"] = f"{hours:.1f}"
        rows.append(row)
    table = io.StringIO()
    header = list(rows[0]) if rows else ["id", plot.group, plot.state, *plot.columns]
    writer = csv.DictWriter(table, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row[plot.group]] = counts.get(row[plot.group], 0) + 1
    parts = [_axes(float(max([1, *counts.values()])))]
    values: list[str] = []
    inner_w, inner_h = _WIDTH - 2 * _MARGIN, _HEIGHT - 2 * _MARGIN
    width = inner_w / max(1, len(counts))
    top = max([1, *counts.values()])
    for index, (group, count) in enumerate(sorted(counts.items())):
        height = count / top * inner_h
        x = _MARGIN + index * width + 4
        shown = f"{group}={count}"
        values.append(shown)
        parts.append(
            f'<rect x="{x:.1f}" y="{_HEIGHT - _MARGIN - height:.1f}" width="{width - 8:.1f}" '
            f'height="{height:.1f}" fill="{_COLORS[index % len(_COLORS)]}" '
            f'data-value="{html.escape(shown)}"><title>{html.escape(shown)}</title></rect>'
            f'<text x="{x + (width - 8) / 2:.1f}" y="{_HEIGHT - _MARGIN + 16}" font-size="10" '
            f'text-anchor="middle">{html.escape(group)} ({count})</text>'
        )
    svg = _svg(f"{plot.title}: {len(rows)} waiting", "".join(parts))
    return RenderedPlot(plot.title, "queue", svg, table.getvalue(), tuple(values), tuple(rows))
