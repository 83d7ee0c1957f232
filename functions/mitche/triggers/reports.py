"""`reports/{reportId}` written: a new report is triaged (severity, automatic hiding,
assignment, log); an upheld one rewards its reporter; both count in daily analytics."""

from __future__ import annotations

from mitche.handler_names import HandlerName
from mitche.handlers import (
    Deps,
    DocumentChange,
    award_report,
    count_change,
    report_notices,
    triage_report,
)
from mitche.triggers._adapt import WrittenEvent, run_handlers

__all__ = ["DOCUMENT", "on_report_written"]

DOCUMENT = "reports/{reportId}"


def _analytics(deps: Deps, change: DocumentChange) -> object:
    return count_change(deps, HandlerName.ANALYTICS_REPORTS, change)


def on_report_written(event: WrittenEvent) -> None:
    """A report was filed, triaged or decided."""
    run_handlers(
        event,
        {
            HandlerName.MODERATION_TRIAGE: triage_report,
            HandlerName.GAMIFICATION_REPORTS: award_report,
            HandlerName.ANALYTICS_REPORTS: _analytics,
            HandlerName.NOTIFY_REPORTS: report_notices,
        },
    )
