"""Run a Python Cloud Functions codebase locally: Firestore triggers fed from a change feed,
callable and HTTP functions over HTTP, scheduled functions on their schedules or on demand."""

from firelab.functions._delivery import DeliveryFailure, DocumentWrite, TriggerDispatcher
from firelab.functions._discovery import (
    DiscoveredFunction,
    FunctionKind,
    FunctionsCodebase,
    load_codebase,
)
from firelab.functions._events import Principal, changed_field_paths, make_document_event
from firelab.functions._host import FunctionsHost, Scheduler, run_scheduled
from firelab.functions._paths import DocumentPattern, DocumentPatternError
from firelab.functions._schedule import Schedule, ScheduleError, parse_schedule

__all__ = [
    "DeliveryFailure",
    "DiscoveredFunction",
    "DocumentPattern",
    "DocumentPatternError",
    "DocumentWrite",
    "FunctionKind",
    "FunctionsCodebase",
    "FunctionsHost",
    "Principal",
    "Schedule",
    "ScheduleError",
    "Scheduler",
    "TriggerDispatcher",
    "changed_field_paths",
    "load_codebase",
    "make_document_event",
    "parse_schedule",
    "run_scheduled",
]
