"""Recomputing a past day's analytics from the source collections, for days whose counters are
missing (`source: backfill`).

The counters count events of the day; the source documents keep only some of those events'
times, so a backfill counts what the documents can tell:
* creations, by `createdAt` in the day (members, requests, offerings, events, conversations,
  reports; registrations and ledger entries through collection-group queries; messages with
  an aggregation count, one read per thousand), with the breakdowns the live counters keep;
* transitions with a timestamp: requests fulfilled or closed (`completion.completedAt`),
  offerings accepted (`respondedAt`) and completed (`completedAt`), events held (`endsAt` of a
  completed event), check-ins (`checkedInAt`), cancellations (`updatedAt` of a cancelled
  registration), reports classified (`triage.classifiedAt` of their moderators-only case, or
  of a report stored before migration 0015) and decided (`outcome.decidedAt`);
* active members: distinct members with a positive ledger entry that day (the live counter's
  own definition), placed on the map by their home area.
Suspensions and deactivations leave no dated trace and are not backfilled (they stay 0).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from google.cloud import firestore

from mitche.domain._calendar import zone
from mitche.domain.analytics import CounterDeltas, Tracked, apply_deltas, counter_deltas
from mitche.handler_names import HandlerName
from mitche.handlers import Deps, decode
from mitche.models import (
    AnalyticsDay,
    AnalyticsSource,
    Collection,
    CommunityEvent,
    Conversation,
    EventStatus,
    HelpRequest,
    HopeLedgerEntry,
    MitcheModel,
    Offering,
    OfferingStatus,
    Registration,
    RegistrationStatus,
    Report,
    ReportCase,
    ReportSeverity,
    ReportStatus,
    ReportTriage,
    RequestStatus,
    User,
    parse_day_id,
)
from mitche.queries import backfill_query_name, query_for
from mitche.services import CostSample, record_cost, run_batch

__all__ = ["backfill_day", "day_bounds"]

ModelT = TypeVar("ModelT", bound=MitcheModel)
_HANDLER = HandlerName.COMMANDS_BACKFILL

# Counters a creation's deltas would fill from the document's *current* state; the backfill
# counts them from their own timestamps instead.
_CURRENT_STATE = (
    ("requests", "byStatus"),
    ("requests", "fulfilled"),
    ("offerings", "accepted"),
    ("offerings", "completed"),
    ("events", "held"),
    ("events", "attendances"),
    ("events", "registrations"),
    ("users", "activeUsers"),
    ("users", "deactivatedUsers"),
    ("users", "suspendedUsers"),
    ("reports", "bySeverity"),
    ("reports", "autoHidden"),
    ("reports", "resolved"),
    ("reports", "dismissed"),
    ("geography",),
)


def day_bounds(day: str, time_zone: str) -> tuple[dt.datetime, dt.datetime]:
    """The start (inclusive) and end (exclusive) of an analytics day in its time zone."""
    date = parse_day_id(day)
    start = dt.datetime.combine(date, dt.time(), tzinfo=zone(time_zone))
    end = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), tzinfo=zone(time_zone))
    return start, end


def _creation(deltas: CounterDeltas, keep_geography: bool) -> CounterDeltas:
    kept = {
        key: n
        for key, n in deltas.increments.items()
        if not any(key[: len(prefix)] == prefix for prefix in _CURRENT_STATE)
        or (keep_geography and key[0] == "geography" and key[-1] in ("requests", "offerings"))
    }
    return CounterDeltas(kept)


class _Reader:
    """Range queries over one day, counting their reads."""

    def __init__(self, client: firestore.Client, start: dt.datetime, end: dt.datetime) -> None:
        self.client, self.start, self.end = client, start, end

    def _query(self, source: str, field: str) -> Any:
        name = backfill_query_name(source, field)
        return query_for(self.client, name, start=self.start, end=self.end)

    def documents(
        self, model: type[ModelT], source: Any, field: str
    ) -> Iterator[tuple[str, ModelT]]:
        snapshots = list(self._query(source, field).stream())
        record_cost(CostSample(_HANDLER, max(1, len(snapshots)), 0))
        for snapshot in snapshots:
            path = snapshot.reference.path
            decoded = decode(model, snapshot.to_dict(), path=path, handler=_HANDLER, event_id=path)
            if decoded is not None:
                yield path, decoded

    def count(self, source: Any, field: str) -> int:
        result = self._query(source, field).count().get()
        total = int(result[0][0].value)
        record_cost(CostSample(_HANDLER, max(1, -(-total // 1000)), 0))
        return total

    def collection(self, collection: Collection) -> str:
        return collection.value

    def group(self, collection_id: str) -> str:
        return collection_id


def _created(reader: _Reader, precision: int) -> Iterable[CounterDeltas]:
    sources: tuple[tuple[type[Tracked], Collection], ...] = (
        (User, Collection.USERS),
        (HelpRequest, Collection.REQUESTS),
        (Offering, Collection.OFFERINGS),
        (CommunityEvent, Collection.COMMUNITY_EVENTS),
        (Conversation, Collection.CONVERSATIONS),
        (Report, Collection.REPORTS),
    )
    for model, collection in sources:
        for _, document in reader.documents(model, reader.collection(collection), "createdAt"):
            deltas = counter_deltas(None, document, geohash_precision=precision)
            yield _creation(deltas, keep_geography=True)
            if isinstance(document, HelpRequest):
                yield CounterDeltas({("requests", "byStatus", RequestStatus.OPEN.value): 1})
    for _ in reader.documents(Registration, reader.group("registrations"), "createdAt"):
        yield CounterDeltas({("events", "registrations"): 1})
    sent = reader.count(reader.collection(Collection.MESSAGES), "createdAt")
    yield CounterDeltas({("messages", "sent"): sent})


def _transitions(reader: _Reader, precision: int) -> Iterable[CounterDeltas]:
    requests = reader.collection(Collection.REQUESTS)
    for _, request in reader.documents(HelpRequest, requests, "completion.completedAt"):
        yield CounterDeltas({("requests", "byStatus", request.status.value): 1})
        if request.status is RequestStatus.FULFILLED:
            yield CounterDeltas({("requests", "fulfilled"): 1})
    offerings = reader.collection(Collection.OFFERINGS)
    for _, offering in reader.documents(Offering, offerings, "respondedAt"):
        if offering.status in (OfferingStatus.ACCEPTED, OfferingStatus.COMPLETED):
            yield CounterDeltas({("offerings", "accepted"): 1})
    for _ in reader.documents(Offering, offerings, "completedAt"):
        yield CounterDeltas({("offerings", "completed"): 1})
    events = reader.collection(Collection.COMMUNITY_EVENTS)
    for _, event in reader.documents(CommunityEvent, events, "endsAt"):
        if event.status is EventStatus.COMPLETED:
            held: dict[tuple[str, ...], int] = {("events", "held"): 1}
            if event.location is not None:
                held[("geography", event.location.geohash[:precision], "events")] = 1
            yield CounterDeltas(held)
    registrations = reader.group("registrations")
    for _ in reader.documents(Registration, registrations, "checkedInAt"):
        yield CounterDeltas({("events", "attendances"): 1})
    for _, registration in reader.documents(Registration, registrations, "updatedAt"):
        if registration.status is RegistrationStatus.CANCELLED:
            yield CounterDeltas({("events", "cancellations"): 1})
    reports = reader.collection(Collection.REPORTS)
    for _, report in reader.documents(Report, reports, "triage.classifiedAt"):
        yield from _classified(report.severity, report.triage)
    for _, case in reader.documents(ReportCase, reader.group("private"), "triage.classifiedAt"):
        yield from _classified(case.triage.severity if case.triage else None, case.triage)
    for _, report in reader.documents(Report, reports, "outcome.decidedAt"):
        closed = "dismissed" if report.status is ReportStatus.DISMISSED else "resolved"
        yield CounterDeltas({("reports", closed): 1})


def _classified(
    severity: ReportSeverity | None, triage: ReportTriage | None
) -> Iterable[CounterDeltas]:
    """A report's classification: its severity and whether it hid its content."""
    if severity is not None:
        yield CounterDeltas({("reports", "bySeverity", severity.value): 1})
    if triage is not None and triage.auto_hidden:
        yield CounterDeltas({("reports", "autoHidden"): 1})


def _points(reader: _Reader, precision: int) -> Iterable[CounterDeltas]:
    active: set[str] = set()
    ledger = reader.group("hopeLedger")
    for path, entry in reader.documents(HopeLedgerEntry, ledger, "createdAt"):
        yield counter_deltas(None, entry, geohash_precision=precision)
        if entry.amount > 0:
            active.add(path.split("/")[1])
    if not active:
        return
    yield CounterDeltas({("users", "activeUsers"): len(active)})
    references = [reader.client.document(f"{Collection.USERS.value}/{uid}") for uid in active]
    snapshots = list(reader.client.get_all(references))
    record_cost(CostSample(_HANDLER, len(references), 0))
    for snapshot in snapshots:
        path = snapshot.reference.path
        data = snapshot.to_dict() if snapshot.exists else None
        user = decode(User, data, path=path, handler=_HANDLER, event_id=path)
        area = user.profile.home_area if user is not None else None
        if area is not None:
            yield CounterDeltas({("geography", area.geohash[:precision], "activeUsers"): 1})


def backfill_day(deps: Deps, day: str, *, force: bool = False) -> AnalyticsDay | None:
    """Write `analytics/{day}` from the source collections; None (nothing written) when the
    day already has a document and `force` is not set."""
    client = deps.client
    settings = deps.settings.analytics(client)
    path = f"{Collection.ANALYTICS.value}/{day}"
    if not force and client.document(path).get().exists:
        return None
    start, end = day_bounds(day, settings.time_zone)
    reader = _Reader(client, start, end)
    precision = settings.geohash_precision
    total = CounterDeltas()
    for part in (_created, _transitions, _points):
        for deltas in part(reader, precision):
            total = total + deltas
    data = apply_deltas({}, total)
    document = AnalyticsDay.model_validate(
        {
            **data,
            "day": day,
            "geohashPrecision": precision,
            "timeZone": settings.time_zone,
            "source": AnalyticsSource.BACKFILL,
            "shardsMerged": 0,
            "computedAt": max(deps.now(), end),
        }
    )
    run_batch(client, _HANDLER, lambda unit: unit.set(path, document))
    return document
