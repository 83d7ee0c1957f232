"""Mitché's plots, declared once from its models' names: the console's Analytics page shows
them on the local stack, and `python -m mitche_dev.plots` draws them from a project's data."""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel

from firelab.console import GeohashGrid, Plot, Queue, Series
from mitche.models import Collection
from mitche.models.analytics import (
    AnalyticsDay,
    EventMetrics,
    HopePointMetrics,
    OfferingMetrics,
    ReportMetrics,
    RequestMetrics,
    UserMetrics,
)
from mitche.models.reports import Report, ReportStatus

__all__ = ["DAYS", "DAY_FIELD", "PLOTS", "QUEUE_STATES"]

DAYS: Final = 90
"""How many of the latest daily documents the plots cover."""


def _wire(model: type[BaseModel], name: str) -> str:
    """A field's name as stored (its camelCase alias)."""
    alias = model.model_fields[name].alias
    return alias if alias is not None else name


def _metric(group: str, model: type[BaseModel], name: str, *, every_key: bool = False) -> str:
    path = f"{_wire(AnalyticsDay, group)}.{_wire(model, name)}"
    return f"{path}.*" if every_key else path


DAY_FIELD: Final = _wire(AnalyticsDay, "day")
"""The daily document's day (its id, `YYYY-MM-DD`): the latest days are the highest."""

QUEUE_STATES: Final = (ReportStatus.OPEN.value, ReportStatus.IN_REVIEW.value)
"""Reports still waiting for a decision."""

PLOTS: Final[tuple[Plot, ...]] = (
    Series(
        "Members: new and active",
        Collection.ANALYTICS,
        (
            _metric("users", UserMetrics, "new_users"),
            _metric("users", UserMetrics, "active_users"),
        ),
        DAYS,
    ),
    Series(
        "Requests by category",
        Collection.ANALYTICS,
        (_metric("requests", RequestMetrics, "by_category", every_key=True),),
        DAYS,
    ),
    Series(
        "Requests by urgency",
        Collection.ANALYTICS,
        (_metric("requests", RequestMetrics, "by_urgency", every_key=True),),
        DAYS,
    ),
    Series(
        "Requests fulfilled, offerings and events",
        Collection.ANALYTICS,
        (
            _metric("requests", RequestMetrics, "fulfilled"),
            _metric("offerings", OfferingMetrics, "created"),
            _metric("events", EventMetrics, "created"),
        ),
        DAYS,
    ),
    Series(
        "Hope points by category",
        Collection.ANALYTICS,
        (_metric("hope_points", HopePointMetrics, "by_category", every_key=True),),
        DAYS,
    ),
    Series(
        "Reports by severity",
        Collection.ANALYTICS,
        (_metric("reports", ReportMetrics, "by_severity", every_key=True),),
        DAYS,
    ),
    GeohashGrid(
        "Requests by area (geohash cells)",
        Collection.ANALYTICS,
        _wire(AnalyticsDay, "geography"),
        "requests",
        DAYS,
    ),
    Queue(
        "Moderation queue",
        Collection.REPORTS,
        _wire(Report, "status"),
        QUEUE_STATES,
        _wire(Report, "severity"),
        # Not the assignee: it lives on the report's case, which the queue does not join.
        (_wire(Report, "reason"), _wire(Report, "target_type")),
        _wire(Report, "created_at"),
    ),
)
