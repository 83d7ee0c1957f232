"""The demo dataset is valid, closed over its references, covers every actor and shape, and is
deterministic."""

from __future__ import annotations

import datetime as dt
import re
import types
from collections.abc import Iterator, Mapping
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from google.cloud import firestore
from google.cloud.firestore_v1 import DocumentReference
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from mitche.errors import InvalidArgumentError
from mitche.models import (
    CommunityEvent,
    Conversation,
    ConversationType,
    EventStatus,
    HelpRequest,
    MitcheModel,
    Offering,
    OfferingType,
    ReportStatus,
    RequestStatus,
    Resource,
    ResourceStatus,
    TapestryThread,
    ThreadStatus,
    Uid,
    UrgencyLevel,
)
from mitche.models.common import ApprovalState
from mitche.models.names import Collection
from mitche.models.system_settings import SETTINGS_MODELS
from mitche.services import settings_path
from mitche.services.codec import from_document, to_document
from mitche_dev.devstack import (
    Actor,
    DemoDocument,
    demo_accounts,
    demo_documents,
    demo_identities,
    model_for_path,
    path_templates,
)

ACTORS = {actor.value for actor in Actor}
_UID_MARKERS = get_args(Uid)[1:]
"""Metadata objects only `Uid` carries (compared by identity)."""


def _is_uid(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *metadata = get_args(annotation)
        return any(m is marker for m in metadata for marker in _UID_MARKERS) or _is_uid(inner)
    if origin is Union or origin is types.UnionType:
        return any(_is_uid(arm) for arm in get_args(annotation))
    return False


def _container_args(annotation: Any, container: type) -> tuple[Any, ...]:
    origin = get_origin(annotation)
    if origin is Annotated:
        return _container_args(get_args(annotation)[0], container)
    if origin is Union or origin is types.UnionType:
        for arm in get_args(annotation):
            if args := _container_args(arm, container):
                return args
        return ()
    return get_args(annotation) if origin is container else ()


def _uids(annotation: Any, value: Any) -> Iterator[str]:
    """Every value held in a `Uid`-typed position (fields, list items, dict keys and values)."""
    if value is None:
        return
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            full = (
                Annotated[(field.annotation, *field.metadata)]
                if field.metadata
                else field.annotation
            )
            yield from _uids(full, getattr(value, name))
    elif isinstance(value, str):
        if _is_uid(annotation):
            yield value
    elif isinstance(value, list):
        (item,) = _container_args(annotation, list) or (Any,)
        for element in value:
            yield from _uids(item, element)
    elif isinstance(value, Mapping):
        key, item = _container_args(annotation, dict) or (Any, Any)
        for name, element in value.items():
            yield from _uids(key, name)
            yield from _uids(item, element)


def _references(data: Any) -> Iterator[str]:
    """Paths of every DocumentReference in encoded document data."""
    if isinstance(data, DocumentReference):
        yield data.path
    elif isinstance(data, Mapping):
        for item in data.values():
            yield from _references(item)
    elif isinstance(data, list):
        for item in data:
            yield from _references(item)


def _of(by_path: Mapping[str, MitcheModel], model: type[MitcheModel]) -> list[Any]:
    return [document for document in by_path.values() if type(document) is model]


def test_every_document_is_the_model_its_path_declares(demo: list[DemoDocument]) -> None:
    """Each document is an instance of exactly the model the registry declares for its path."""
    wrong = [(p, type(m).__name__) for p, m in demo if type(m) is not model_for_path(p)]
    assert wrong == []


def test_every_document_revalidates_from_its_wire_form(demo: list[DemoDocument]) -> None:
    """Dumped to its camelCase document and validated again with the declared model, every
    document comes back equal (nothing was built around validation)."""
    for path, model in demo:
        again = model_for_path(path).model_validate(model.to_firestore())
        assert again == model, path


def test_every_document_round_trips_through_the_codec(
    demo: list[DemoDocument], client: firestore.Client
) -> None:
    """Encoded as the seed writes it and decoded as the functions read it, every document is
    unchanged."""
    for path, model in demo:
        decoded = from_document(model_for_path(path), to_document(model, client))
        assert decoded == model, path


def test_every_reference_points_at_a_demo_document(
    demo: list[DemoDocument], by_path: Mapping[str, MitcheModel], client: firestore.Client
) -> None:
    """Every DocumentReference the seed writes names a document the seed also writes."""
    references = {
        (path, target) for path, model in demo for target in _references(to_document(model, client))
    }
    assert references, "the demo has references"
    assert sorted((p, t) for p, t in references if t not in by_path) == []


def test_every_document_id_field_points_at_a_demo_document(
    by_path: Mapping[str, MitcheModel],
) -> None:
    """Ids held as plain ids (conversations, messages, replies) name demo documents."""
    targets: list[str] = []
    for offering in _of(by_path, Offering):
        if offering.conversation_id is not None:
            targets.append(f"conversations/{offering.conversation_id}")
    for path, document in by_path.items():
        if path.startswith("messages/"):
            targets.append(f"conversations/{document.conversation_id}")
            if document.reply_to is not None:
                targets.append(f"messages/{document.reply_to}")
    for conversation in _of(by_path, Conversation):
        targets.append(f"messages/{conversation.last_message.message_id}")
    assert targets
    assert [target for target in targets if target not in by_path] == []


def test_every_uid_mentioned_is_a_demo_member(demo: list[DemoDocument]) -> None:
    """Every value in a user-id position (authors, participants, map keys) is one of the
    actors, so every such id has a user document and an account."""
    mentioned = {uid for _, model in demo for uid in _uids(type(model), model)}
    assert mentioned - ACTORS == set()


def test_every_actor_has_an_account_a_user_and_an_identity(
    by_path: Mapping[str, MitcheModel],
) -> None:
    """Each actor has an Auth account, `users/{uid}` and an identity to give the backend (which
    seals it: the demo never writes `private/identity` itself), and there are no other
    members."""
    assert [account.uid for account in demo_accounts()] == [actor.value for actor in Actor]
    users = {path.split("/")[1] for path in by_path if re.fullmatch(r"users/[^/]+", path)}
    assert users == ACTORS
    assert {uid for uid, given, _ in demo_identities() if given.legal_name} == ACTORS
    assert not [path for path in by_path if path.endswith(("/private/identity", "/dataKey"))]


def test_every_actor_takes_part_beyond_their_own_documents(demo: list[DemoDocument]) -> None:
    """Each actor is named in some document outside `users/{uid}/...`, so every actor has
    content of their own or about them for the rules to allow and refuse."""
    for actor in Actor:
        elsewhere = [
            path
            for path, model in demo
            if not path.startswith(f"users/{actor.value}")
            and actor.value in set(_uids(type(model), model))
        ]
        assert elsewhere, actor


def test_every_request_has_its_exact_location(by_path: Mapping[str, MitcheModel]) -> None:
    """Each request has `private/location`, and each event `private/access`."""
    requests = [p for p in by_path if re.fullmatch(r"requests/[^/]+", p)]
    events = [p for p in by_path if re.fullmatch(r"communityEvents/[^/]+", p)]
    assert requests
    assert events
    assert [p for p in requests if f"{p}/private/location" not in by_path] == []
    assert [p for p in events if f"{p}/private/access" not in by_path] == []


def test_every_collection_but_the_achievements_has_documents(
    by_path: Mapping[str, MitcheModel],
) -> None:
    """Every top-level collection has demo documents, except the achievement catalog and
    progress (seeded by the achievements work, not the demo)."""
    present = {path.split("/")[0] for path in by_path}
    assert {c.value for c in Collection} - present == {"achievements", "userAchievements"}


def test_every_fixed_document_exists(by_path: Mapping[str, MitcheModel]) -> None:
    """Every document the registry declares at a fixed path is in the demo or is a settings
    document `init-settings` creates (the seed runs it before writing the demo)."""
    fixed = [t.template for t in path_templates() if "{" not in t.template]
    created = {settings_path(document) for document in SETTINGS_MODELS}
    assert fixed
    assert [t for t in fixed if t not in by_path and t not in created] == []


def test_the_demo_writes_only_the_settings_its_admin_changed(
    by_path: Mapping[str, MitcheModel],
) -> None:
    """The settings documents come from `init-settings`; the demo overwrites only the
    moderators' roster (Ada named Mod), which the setup commands cannot know."""
    written = sorted(path for path in by_path if re.fullmatch(r"systemSettings/[^/]+", path))
    assert written == ["systemSettings/moderators"]


NESTED_SHAPES = (
    "users/{userId}/hopeLedger/{entryId}",
    "users/{userId}/revealConsents/{counterpartId}",
    "users/{userId}/revealGrants/{counterpartId}",
    "requests/{requestId}/private/location",
    "communityEvents/{eventId}/private/access",
    "communityEvents/{eventId}/registrations/{userId}",
    "resources/{resourceId}/reviews/{userId}",
    "tapestryThreads/{threadId}/private/nomination",
    "tapestryThreads/{threadId}/hearts/{userId}",
    "reports/{reportId}/actions/{actionId}",
    "analytics/{day}/shards/{shardId}",
)
"""Nested documents that have their own readers in the rules."""


@pytest.mark.parametrize("template", NESTED_SHAPES)
def test_nested_shape_has_documents(template: str, by_path: Mapping[str, MitcheModel]) -> None:
    """Each nested document shape the registry declares with its own readers has at least one
    demo document."""
    (declared,) = [t for t in path_templates() if t.template == template]
    assert [path for path in by_path if declared.matches(path)]


def _values(by_path: Mapping[str, MitcheModel], model: type[MitcheModel], attr: str) -> set[Any]:
    return {getattr(document, attr) for document in _of(by_path, model)}


@pytest.mark.parametrize(
    ("model", "attr", "expected"),
    [
        (HelpRequest, "status", set(RequestStatus)),
        (HelpRequest, "urgency", set(UrgencyLevel)),
        (Offering, "offering_type", set(OfferingType)),
        (
            CommunityEvent,
            "status",
            {EventStatus.DRAFT, EventStatus.SCHEDULED, EventStatus.COMPLETED},
        ),
        (Resource, "status", {ResourceStatus.ACTIVE, ResourceStatus.DRAFT}),
        (TapestryThread, "status", set(ThreadStatus)),
        (Conversation, "conversation_type", {ConversationType.DM, ConversationType.REQUEST}),
    ],
)
def test_states_are_covered(
    by_path: Mapping[str, MitcheModel], model: type[MitcheModel], attr: str, expected: set[Any]
) -> None:
    """The demo shows each state the rules and the apps treat differently."""
    assert _values(by_path, model, attr) >= expected


def test_events_cover_each_approval_stage(by_path: Mapping[str, MitcheModel]) -> None:
    """There is a draft never submitted, an event awaiting approval and approved events."""
    states = {event.approval.state for event in _of(by_path, CommunityEvent)}
    assert states == {ApprovalState.NOT_SUBMITTED, ApprovalState.PENDING, ApprovalState.APPROVED}


def test_reports_cover_open_resolved_and_dismissed(by_path: Mapping[str, MitcheModel]) -> None:
    """Reports exist in the open, resolved and dismissed states."""
    statuses = {
        path: m.status for path, m in by_path.items() if re.fullmatch(r"reports/[^/]+", path)
    }
    assert set(statuses.values()) == {
        ReportStatus.OPEN,
        ReportStatus.RESOLVED,
        ReportStatus.DISMISSED,
    }


def test_two_calls_build_equal_datasets() -> None:
    """Calling twice with the same now gives the same paths, in the same order, with equal
    documents."""
    now = dt.datetime(2027, 3, 28, 1, 30, tzinfo=dt.UTC)
    assert demo_documents(now) == demo_documents(now)


def test_timestamps_follow_now() -> None:
    """Moving now by a week moves a document's timestamps by a week: nothing is pinned to a
    calendar date."""
    now = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC)
    week = dt.timedelta(days=7)
    before = dict(demo_documents(now))["requests/req-groceries-croix-rousse"]
    after = dict(demo_documents(now + week))["requests/req-groceries-croix-rousse"]
    assert isinstance(before, HelpRequest)
    assert isinstance(after, HelpRequest)
    assert after.created_at - before.created_at == week
    assert after.deadline is not None
    assert before.deadline is not None
    assert after.deadline - before.deadline == week


@settings(max_examples=40, deadline=None)
@given(
    now=st.datetimes(
        min_value=dt.datetime(2020, 1, 1),
        max_value=dt.datetime(2060, 12, 31),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-11))]),
    )
)
def test_any_now_builds_a_valid_dataset(now: dt.datetime) -> None:
    """For any aware now (year ends, DST changes, any offset) every model validator accepts
    the dataset and no path repeats."""
    documents = demo_documents(now)
    assert len({path for path, _ in documents}) == len(documents)


def test_naive_now_is_refused() -> None:
    """A now without a time zone raises InvalidArgumentError naming the value."""
    with pytest.raises(InvalidArgumentError, match="timezone-aware"):
        demo_documents(dt.datetime(2026, 11, 23, 10, 0))
