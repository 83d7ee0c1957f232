"""Screening new and edited content: one handler for every source's trigger.

When a request, offering, community event, resource, resource review, tapestry thread or
message is created, or its member-written text changes, one transaction reads the document as
it is now and its author's user and account documents, judges the text
(`mitche.domain.screening`), and writes the `moderation` map and a counter of the day's
analytics shard. Until then a new document has no `moderation` map, and the feeds (which
filter `moderation.status`) do not list it: it appears in them within seconds of its creation,
once approved or flagged; held content stays with its author, who reads the reason on the
document.

A document the functions cannot read (it does not match its model though the rules accepted
it) is held the same way, with the model's complaint as the reason the author reads, and
counted as `screening.unprocessable`: it is never silently dropped.

Idempotent without a marker: the write happens only when it changes the stored state, so a
redelivered event (or the update this handler's own write triggers) writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from google.cloud import firestore
from pydantic import ValidationError

from mitche.domain.analytics import analytics_day, choose_shard
from mitche.domain.screening import Verdict, next_moderation, screen, standing_of, unprocessable
from mitche.handler_names import HandlerName
from mitche.handlers._analytics import shard_path
from mitche.handlers._awards import user_path
from mitche.handlers._context import Deps, DocumentChange
from mitche.models import (
    CommunityEvent,
    HelpRequest,
    Message,
    MitcheModel,
    Moderation,
    ModerationState,
    Offering,
    Resource,
    ResourceReview,
    TapestryThread,
    ThreadStatus,
)
from mitche.services import Unit, from_document, log_info, run_transaction, to_document

__all__ = ["SCREENED", "ScreenOutcome", "ScreenedSource", "screen_content", "source_of", "texts_of"]

HANDLER: Final = HandlerName.MODERATION_SCREEN


@dataclass(frozen=True, slots=True)
class ScreenedSource:
    """A kind of content the screen judges: its model, author field and text fields."""

    model: type[MitcheModel]
    author_field: str
    text_fields: tuple[str, ...]
    initial: Mapping[str, str] = field(default_factory=dict)
    """Server-owned fields a queue filters on, stored at their model default by the first
    screening when absent (clients cannot write them, and a query never matches a missing
    field): a new story waits in the moderators' queue as `pending`."""


SCREENED: Final[Mapping[str, ScreenedSource]] = {
    "requests": ScreenedSource(HelpRequest, "requesterId", ("title", "description")),
    "offerings": ScreenedSource(Offering, "helperId", ("title", "description")),
    "communityEvents": ScreenedSource(CommunityEvent, "organizerId", ("title", "description")),
    "resources": ScreenedSource(Resource, "submittedBy", ("name", "description")),
    "reviews": ScreenedSource(ResourceReview, "authorId", ("comment",)),
    "tapestryThreads": ScreenedSource(
        TapestryThread,
        "nominatorId",
        ("title", "story"),
        initial={"status": ThreadStatus.PENDING.value},
    ),
    "messages": ScreenedSource(Message, "senderId", ("text",)),
}
"""Screened content by collection id (the last collection of the document's path)."""

_COUNTER: Final = {
    ModerationState.APPROVED: "approved",
    ModerationState.FLAGGED: "flagged",
    ModerationState.HIDDEN: "held",
}


def source_of(path: str) -> ScreenedSource:
    """The screened source a document path belongs to."""
    return SCREENED[path.split("/")[-2]]


def texts_of(source: ScreenedSource, data: Mapping[str, Any] | None) -> tuple[str | None, ...]:
    """The member-written text of a document, field by field."""
    if data is None:
        return ()
    return tuple(
        value if isinstance(value := data.get(name), str) else None for name in source.text_fields
    )


@dataclass(frozen=True, slots=True)
class ScreenOutcome:
    """What a screening run did."""

    moderation: Moderation | None = None
    """The map written; None when nothing changed."""
    unprocessable: bool = False
    """The document did not match its model and was held for it."""


def _current_moderation(data: Mapping[str, Any]) -> Moderation | None:
    raw = data.get("moderation")
    if not isinstance(raw, Mapping):
        return None
    try:
        return from_document(Moderation, raw)
    except ValidationError:
        return None


def _problem(error: ValidationError) -> str:
    first = error.errors(include_url=False, include_context=False, include_input=False)[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else str(first["msg"])


def screen_content(deps: Deps, change: DocumentChange) -> ScreenOutcome:
    """Screen the document of `change` if it is new or its text changed."""
    source = source_of(change.path)
    if change.after is None:
        return ScreenOutcome()
    if change.before is not None and texts_of(source, change.before) == texts_of(
        source, change.after
    ):
        return ScreenOutcome()
    settings = deps.settings.moderation(deps.client)
    analytics = deps.settings.analytics(deps.client)

    def work(unit: Unit) -> ScreenOutcome:
        data = unit.get(change.path)
        if data is None:
            return ScreenOutcome()
        author = data.get(source.author_field)
        user: Mapping[str, Any] | None = None
        account: Mapping[str, Any] | None = None
        if isinstance(author, str) and author:
            home = user_path(author)
            found = unit.get_all([home, f"{home}/private/account"])
            user, account = found[home], found[f"{home}/private/account"]
        verdict: Verdict
        broken = False
        try:
            from_document(source.model, data)
            standing = standing_of(user, account)
            verdict = screen(texts_of(source, data), standing, settings)
        except ValidationError as error:
            verdict, broken = unprocessable(_problem(error)), True
        updated = next_moderation(_current_moderation(data), verdict, change.at)
        if updated is None:
            return ScreenOutcome()
        missing = {key: value for key, value in source.initial.items() if key not in data}
        unit.update(change.path, {"moderation": to_document(updated, unit.client), **missing})
        counter = "unprocessable" if broken else _COUNTER.get(updated.status)
        if counter is not None:
            day = analytics_day(change.at, analytics)
            shard = choose_shard(change.event_id, analytics.shard_count)
            unit.set(
                shard_path(day, shard),
                {
                    "day": day,
                    "shard": shard,
                    "geohashPrecision": analytics.geohash_precision,
                    "updatedAt": change.at,
                    "screening": {counter: firestore.Increment(1)},
                },
                merge=True,
            )
        return ScreenOutcome(updated, broken)

    outcome = run_transaction(deps.client, HANDLER, work)
    if outcome.moderation is not None:
        log_info(
            "content screened",
            handler=HANDLER,
            eventId=change.event_id,
            path=change.path,
            status=outcome.moderation.status.value,
            unprocessable=outcome.unprocessable,
        )
    return outcome
