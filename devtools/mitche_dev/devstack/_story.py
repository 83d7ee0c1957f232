"""The demo's story as acts, in the order the community lived it (see `_acts`).

`demo_documents` says where the story ends; this module says how it got there: the members
join and an operator and an admin name the admin and the moderator; members post requests,
offers, events, listings, stories, messages and reports as their apps would (only the fields
a client may write, and every request and offering in the state a client creates it in); then
requesters accept and confirm, organisers run their events, the moderator decides through the
callables, the expiry schedule runs and the operator backfills the past days' analytics. The
functions produce everything else while the seed waits after each act.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any, Final

from google.cloud.firestore_v1 import SERVER_TIMESTAMP, Client

from mitche.models import (
    CommunityEvent,
    Consents,
    Conversation,
    EventStatus,
    HelpRequest,
    Message,
    Offering,
    OfferingStatus,
    ProviderApplication,
    Registration,
    Report,
    ReportCase,
    RequestStatus,
    Resource,
    RevealConsent,
    TapestryThread,
    ThreadHeart,
    ThreadStatus,
)
from mitche.models._base import MitcheModel
from mitche.models.alias_claims import AliasClaim
from mitche.models.common import ApprovalState, VerificationState
from mitche.models.names import Collection
from mitche.models.reports import ReportStatus
from mitche.models.system_settings import DEFAULT_LEVEL_BENEFITS
from mitche.models.users import AccountStatus, Block, PrivateAccount, Role
from mitche.services.codec import to_document
from mitche_dev.devstack import _ids as ids
from mitche_dev.devstack._actors import Actor
from mitche_dev.devstack._acts import Act, Call, Operator, Schedule, Write, client_fields
from mitche_dev.devstack._timeline import Timeline
from mitche_dev.devstack._world import Clock
from mitche_dev.devstack.demo import demo_documents

__all__ = ["SERVER_DOCUMENTS", "demo_acts"]

_CONSENTED_SETTINGS: Final = ("leaderboardOptIn", "analyticsOptIn")
"""`privacy` keys the consents trigger writes from the member's answers (the rules keep a
member's own writes from changing them)."""

SERVER_DOCUMENTS: Final = (
    "users/{userId}/hopeLedger/{entryId}",
    "users/{userId}/revealGrants/{counterpartId}",
    "users/{userId}/notifications/{notificationId}",
    "users/{userId}/notificationInbox/{summaryId}",
    "reports/{reportId}/actions/{actionId}",
    "reports/{reportId}/private/{docId}",
    "analytics/{day}",
    "analytics/{day}/shards/{shardId}",
    "systemSettings/moderators",
)
"""Documents of the story only functions and callables write (the ledger, reveal grants,
notifications, report logs and cases, analytics, the moderators' roster): the seed never writes
them."""

_FIRST_LEVEL_OPEN_REQUESTS: Final = DEFAULT_LEVEL_BENEFITS[0].max_open_requests
"""Open requests a new member may have at once: the demo posts the ones past it later."""
_ADMIN_CLAIMS: Final = {"role": Role.ADMIN.value, "accountStatus": "active", "email_verified": True}
_ANALYTICS_DAYS: Final = (3, 2, 1)
"""Past days whose analytics the operator backfills (the demo happened before its functions'
counters were there to count it)."""
_MODERATOR_CLAIMS: Final = {
    "role": Role.MODERATOR.value,
    "accountStatus": AccountStatus.ACTIVE.value,
    "email_verified": True,
}


def _is(path: str, collection: Collection, *rest: str) -> bool:
    parts = path.split("/")
    if parts[0] != collection.value:
        return False
    if not rest:
        return len(parts) == 2
    return len(parts) == 2 + len(rest) and all(
        want == "*" or want == got for want, got in zip(rest, parts[2:], strict=True)
    )


def _matches(path: str, template: str) -> bool:
    parts, wanted = path.split("/"), template.split("/")
    return len(parts) == len(wanted) and all(
        w.startswith("{") or w == p for w, p in zip(wanted, parts, strict=True)
    )


def _server_document(path: str) -> bool:
    return any(_matches(path, template) for template in SERVER_DOCUMENTS)


def _picked(model: MitcheModel, client: Client, *keys: str) -> dict[str, Any]:
    """Some wire keys of the model's encoded document (an update a member's app sends)."""
    document = to_document(model, client)
    return {key: document[key] for key in keys if key in document}


def _verified(resource: Resource) -> bool:
    verification = resource.provider_verification
    return verification is not None and verification.status is VerificationState.VERIFIED


class _Story:
    """Builds the acts from the documents the story ends with."""

    def __init__(self, now: dt.datetime, client: Client) -> None:
        self.t = Timeline(Clock(now))
        self.client = client
        self.documents = demo_documents(now)
        self.by_path: dict[str, MitcheModel] = dict(self.documents)
        self.late: list[tuple[str, MitcheModel]] = []

    def write(self, path: str, model: MitcheModel, **changes: Any) -> Write:
        """The member's creation of `model` at `path`, with `changes` (wire keys) applied; a
        change to None leaves the key out (what the app does not send yet)."""
        data = client_fields(model, self.client) | changes
        dropped = {key for key, value in changes.items() if value is None}
        return Write(path, {key: value for key, value in data.items() if key not in dropped})

    def update(self, path: str, model: MitcheModel, *keys: str) -> Write:
        return Write(path, _picked(model, self.client, *keys), merge=True)

    # --- phase A: members join, roles are given ------------------------------------------
    def joining(self) -> Iterator[Act]:
        for path, model in self.documents:
            if _is(path, Collection.USERS):
                yield self._profile(path, model)
            elif isinstance(model, AliasClaim | Consents) or _is(
                path, Collection.USERS, "devices", "*"
            ):
                yield self.write(path, model)
        for path, model in self.documents:
            if isinstance(model, PrivateAccount):
                yield Write(path, self._stamps(path.split("/")[1]), merge=True)
        yield Operator("grant-role", {"uid": Actor.ADA.value, "role": Role.ADMIN.value})
        yield Call(
            "set_member_role",
            Actor.ADA.value,
            _ADMIN_CLAIMS,
            {"uid": Actor.MOD.value, "role": Role.MODERATOR.value},
            self.t.joined(2),
        )

    def _profile(self, path: str, model: MitcheModel) -> Write:
        """The member's profile as their app creates it: the settings their consents govern
        (leaderboards, analytics) are left to the consents trigger."""
        profile = self.write(path, model)
        privacy = dict(profile.data.get("privacy") or {})
        for governed in _CONSENTED_SETTINGS:
            privacy.pop(governed, None)
        return Write(path, {**profile.data, "privacy": privacy})

    def _stamps(self, uid: str) -> dict[str, Any]:
        """The rate-limit stamps the member's latest creations left on their account (each
        creating batch moves the stamp to its document)."""
        kinds = (
            ("lastRequest", HelpRequest, "requester_id"),
            ("lastOffering", Offering, "helper_id"),
            ("lastMessage", Message, "sender_id"),
            ("lastReport", Report, "reporter_id"),
        )
        stamps: dict[str, Any] = {}
        for stamp, model, author in kinds:
            mine = [
                (document.created_at, path)
                for path, document in self.documents
                if isinstance(document, model) and getattr(document, author) == uid
            ]
            if mine:
                at, latest = max(mine)
                stamps[stamp] = {"at": at, "path": latest}
        return stamps

    # --- phase B: what members post ------------------------------------------------------
    def posting(self) -> Iterator[Act]:
        asked = Counter(
            model.requester_id for _, model in self.documents if isinstance(model, HelpRequest)
        )
        for path, model in self.documents:
            if (
                isinstance(model, HelpRequest)
                and model.status is RequestStatus.OPEN
                and asked[model.requester_id] > _FIRST_LEVEL_OPEN_REQUESTS
            ):
                self.late.append((path, model))
                continue
            if _server_document(path) or _is(path, Collection.USERS):
                continue
            if path.startswith(f"{Collection.USERS.value}/"):
                if isinstance(model, RevealConsent) and model.counterpart_id != Actor.CAROL:
                    continue  # Alice's and Bob's consents follow their conversation
                if isinstance(model, RevealConsent):
                    yield self.write(path, model)
                continue
            if isinstance(model, AliasClaim):
                continue
            yield from self._posted(path, model)

    def _posted(self, path: str, model: MitcheModel) -> Iterator[Act]:
        if isinstance(model, HelpRequest):
            yield self.write(path, model, status=RequestStatus.OPEN.value, completion=None)
        elif isinstance(model, Offering):
            yield self.write(
                path,
                model,
                status=OfferingStatus.OFFERED.value,
                respondedAt=None,
                completedAt=None,
                requesterFeedback=None,
                helperFeedback=None,
            )
        elif isinstance(model, CommunityEvent):
            if model.status is EventStatus.COMPLETED:
                yield self.write(path, model, status=EventStatus.SCHEDULED.value, impact=None)
            else:
                yield self.write(path, model)
        elif isinstance(model, Registration | ThreadHeart):
            return  # after the event's approval, the story's weaving
        elif isinstance(model, Conversation) and path.endswith(ids.CONV_ALICE_BOB_GROCERIES):
            return  # opened by the acceptance of Bob's offer
        elif isinstance(model, Message) and model.conversation_id == ids.CONV_ALICE_BOB_GROCERIES:
            return
        elif isinstance(model, Resource):
            yield self.write(path, model)
            if _verified(model):
                yield self.write(f"{path}/private/providerApplication", self._application(model))
        else:
            yield self.write(path, model)

    def _application(self, resource: Resource) -> ProviderApplication:
        return ProviderApplication(
            applicant_id=resource.submitted_by,
            role_in_organization="Coordinator of the grocery",
            evidence="Association registered at the prefecture; ask for the coordinator.",
            applied_at=resource.created_at,
            updated_at=resource.created_at,
        )

    # --- phase C: what follows -----------------------------------------------------------
    def following(self) -> Iterator[Act]:
        t = self.t
        yield from self._events()
        yield from self._exchange(ids.OFF_BOB_WARDROBE)
        yield from self._exchange(ids.OFF_BOB_GROCERIES)
        yield from self._groceries_conversation()
        yield from self._closed_requests()
        yield from self._late_requests()
        yield from self._provider()
        yield from self._stories()
        yield from self._reports()
        yield from self._blocks()
        yield Schedule("expire_overdue_requests", t.now)
        for days_ago in _ANALYTICS_DAYS:
            day = t.clock.day(days_ago).isoformat()
            yield Operator("backfill-analytics", {"day": day}, t.now)

    def _events(self) -> Iterator[Act]:
        for path, model in self.documents:
            if not isinstance(model, CommunityEvent) or model.approval is None:
                continue
            if model.approval.state is not ApprovalState.APPROVED:
                continue
            decided = model.approval.decided_at or model.created_at
            yield Call(
                "decide_event",
                Actor.MOD.value,
                _MODERATOR_CLAIMS,
                {"eventId": path.split("/")[1], "decision": "approve", "note": model.approval.note},
                decided,
            )
            for sub, registration in self.documents:
                if sub.startswith(f"{path}/registrations/"):
                    yield self.write(sub, registration)
            if model.status is EventStatus.COMPLETED:
                yield self.update(path, model, "status", "impact", "updatedAt")

    def _exchange(self, offering_id: str) -> Iterator[Act]:
        """The requester accepts the offering; for a completed one, the requester confirms the
        request fulfilled and both leave feedback on the offering."""
        path = f"{Collection.OFFERINGS.value}/{offering_id}"
        offering = self.by_path[path]
        assert isinstance(offering, Offering)
        accepted = {
            "status": OfferingStatus.ACCEPTED.value,
            "respondedAt": offering.responded_at,
            "updatedAt": offering.responded_at,
        }
        yield Write(path, accepted, merge=True)
        if offering.status is not OfferingStatus.COMPLETED:
            return
        assert offering.request_path is not None
        request = self.by_path[offering.request_path]
        yield self.update(offering.request_path, request, "status", "completion", "updatedAt")
        yield self.update(
            path,
            offering,
            "status",
            "completedAt",
            "requesterFeedback",
            "helperFeedback",
            "updatedAt",
        )

    def _groceries_conversation(self) -> Iterator[Act]:
        conversation_path = f"{Collection.CONVERSATIONS.value}/{ids.CONV_ALICE_BOB_GROCERIES}"
        for path, model in self.documents:
            if isinstance(model, Message) and model.conversation_id == ids.CONV_ALICE_BOB_GROCERIES:
                yield self.write(path, model)
        conversation = self.by_path[conversation_path]
        receipts = self.update(conversation_path, conversation, "participantState")
        # The acceptance's trigger opened the conversation at the seeding time: the receipts
        # are stamped as an app stamps them (request.time), never before that.
        yield Write(conversation_path, {**receipts.data, "updatedAt": SERVER_TIMESTAMP}, merge=True)
        for path, model in self.documents:
            if isinstance(model, RevealConsent) and model.counterpart_id != Actor.CAROL:
                yield self.write(path, model)

    def _late_requests(self) -> Iterator[Act]:
        """The requests still open at the story's end of a member who asked more often than a
        first-level member may have requests open at once: posted once their earlier ones
        were fulfilled or closed (the open-request limit would close them otherwise)."""
        for path, model in self.late:
            yield from self._posted(path, model)

    def _closed_requests(self) -> Iterator[Act]:
        for path, model in self.documents:
            if isinstance(model, HelpRequest) and model.status is RequestStatus.CLOSED:
                yield self.update(path, model, "status", "completion", "updatedAt")

    def _provider(self) -> Iterator[Act]:
        for path, model in self.documents:
            if isinstance(model, Resource) and _verified(model):
                verification = model.provider_verification
                assert verification is not None
                yield Call(
                    "decide_provider",
                    Actor.MOD.value,
                    _MODERATOR_CLAIMS,
                    {
                        "resourceId": path.split("/")[1],
                        "verdict": "verify",
                        "note": verification.note,
                    },
                    verification.verified_at or model.updated_at,
                )

    def _stories(self) -> Iterator[Act]:
        for path, model in self.documents:
            if not isinstance(model, TapestryThread) or model.review is None:
                continue
            review = model.review
            approved = model.status is ThreadStatus.APPROVED
            data: dict[str, Any] = {
                "threadId": path.split("/")[1],
                "verdict": "approve" if approved else "reject",
                "note": review.note,
            }
            if review.reason is not None:
                data["reason"] = review.reason.value
            yield Call("decide_story", Actor.MOD.value, _MODERATOR_CLAIMS, data, review.reviewed_at)
            for sub, heart in self.documents:
                if sub.startswith(f"{path}/hearts/"):
                    yield self.write(sub, heart)

    def _blocks(self) -> Iterator[Act]:
        """Members' blocks, after the reports that led to them."""
        for path, model in self.documents:
            if isinstance(model, Block):
                yield self.write(path, model)

    def _reports(self) -> Iterator[Act]:
        """The moderator's decisions: each decided case, through `resolve_report`."""
        for path, model in self.documents:
            if not isinstance(model, ReportCase) or model.resolution is None:
                continue
            if model.status not in (ReportStatus.RESOLVED, ReportStatus.DISMISSED):
                continue
            resolution = model.resolution
            data: dict[str, Any] = {
                "reportId": path.split("/")[1],
                "action": resolution.action.value,
                "note": resolution.note,
            }
            if resolution.suspension is not None and resolution.suspension.ends_at is not None:
                length = resolution.suspension.ends_at - resolution.suspension.starts_at
                data["suspensionDays"] = max(1, round(length / dt.timedelta(days=1)))
            yield Call(
                "resolve_report", Actor.MOD.value, _MODERATOR_CLAIMS, data, resolution.resolved_at
            )

    def acts(self) -> list[Act]:
        return [*self.joining(), *self.posting(), *self.following()]


def demo_acts(now: dt.datetime, client: Client) -> list[Act]:
    """Every act of the demo's story, in order (writes encoded for `client`)."""
    return _Story(now, client).acts()
