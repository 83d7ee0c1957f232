"""What each row of the access matrix does: one client operation on one document (or query),
performed by whichever actor the column names, through a real google-cloud-firestore client.

A scenario is registered under the key the matrix file uses; `run` performs the operation
with the actor's client and raises `PermissionDenied` when the rules refuse it. `prepare`, when
given, brings the world into the state the operation needs for this actor (with rules
bypassed), e.g. removes the actor's existing registration before they register again.
Documents written by actors are built from the models, with times the rules require to be
`request.time` sent as server timestamps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Literal

from google.cloud.firestore import (
    DELETE_FIELD,
    SERVER_TIMESTAMP,
    Client,
    FieldFilter,
    Increment,
)

from mitche.domain.aliases import alias_claim_path
from mitche.models import (
    Attachment,
    EventAccess,
    HelpfulVote,
    MessageType,
    MitcheModel,
    OfferingStatus,
    ProviderApplication,
    Registration,
    RegistrationStatus,
    RequestLocation,
    ResourceReview,
    ResourceStatus,
    RevealConsent,
    ThreadHeart,
    ThreadNomination,
    Visibility,
    written_by,
)
from mitche.services.codec import to_document

from .world import (
    analytics_day,
    make_attachment,
    make_conversation,
    make_event,
    make_exact,
    make_message,
    make_notification,
    make_offering,
    make_report,
    make_request,
    make_resource,
    make_thread,
    make_user,
    report_id,
)

__all__ = ["SCENARIOS", "Context", "Scenario"]

Operation = Literal["get", "list", "create", "update", "delete"]
REPORTED = "requests/req-alice"


@dataclass(frozen=True, slots=True)
class Context:
    """What an operation needs: the actor's client and uid, an admin client, and the time."""

    db: Client
    me: str
    """The actor's uid (`visitor` for the signed-out visitor, whose writes name no one)."""
    signed_in: bool
    now: dt.datetime

    def data(self, model: MitcheModel, *stamped: str) -> dict[str, Any]:
        """The model as a client writes it: its client-written keys only (the server fills in
        the rest), `stamped` keys set to the server's time."""
        document = to_document(model, self.db)
        for name, info in type(model).model_fields.items():
            if written_by(info).server_owned:
                document.pop(info.alias or name, None)
        for key in stamped:
            document[key] = SERVER_TIMESTAMP
        return document

    def create_with_stamp(self, path: str, data: dict[str, Any], stamp: str) -> None:
        """Create a document in the batch that sets the actor's rate-limit stamp (`stamp`,
        e.g. `lastRequest`) to now and this document's path, as the app does."""
        batch = self.db.batch()
        batch.create(self.db.document(path), data)
        if self.signed_in:
            account = self.db.document(f"users/{self.me}/private/account")
            batch.set(account, {stamp: {"at": SERVER_TIMESTAMP, "path": path}}, merge=True)
        batch.commit()

    def create_profile(self, uid: str, data: dict[str, Any]) -> None:
        """Create `users/{uid}` in the batch that claims its alias, as the app's onboarding does."""
        batch = self.db.batch()
        batch.create(self.db.document(f"users/{uid}"), data)
        claim = alias_claim_path(data["profile"]["anonymousAlias"])
        batch.create(self.db.document(claim), {"ownerId": uid, "claimedAt": SERVER_TIMESTAMP})
        batch.commit()

    def read(self, path: str) -> None:
        """Get one document."""
        self.db.document(path).get()

    def query(self, query: Any) -> None:
        """Run a query to the end."""
        list(query.stream())


@dataclass(frozen=True, slots=True)
class Scenario:
    """One row of the matrix."""

    key: str
    operation: Operation
    run: Callable[[Context], None]
    prepare: Callable[[Client, str, dt.datetime], None] | None = None


SCENARIOS: dict[str, Scenario] = {}


def scenario(
    key: str,
    operation: Operation,
    prepare: Callable[[Client, str, dt.datetime], None] | None = None,
) -> Callable[[Callable[[Context], None]], Callable[[Context], None]]:
    """Register the decorated function as the operation of matrix row `key`."""

    def register(run: Callable[[Context], None]) -> Callable[[Context], None]:
        if key in SCENARIOS:
            raise ValueError(f"scenario {key!r} registered twice")
        SCENARIOS[key] = Scenario(key, operation, run, prepare)
        return run

    return register


def _remove(path: str) -> Callable[[Client, str, dt.datetime], None]:
    """A prepare step deleting `path` (with `{me}` for the actor's uid)."""

    def prepare(owner: Client, me: str, now: dt.datetime) -> None:
        owner.document(path.format(me=me)).delete()

    return prepare


def _blocks(blocker: str, blocked: str) -> Callable[[Client, str, dt.datetime], None]:
    """A prepare step: `blocker` blocked `blocked` an hour ago (`{me}`: the actor)."""

    def prepare(owner: Client, me: str, now: dt.datetime) -> None:
        who, whom = blocker.format(me=me), blocked.format(me=me)
        owner.document(f"users/{who}/blocks/{whom}").set(
            {"memberId": whom, "createdAt": now - dt.timedelta(hours=1)}
        )

    return prepare


def _where(ctx: Context, collection: str, *filters: tuple[str, str, Any]) -> Any:
    query: Any = ctx.db.collection(collection)
    for field, op, value in filters:
        query = query.where(filter=FieldFilter(field, op, value))
    return query


def _group(ctx: Context, collection: str, *filters: tuple[str, str, Any]) -> Any:
    query: Any = ctx.db.collection_group(collection)
    for field, op, value in filters:
        query = query.where(filter=FieldFilter(field, op, value))
    return query


SHOWN = ("moderation.status", "in", ["pending", "approved", "flagged"])
"""The moderation filter of listing queries: the states that keep content shown."""


# ---- users ---------------------------------------------------------------------------------


@scenario("users: read alice's profile", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice")


@scenario("users: query community profiles", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "users", ("privacy.profileVisibility", "==", "community")))


@scenario("users: create one's own profile", "create", _remove("users/{me}"))
def _(ctx: Context) -> None:
    data = ctx.data(make_user(ctx.me, ctx.now), "createdAt", "updatedAt")
    ctx.create_profile(ctx.me, data)


@scenario("users: create a profile for someone else", "create")
def _(ctx: Context) -> None:
    data = ctx.data(make_user("newbie", ctx.now), "createdAt", "updatedAt")
    ctx.create_profile("newbie", data)


@scenario("users: edit alice's bio", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice").update(
        {"profile.bio": "Gardener and cook.", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("users: edit one's own bio", "update")
def _(ctx: Context) -> None:
    target = ctx.me if ctx.signed_in else "alice"
    ctx.db.document(f"users/{target}").update(
        {"profile.bio": "Gardener and cook.", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("users: join the leaderboards without consenting", "update")
def _(ctx: Context) -> None:
    target = ctx.me if ctx.signed_in else "alice"
    ctx.db.document(f"users/{target}").update(
        {"privacy.leaderboardOptIn": True, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("users: create one's profile outside the analytics", "create", _remove("users/{me}"))
def _(ctx: Context) -> None:
    data = ctx.data(make_user(ctx.me, ctx.now), "createdAt", "updatedAt")
    data["privacy"] = {**data.get("privacy", {}), "analyticsOptIn": False}
    ctx.create_profile(ctx.me, data)


@scenario("users: set one's own photo as avatar", "update")
def _(ctx: Context) -> None:
    target = ctx.me if ctx.signed_in else "alice"
    photo = to_document(make_attachment(target, "avatars"), ctx.db)
    ctx.db.document(f"users/{target}").update(
        {"profile.avatar": photo, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("users: show another member's photo as one's avatar", "update")
def _(ctx: Context) -> None:
    target = ctx.me if ctx.signed_in else "alice"
    photo = to_document(make_attachment("zoe", "avatars"), ctx.db)
    ctx.db.document(f"users/{target}").update(
        {"profile.avatar": photo, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("users: delete one's own profile", "delete")
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me if ctx.signed_in else 'alice'}").delete()


# ---- users/{id}/private/identity -----------------------------------------------------------


@scenario("identity: read alice's identity", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/private/identity")


@scenario("identity: list alice's private documents", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("users/alice/private"))


@scenario("identity: write one's own identity", "create", _remove("users/{me}/private/identity"))
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/private/identity").create(
        {"legalName": "Jo Doe", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("identity: change alice's phone", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/private/identity").update(
        {"phone": "+33698765432", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("identity: delete alice's identity", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/private/identity").delete()


@scenario("identity: read alice's sealed data key", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/private/dataKey")


# ---- users/{id}/publicKeys -------------------------------------------------------------------

_KEY = "Q" * 43


@scenario("publicKeys: read alice's device key", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/publicKeys/phone")


@scenario("publicKeys: list alice's device keys", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("users/alice/publicKeys"))


@scenario(
    "publicKeys: publish one's own device key", "create", _remove("users/{me}/publicKeys/laptop")
)
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/publicKeys/laptop").create(
        {"algorithm": "X25519", "publicKey": _KEY, "createdAt": SERVER_TIMESTAMP}
    )


@scenario("publicKeys: publish a key for alice", "create", _remove("users/alice/publicKeys/laptop"))
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/publicKeys/laptop").create(
        {"algorithm": "X25519", "publicKey": _KEY, "createdAt": SERVER_TIMESTAMP}
    )


@scenario("publicKeys: replace alice's device key", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/publicKeys/phone").update({"publicKey": _KEY})


@scenario("publicKeys: withdraw alice's device key", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/publicKeys/phone").delete()


# ---- users/{id}/private/account ------------------------------------------------------------


@scenario("account: read alice's standing and rate-limit times", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/private/account")


@scenario("account: stamp one's own request time", "create", _remove("users/{me}/private/account"))
def _(ctx: Context) -> None:
    target = ctx.me if ctx.signed_in else "sam"
    ctx.db.document(f"users/{target}/private/account").create(
        {"lastRequest": {"at": SERVER_TIMESTAMP, "path": f"requests/new-{target}"}}
    )


@scenario("account: stamp alice's message time", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/private/account").update(
        {"lastMessage": {"at": SERVER_TIMESTAMP, "path": "messages/new-alice"}}
    )


@scenario("account: clear alice's strikes", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/private/account").update({"security.strikes": 0})


@scenario("account: delete alice's account", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/private/account").delete()


# ---- users/{id}/private/consents and private/export -----------------------------------------


def _answer(granted: bool, at: object = SERVER_TIMESTAMP) -> dict[str, Any]:
    return {"granted": granted, "version": "1", "answeredAt": at}


@scenario("consents: read alice's consents", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/private/consents")


@scenario("consents: record one's own", "create", _remove("users/{me}/private/consents"))
def _(ctx: Context) -> None:
    target = ctx.me if ctx.signed_in else "sam"
    ctx.db.document(f"users/{target}/private/consents").create(
        {
            "termsVersion": "2026-11",
            "termsAcceptedAt": SERVER_TIMESTAMP,
            "analytics": _answer(True),
            "leaderboards": _answer(False),
            "updatedAt": SERVER_TIMESTAMP,
        }
    )


@scenario("consents: alice withdraws from leaderboards", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/private/consents").update(
        {"leaderboards": _answer(False), "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("consents: backdate alice's changed analytics answer", "update")
def _(ctx: Context) -> None:
    earlier = ctx.now - dt.timedelta(days=30)
    ctx.db.document("users/alice/private/consents").update(
        {"analytics": _answer(False, earlier), "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("consents: delete alice's consents", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/private/consents").delete()


@scenario("export: read alice's export job", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/private/export")


@scenario("export: mark alice's export ready", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/private/export").update({"status": "ready"})


# ---- users/{id}/hopeLedger -----------------------------------------------------------------


@scenario("hopeLedger: read an entry of alice's", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/hopeLedger/e1")


@scenario("hopeLedger: list alice's ledger", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("users/alice/hopeLedger"))


@scenario("hopeLedger: award oneself points", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/hopeLedger/gift").create(
        {"action": "adjustment", "category": "guardian", "amount": 1000}
    )


# ---- users/{id}/uploadReviews ----------------------------------------------------------------


@scenario("uploadReviews: read alice's upload review", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/uploadReviews/r1")


@scenario("uploadReviews: read one's own upload review", "get")
def _(ctx: Context) -> None:
    ctx.read(f"users/{ctx.me}/uploadReviews/r1")


@scenario("uploadReviews: mark one's own rejected upload accepted", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/uploadReviews/r2").create(
        {"storagePath": f"uploads/{ctx.me}/avatars/a.png", "status": "accepted"}
    )


# ---- users/{id}/revealConsents and revealGrants --------------------------------------------


@scenario("revealConsents: read alice's consent to bob", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/revealConsents/bob")


@scenario("revealConsents: list alice's consents", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("users/alice/revealConsents"))


@scenario("revealConsents: query consents addressed to oneself", "list")
def _(ctx: Context) -> None:
    ctx.query(_group(ctx, "revealConsents", ("counterpartId", "==", ctx.me)))


def _consent_to_bob(ctx: Context) -> None:
    consent = RevealConsent(
        counterpart_id="bob",
        context="messages/msg-ba",
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.create_with_stamp(
        f"users/{ctx.me}/revealConsents/bob",
        ctx.data(consent, "createdAt", "updatedAt"),
        "lastRevealConsent",
    )


@scenario(
    "revealConsents: consent to reveal to bob (he wrote in conv-ab)",
    "create",
    _remove("users/{me}/revealConsents/bob"),
)
def _(ctx: Context) -> None:
    _consent_to_bob(ctx)


def _bob_blocked_me_and_no_consent(owner: Client, me: str, now: dt.datetime) -> None:
    """The actor has no consent to Bob yet, and Bob blocked the actor."""
    _remove("users/{me}/revealConsents/bob")(owner, me, now)
    _blocks("bob", "{me}")(owner, me, now)


@scenario(
    "revealConsents: consent to reveal to bob, who blocked one",
    "create",
    _bob_blocked_me_and_no_consent,
)
def _(ctx: Context) -> None:
    _consent_to_bob(ctx)


@scenario("revealConsents: withdraw alice's consent", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/revealConsents/bob").update(
        {"status": "withdrawn", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("revealConsents: delete alice's consent", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/revealConsents/bob").delete()


@scenario("revealGrants: read alice's grant to bob", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/revealGrants/bob")


@scenario("revealGrants: list alice's grants", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("users/alice/revealGrants"))


@scenario(
    "revealGrants: grant oneself alice's identity",
    "create",
    _remove("users/alice/revealGrants/{me}"),
)
def _(ctx: Context) -> None:
    ctx.db.document(f"users/alice/revealGrants/{ctx.me}").create(
        {"counterpartId": ctx.me, "completedAt": SERVER_TIMESTAMP}
    )


# ---- requests ------------------------------------------------------------------------------


@scenario("requests: read alice's request", "get")
def _(ctx: Context) -> None:
    ctx.read("requests/req-alice")


@scenario("requests: read alice's private draft", "get")
def _(ctx: Context) -> None:
    ctx.read("requests/req-draft")


@scenario("requests: query community requests", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "requests", ("visibility", "==", "community"), SHOWN))


@scenario("requests: query one's own requests", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "requests", ("requesterId", "==", ctx.me)))


@scenario("requests: query every request", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("requests"))


@scenario("requests: ask for help", "create")
def _(ctx: Context) -> None:
    request = make_request(ctx.me, ctx.now)
    data = ctx.data(request, "createdAt", "updatedAt")
    ctx.create_with_stamp(f"requests/new-{ctx.me}", data, "lastRequest")


def _open_requests(count: int) -> Callable[[Client, str, dt.datetime], None]:
    """A prepare step: the actor's account counts `count` open requests (as the trigger
    keeps it)."""

    def prepare(owner: Client, me: str, now: dt.datetime) -> None:
        owner.document(f"users/{me}/private/account").set({"openRequests": count}, merge=True)

    return prepare


@scenario("requests: ask for help with three requests open", "create", _open_requests(3))
def _(ctx: Context) -> None:
    request = make_request(ctx.me, ctx.now)
    data = ctx.data(request, "createdAt", "updatedAt")
    ctx.create_with_stamp(f"requests/new-{ctx.me}", data, "lastRequest")


@scenario("requests: ask for help with a photo", "create")
def _(ctx: Context) -> None:
    photo = make_attachment(ctx.me, f"requests/new-{ctx.me}")
    request = make_request(ctx.me, ctx.now, attachments=[photo])
    data = ctx.data(request, "createdAt", "updatedAt")
    ctx.create_with_stamp(f"requests/new-{ctx.me}", data, "lastRequest")


@scenario("requests: ask for help with a photo of alice's request", "create")
def _(ctx: Context) -> None:
    photo = make_attachment(ctx.me, "requests/req-alice")
    request = make_request(ctx.me, ctx.now, attachments=[photo])
    data = ctx.data(request, "createdAt", "updatedAt")
    ctx.create_with_stamp(f"requests/new-{ctx.me}", data, "lastRequest")


def _attachments(ctx: Context, *attachments: Attachment) -> list[dict[str, Any]]:
    return [to_document(attachment, ctx.db) for attachment in attachments]


@scenario("requests: add a second photo to alice's request", "update")
def _(ctx: Context) -> None:
    photos = _attachments(
        ctx,
        make_attachment("alice", "requests/req-alice"),
        make_attachment(ctx.me, "requests/req-alice", "second.jpg"),
    )
    ctx.db.document("requests/req-alice").update(
        {"attachments": photos, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("requests: list a photo of alice's draft on alice's request", "update")
def _(ctx: Context) -> None:
    photos = _attachments(
        ctx,
        make_attachment("alice", "requests/req-alice"),
        make_attachment(ctx.me, "requests/req-draft", "plan.jpg"),
    )
    ctx.db.document("requests/req-alice").update(
        {"attachments": photos, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("requests: retitle alice's request", "update")
def _(ctx: Context) -> None:
    ctx.db.document("requests/req-alice").update(
        {"title": "Groceries, twice a week", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("requests: delete alice's request", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("requests/req-alice").delete()


# ---- requests/{id}/private/location --------------------------------------------------------


@scenario("location: read the exact place of alice's request", "get")
def _(ctx: Context) -> None:
    ctx.read("requests/req-alice/private/location")


@scenario("location: list the private documents of alice's request", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("requests/req-alice/private"))


def _own_request(owner: Client, me: str, now: dt.datetime) -> None:
    request = make_request(me, now - dt.timedelta(hours=1))
    owner.document(f"requests/mine-{me}").set(to_document(request, owner))


@scenario("location: give the exact place of one's own request", "create", _own_request)
def _(ctx: Context) -> None:
    location = RequestLocation(exact=make_exact(), updated_at=ctx.now)
    ctx.db.document(f"requests/mine-{ctx.me}/private/location").create(
        ctx.data(location, "updatedAt")
    )


@scenario("location: change the door code of alice's request", "update")
def _(ctx: Context) -> None:
    ctx.db.document("requests/req-alice/private/location").update(
        {"instructions": "Code 9911", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("location: remove the exact place of alice's request", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("requests/req-alice/private/location").delete()


# ---- offerings -----------------------------------------------------------------------------


@scenario("offerings: read alice's answer to bob", "get")
def _(ctx: Context) -> None:
    ctx.read("offerings/off-answer")


@scenario("offerings: read alice's standing offer", "get")
def _(ctx: Context) -> None:
    ctx.read("offerings/off-standing")


@scenario("offerings: query standing community offers", "list")
def _(ctx: Context) -> None:
    ctx.query(
        _where(
            ctx, "offerings", ("requestPath", "==", None), ("visibility", "==", "community"), SHOWN
        )
    )


@scenario("offerings: query one's own offers", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "offerings", ("helperId", "==", ctx.me)))


@scenario("offerings: offer help on bob's request", "create")
def _(ctx: Context) -> None:
    _answer_bob(ctx)


@scenario("offerings: offer mentorship to anyone", "create")
def _(ctx: Context) -> None:
    offering = make_offering(ctx.me, ctx.now, tags=["mentorship", "paperwork"])
    data = ctx.data(offering, "createdAt", "updatedAt")
    ctx.create_with_stamp(f"offerings/new-{ctx.me}", data, "lastOffering")


def _answer_bob(ctx: Context) -> None:
    offering = make_offering(
        ctx.me,
        ctx.now,
        unchecked=ctx.me == "bob",
        request_path="requests/req-bob",
        requester_id="bob",
        visibility=Visibility.PRIVATE,
    )
    data = ctx.data(offering, "createdAt", "updatedAt")
    ctx.create_with_stamp(f"offerings/new-{ctx.me}", data, "lastOffering")


@scenario("offerings: offer help to bob, who blocked one", "create", _blocks("bob", "{me}"))
def _(ctx: Context) -> None:
    _answer_bob(ctx)


@scenario("offerings: offer help to bob after blocking him", "create", _blocks("{me}", "bob"))
def _(ctx: Context) -> None:
    _answer_bob(ctx)


def _claim_standing_offer(ctx: Context) -> None:
    ctx.db.document("offerings/off-standing").update(
        {
            "requesterId": ctx.me,
            "status": OfferingStatus.ACCEPTED.value,
            "respondedAt": SERVER_TIMESTAMP,
            "updatedAt": SERVER_TIMESTAMP,
        }
    )


@scenario("offerings: claim alice's standing offer", "update")
def _(ctx: Context) -> None:
    _claim_standing_offer(ctx)


@scenario(
    "offerings: claim the standing offer of alice, who blocked one",
    "update",
    _blocks("alice", "{me}"),
)
def _(ctx: Context) -> None:
    _claim_standing_offer(ctx)


@scenario("offerings: tag alice's standing offer mentorship", "update")
def _(ctx: Context) -> None:
    ctx.db.document("offerings/off-standing").update(
        {"tags": ["mentorship"], "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("offerings: accept alice's answer", "update")
def _(ctx: Context) -> None:
    ctx.db.document("offerings/off-answer").update(
        {
            "status": OfferingStatus.ACCEPTED.value,
            "respondedAt": SERVER_TIMESTAMP,
            "updatedAt": SERVER_TIMESTAMP,
        }
    )


@scenario("offerings: withdraw alice's answer", "update")
def _(ctx: Context) -> None:
    ctx.db.document("offerings/off-answer").update(
        {"status": OfferingStatus.WITHDRAWN.value, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("offerings: change the kind of help of alice's standing offer", "update")
def _(ctx: Context) -> None:
    ctx.db.document("offerings/off-standing").update(
        {"category": "household", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("offerings: delete alice's standing offer", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("offerings/off-standing").delete()


# ---- communityEvents -----------------------------------------------------------------------


@scenario("events: read the published meal share", "get")
def _(ctx: Context) -> None:
    ctx.read("communityEvents/evt-pub")


@scenario("events: read olga's draft", "get")
def _(ctx: Context) -> None:
    ctx.read("communityEvents/evt-draft")


@scenario("events: query published community events", "list")
def _(ctx: Context) -> None:
    ctx.query(
        _where(
            ctx,
            "communityEvents",
            ("approval.state", "==", "approved"),
            ("visibility", "==", "community"),
            SHOWN,
        )
    )


@scenario("events: query events one organises", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "communityEvents", ("organizerId", "==", ctx.me)))


@scenario("events: draft an event", "create")
def _(ctx: Context) -> None:
    event = make_event(ctx.me, ctx.now)
    ctx.create_with_stamp(
        f"communityEvents/new-{ctx.me}", ctx.data(event, "createdAt", "updatedAt"), "lastEvent"
    )


@scenario("events: reword the published meal share", "update")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub").update(
        {"description": "Bring a dish and a friend.", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("events: give olga's draft a cover", "update")
def _(ctx: Context) -> None:
    (cover,) = _attachments(ctx, make_attachment(ctx.me, "events/evt-draft", "cover.jpg"))
    ctx.db.document("communityEvents/evt-draft").update(
        {"coverImage": cover, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("events: give olga's draft the published meal share's cover", "update")
def _(ctx: Context) -> None:
    (cover,) = _attachments(ctx, make_attachment(ctx.me, "events/evt-pub", "cover.jpg"))
    ctx.db.document("communityEvents/evt-draft").update(
        {"coverImage": cover, "updatedAt": SERVER_TIMESTAMP}
    )


def _impact_with_photo(ctx: Context, owner: str, folder: str) -> None:
    (photo,) = _attachments(ctx, make_attachment(owner, folder, "after.jpg"))
    impact = {"attendees": 14, "photos": [photo], "reportedAt": SERVER_TIMESTAMP}
    ctx.db.document("communityEvents/evt-done").update(
        {"impact": impact, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("events: clean-up impact with a co-organiser's photo", "update")
def _(ctx: Context) -> None:
    _impact_with_photo(ctx, "colin", "events/evt-done")


@scenario("events: clean-up impact with another event's photo", "update")
def _(ctx: Context) -> None:
    _impact_with_photo(ctx, "colin", "events/evt-pub")


@scenario("events: change the co-organisers", "update")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub").update(
        {"coOrganizerIds": ["colin", "vera"], "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("events: the published meal share loses its co-organiser", "update")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub").update(
        {"coOrganizerIds": [], "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("events: delete olga's draft", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-draft").delete()


@scenario("events: delete the published meal share", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub").delete()


# ---- communityEvents/{id}/private/access ---------------------------------------------------


@scenario("access: read the venue of the meal share", "get")
def _(ctx: Context) -> None:
    ctx.read("communityEvents/evt-pub/private/access")


@scenario("access: list the private documents of the meal share", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("communityEvents/evt-pub/private"))


@scenario("access: give the venue of olga's draft", "create")
def _(ctx: Context) -> None:
    access = EventAccess(venue=make_exact(), updated_at=ctx.now)
    ctx.db.document("communityEvents/evt-draft/private/access").create(
        ctx.data(access, "updatedAt")
    )


@scenario("access: change the meal share's instructions", "update")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub/private/access").update(
        {"instructions": "Side door.", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("access: remove the meal share's venue", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub/private/access").delete()


# ---- communityEvents/{id}/registrations ----------------------------------------------------


@scenario("registrations: read alice's registration", "get")
def _(ctx: Context) -> None:
    ctx.read("communityEvents/evt-pub/registrations/alice")


@scenario("registrations: list the meal share's registrations", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("communityEvents/evt-pub/registrations"))


@scenario("registrations: query one's own registrations", "list")
def _(ctx: Context) -> None:
    ctx.query(_group(ctx, "registrations", ("userId", "==", ctx.me)))


@scenario(
    "registrations: register for the meal share",
    "create",
    _remove("communityEvents/evt-pub/registrations/{me}"),
)
def _(ctx: Context) -> None:
    registration = Registration(
        user_id=ctx.me,
        status=RegistrationStatus.PENDING,
        requested_at=ctx.now,
        guests=1,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.create_with_stamp(
        f"communityEvents/evt-pub/registrations/{ctx.me}",
        ctx.data(registration, "createdAt", "updatedAt", "requestedAt"),
        "lastRegistration",
    )


@scenario("registrations: cancel alice's registration", "update")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub/registrations/alice").update(
        {"status": "cancelled", "updatedAt": SERVER_TIMESTAMP}
    )


def _doors_open(owner: Client, me: str, now: dt.datetime) -> None:
    """The meal share starts in half an hour: doors are open, attendance may be recorded."""
    owner.document("communityEvents/evt-pub").update({"startsAt": now + dt.timedelta(minutes=30)})


@scenario("registrations: check alice in", "update", _doors_open)
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub/registrations/alice").update(
        {"attendance": "attended", "checkedInAt": SERVER_TIMESTAMP, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("registrations: delete alice's registration", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("communityEvents/evt-pub/registrations/alice").delete()


# ---- resources -----------------------------------------------------------------------------


@scenario("resources: read the food bank", "get")
def _(ctx: Context) -> None:
    ctx.read("resources/res-pub")


@scenario("resources: read alice's draft", "get")
def _(ctx: Context) -> None:
    ctx.read("resources/res-draft")


@scenario("resources: query active community resources", "list")
def _(ctx: Context) -> None:
    ctx.query(
        _where(
            ctx, "resources", ("status", "==", "active"), ("visibility", "==", "community"), SHOWN
        )
    )


@scenario("resources: list a service as a draft", "create")
def _(ctx: Context) -> None:
    data = ctx.data(make_resource(ctx.me, ctx.now), "createdAt", "updatedAt")
    ctx.db.document(f"resources/new-{ctx.me}").create(data)


@scenario("resources: publish a service", "create")
def _(ctx: Context) -> None:
    resource = make_resource(ctx.me, ctx.now, status=ResourceStatus.ACTIVE)
    ctx.db.document(f"resources/new-{ctx.me}").create(ctx.data(resource, "createdAt", "updatedAt"))


@scenario("resources: reword the food bank", "update")
def _(ctx: Context) -> None:
    ctx.db.document("resources/res-pub").update(
        {"description": "Fresh produce on Tuesdays and Fridays.", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("resources: reword alice's draft", "update")
def _(ctx: Context) -> None:
    ctx.db.document("resources/res-draft").update(
        {"description": "Free check-ups for children.", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("resources: delete alice's draft", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("resources/res-draft").delete()


@scenario("resources: delete the food bank", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("resources/res-pub").delete()


# ---- resources/{id}/reviews ----------------------------------------------------------------


@scenario("reviews: read alice's review of the food bank", "get")
def _(ctx: Context) -> None:
    ctx.read("resources/res-pub/reviews/alice")


@scenario("reviews: query the food bank's shown reviews", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "resources/res-pub/reviews", SHOWN))


@scenario("reviews: review the food bank", "create", _remove("resources/res-pub/reviews/{me}"))
def _(ctx: Context) -> None:
    review = ResourceReview(author_id=ctx.me, rating=4, created_at=ctx.now, updated_at=ctx.now)
    ctx.create_with_stamp(
        f"resources/res-pub/reviews/{ctx.me}",
        ctx.data(review, "createdAt", "updatedAt"),
        "lastReview",
    )


@scenario("reviews: change alice's rating", "update")
def _(ctx: Context) -> None:
    ctx.db.document("resources/res-pub/reviews/alice").update(
        {"rating": 3, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("reviews: delete alice's review", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("resources/res-pub/reviews/alice").delete()


_VOTES: Final = "resources/res-pub/reviews/alice/helpful"
_APPLICATION: Final = "resources/res-draft/private/providerApplication"


@scenario("helpful: read bob's vote on alice's review", "get")
def _(ctx: Context) -> None:
    ctx.read(f"{_VOTES}/bob")


@scenario("helpful: find alice's review helpful", "create", _remove(f"{_VOTES}/{{me}}"))
def _(ctx: Context) -> None:
    vote = HelpfulVote(user_id=ctx.me, created_at=ctx.now)
    ctx.db.document(f"{_VOTES}/{ctx.me}").set(ctx.data(vote, "createdAt"))


@scenario("helpful: take back bob's vote", "delete")
def _(ctx: Context) -> None:
    ctx.db.document(f"{_VOTES}/bob").delete()


@scenario("providerApplication: read alice's application for her draft", "get")
def _(ctx: Context) -> None:
    ctx.read(_APPLICATION)


@scenario("providerApplication: apply for alice's draft", "create", _remove(_APPLICATION))
def _(ctx: Context) -> None:
    application = ProviderApplication(
        applicant_id=ctx.me,
        role_in_organization="Volunteer coordinator",
        evidence="Registry number W691234567, listed on the association's page.",
        applied_at=ctx.now,
        updated_at=ctx.now,
    )
    ctx.db.document(_APPLICATION).set(ctx.data(application, "appliedAt", "updatedAt"))


@scenario("providerApplication: reword alice's evidence", "update")
def _(ctx: Context) -> None:
    ctx.db.document(_APPLICATION).update(
        {"evidence": "Her name is on the association's board page.", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("providerApplication: withdraw alice's application", "delete")
def _(ctx: Context) -> None:
    ctx.db.document(_APPLICATION).delete()


# ---- resources/{id}/usageShards ------------------------------------------------------------


def _shard_used(owner: Client, me: str, now: dt.datetime) -> None:
    """Shard 2 of the food bank already counts others' uses."""
    owner.document("resources/res-pub/usageShards/2").set({"views": 5, "referrals": 1})


def _counts(ctx: Context, resource: str, shard: str, fields: dict[str, Any]) -> None:
    """The app's use batch: the counters on one shard, with the actor's lastUsage stamp."""
    path = f"resources/{resource}/usageShards/{shard}"
    batch = ctx.db.batch()
    batch.set(ctx.db.document(path), fields, merge=True)
    if ctx.signed_in:
        account = ctx.db.document(f"users/{ctx.me}/private/account")
        batch.set(account, {"lastUsage": {"at": SERVER_TIMESTAMP, "path": path}}, merge=True)
    batch.commit()


@scenario("usage: count a view of the food bank", "create")
def _(ctx: Context) -> None:
    _counts(ctx, "res-pub", "7", {"views": Increment(1)})


@scenario("usage: count a referral on a shard others used", "update", _shard_used)
def _(ctx: Context) -> None:
    _counts(ctx, "res-pub", "2", {"referrals": Increment(1)})


@scenario("usage: count ten views at once", "update", _shard_used)
def _(ctx: Context) -> None:
    _counts(ctx, "res-pub", "2", {"views": Increment(10)})


@scenario("usage: count a view of alice's draft", "create")
def _(ctx: Context) -> None:
    _counts(ctx, "res-draft", "0", {"views": Increment(1)})


@scenario("usage: count a view on shard 42", "create")
def _(ctx: Context) -> None:
    _counts(ctx, "res-pub", "42", {"views": Increment(1)})


@scenario("usage: read a shard of the food bank", "get", _shard_used)
def _(ctx: Context) -> None:
    ctx.read("resources/res-pub/usageShards/2")


# ---- conversations -------------------------------------------------------------------------


@scenario("conversations: read alice and bob's dm", "get")
def _(ctx: Context) -> None:
    ctx.read("conversations/conv-ab")


@scenario("conversations: read alice's support thread", "get")
def _(ctx: Context) -> None:
    ctx.read("conversations/conv-support")


@scenario("conversations: query one's own conversations", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "conversations", ("participantIds", "array_contains", ctx.me)))


@scenario("conversations: query support threads", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "conversations", ("conversationType", "==", "support")))


def _start_dm(ctx: Context) -> None:
    partner = "alice" if ctx.me != "alice" else "bob"
    conversation = make_conversation(ctx.me, [ctx.me, partner], ctx.now)
    ctx.create_with_stamp(
        f"conversations/new-{ctx.me}",
        ctx.data(conversation, "createdAt", "updatedAt"),
        "lastConversation",
    )


def _partner_blocks_me(owner: Client, me: str, now: dt.datetime) -> None:
    """The dm partner of `conversations: start a dm` blocked the actor."""
    _blocks("alice" if me != "alice" else "bob", me)(owner, me, now)


@scenario("conversations: start a dm", "create")
def _(ctx: Context) -> None:
    _start_dm(ctx)


@scenario("conversations: start a dm with a member who blocked one", "create", _partner_blocks_me)
def _(ctx: Context) -> None:
    _start_dm(ctx)


@scenario("conversations: mark the dm read", "update")
def _(ctx: Context) -> None:
    ctx.db.document("conversations/conv-ab").update(
        {
            f"participantState.{ctx.me}": {
                "joinedAt": ctx.now - dt.timedelta(days=1),
                "lastReadAt": SERVER_TIMESTAMP,
            },
            "updatedAt": SERVER_TIMESTAMP,
        }
    )


@scenario("conversations: delete the dm", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("conversations/conv-ab").delete()


# ---- messages ------------------------------------------------------------------------------


@scenario("messages: read alice's message to bob", "get")
def _(ctx: Context) -> None:
    ctx.read("messages/msg-ab")


@scenario("messages: read alice's held message to bob", "get")
def _(ctx: Context) -> None:
    ctx.read("messages/msg-held")


@scenario("messages: query one's own screened messages", "list")
def _(ctx: Context) -> None:
    ctx.query(
        _where(
            ctx,
            "messages",
            ("participantIds", "array_contains", ctx.me),
            ("moderation.status", "in", ["approved", "flagged"]),
        )
    )


@scenario("messages: query one's messages, no screening filter", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "messages", ("participantIds", "array_contains", ctx.me)))


@scenario("messages: query the messages one sent", "list")
def _(ctx: Context) -> None:
    ctx.query(
        _where(
            ctx,
            "messages",
            ("participantIds", "array_contains", ctx.me),
            ("senderId", "==", ctx.me),
        )
    )


@scenario("messages: query the held and flagged messages", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "messages", ("moderation.status", "in", ["hidden", "flagged"])))


@scenario("messages: react to alice's held message", "update")
def _(ctx: Context) -> None:
    ctx.db.document("messages/msg-held").update({"reactions.👍": [ctx.me]})


@scenario("messages: query the dm without the participant filter", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "messages", ("conversationId", "==", "conv-ab")))


def _message_in_dm(ctx: Context) -> None:
    members = ["alice", "bob"]
    message = make_message(ctx.me, "conv-ab", members, ctx.now, unchecked=ctx.me not in members)
    data = ctx.data(message, "createdAt")
    ctx.create_with_stamp(f"messages/new-{ctx.me}", data, "lastMessage")


@scenario("messages: send a message in the dm", "create")
def _(ctx: Context) -> None:
    _message_in_dm(ctx)


@scenario(
    "messages: send a message in the dm after bob blocked alice", "create", _blocks("bob", "alice")
)
def _(ctx: Context) -> None:
    _message_in_dm(ctx)


def _photo_message(ctx: Context, folder: str) -> None:
    members = ["alice", "bob"]
    message = make_message(
        ctx.me,
        "conv-ab",
        members,
        ctx.now,
        unchecked=ctx.me not in members,
        message_type=MessageType.IMAGE,
        text=None,
        attachment=make_attachment(ctx.me, folder, "map.jpg"),
    )
    data = ctx.data(message, "createdAt")
    ctx.create_with_stamp(f"messages/new-{ctx.me}", data, "lastMessage")


@scenario("messages: send a photo in the dm", "create")
def _(ctx: Context) -> None:
    _photo_message(ctx, f"messages/conv-ab/new-{ctx.me}")


@scenario("messages: send a photo filed below another message", "create")
def _(ctx: Context) -> None:
    _photo_message(ctx, "messages/conv-ab/msg-photo")


@scenario("messages: edit alice's message", "update")
def _(ctx: Context) -> None:
    ctx.db.document("messages/msg-ab").update(
        {"text": "See you at eleven?", "editedAt": SERVER_TIMESTAMP}
    )


@scenario("messages: mark alice's message read", "update")
def _(ctx: Context) -> None:
    ctx.db.document("messages/msg-ab").update({f"readBy.{ctx.me}": SERVER_TIMESTAMP})


@scenario("messages: delete alice's message document", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("messages/msg-ab").delete()


# ---- tapestryThreads -----------------------------------------------------------------------


@scenario("threads: read the approved story", "get")
def _(ctx: Context) -> None:
    ctx.read("tapestryThreads/thr-approved")


@scenario("threads: read alice's pending story", "get")
def _(ctx: Context) -> None:
    ctx.read("tapestryThreads/thr-pending")


@scenario("threads: query approved stories", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "tapestryThreads", ("status", "==", "approved"), SHOWN))


@scenario("threads: tell a story", "create")
def _(ctx: Context) -> None:
    thread = make_thread(ctx.me, ctx.now)
    ctx.create_with_stamp(
        f"tapestryThreads/new-{ctx.me}", ctx.data(thread, "createdAt", "updatedAt"), "lastStory"
    )


@scenario("threads: tell a story with its photo", "create")
def _(ctx: Context) -> None:
    photo = make_attachment(ctx.me, f"stories/new-{ctx.me}")
    thread = make_thread(ctx.me, ctx.now, photo=photo)
    ctx.create_with_stamp(
        f"tapestryThreads/new-{ctx.me}", ctx.data(thread, "createdAt", "updatedAt"), "lastStory"
    )


@scenario("threads: tell a story with the approved story's photo", "create")
def _(ctx: Context) -> None:
    photo = make_attachment(ctx.me, "stories/thr-approved")
    thread = make_thread(ctx.me, ctx.now, photo=photo)
    ctx.create_with_stamp(
        f"tapestryThreads/new-{ctx.me}", ctx.data(thread, "createdAt", "updatedAt"), "lastStory"
    )


@scenario("threads: give alice's pending story a photo", "update")
def _(ctx: Context) -> None:
    (photo,) = _attachments(ctx, make_attachment(ctx.me, "stories/thr-pending"))
    ctx.db.document("tapestryThreads/thr-pending").update(
        {"photo": photo, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("threads: give alice's pending story the approved one's photo", "update")
def _(ctx: Context) -> None:
    (photo,) = _attachments(ctx, make_attachment(ctx.me, "stories/thr-approved"))
    ctx.db.document("tapestryThreads/thr-pending").update(
        {"photo": photo, "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("threads: retitle alice's pending story", "update")
def _(ctx: Context) -> None:
    ctx.db.document("tapestryThreads/thr-pending").update(
        {"title": "A warm week", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("threads: retitle the approved story", "update")
def _(ctx: Context) -> None:
    ctx.db.document("tapestryThreads/thr-approved").update(
        {"title": "A warm week", "updatedAt": SERVER_TIMESTAMP}
    )


@scenario("threads: withdraw alice's pending story", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("tapestryThreads/thr-pending").delete()


# ---- tapestryThreads/{id}/private/nomination -----------------------------------------------


@scenario("nomination: read who the approved story is about", "get")
def _(ctx: Context) -> None:
    ctx.read("tapestryThreads/thr-approved/private/nomination")


def _name_bob(ctx: Context) -> None:
    build = ThreadNomination.model_construct if ctx.me == "bob" else ThreadNomination
    nomination = build(nominator_id=ctx.me, subject_id="bob", created_at=ctx.now)
    ctx.db.document("tapestryThreads/thr-pending/private/nomination").create(
        ctx.data(nomination, "createdAt")
    )


@scenario("nomination: name bob as the pending story's subject", "create")
def _(ctx: Context) -> None:
    _name_bob(ctx)


@scenario(
    "nomination: name bob, who blocked one, as the story's subject",
    "create",
    _blocks("bob", "{me}"),
)
def _(ctx: Context) -> None:
    _name_bob(ctx)


@scenario("nomination: answer to be credited", "update")
def _(ctx: Context) -> None:
    ctx.db.document("tapestryThreads/thr-approved/private/nomination").update(
        {"subjectConsent": "credit", "consentAt": SERVER_TIMESTAMP}
    )


@scenario("nomination: delete the nomination", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("tapestryThreads/thr-approved/private/nomination").delete()


# ---- tapestryThreads/{id}/hearts -----------------------------------------------------------


@scenario("hearts: read bob's heart", "get")
def _(ctx: Context) -> None:
    ctx.read("tapestryThreads/thr-approved/hearts/bob")


@scenario("hearts: query one's own hearts", "list")
def _(ctx: Context) -> None:
    ctx.query(_group(ctx, "hearts", ("userId", "==", ctx.me)))


@scenario(
    "hearts: give the approved story a heart",
    "create",
    _remove("tapestryThreads/thr-approved/hearts/{me}"),
)
def _(ctx: Context) -> None:
    heart = ThreadHeart(user_id=ctx.me, created_at=ctx.now)
    ctx.create_with_stamp(
        f"tapestryThreads/thr-approved/hearts/{ctx.me}", ctx.data(heart, "createdAt"), "lastHeart"
    )


@scenario("hearts: take back bob's heart", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("tapestryThreads/thr-approved/hearts/bob").delete()


# ---- reports -------------------------------------------------------------------------------


@scenario("reports: read bob's report about alice's request", "get")
def _(ctx: Context) -> None:
    ctx.read(f"reports/{report_id(REPORTED, 'bob')}")


@scenario("reports: query one's own reports", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "reports", ("reporterId", "==", ctx.me)))


@scenario("reports: query every report", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("reports"))


def _forget_report(owner: Client, me: str, now: dt.datetime) -> None:
    owner.document(f"reports/{report_id(REPORTED, me)}").delete()


@scenario("reports: report alice's request", "create", _forget_report)
def _(ctx: Context) -> None:
    report = make_report(ctx.me, REPORTED, ctx.now)
    data = ctx.data(report, "createdAt")
    ctx.create_with_stamp(f"reports/{report_id(REPORTED, ctx.me)}", data, "lastReport")


@scenario("reports: resolve bob's report", "update")
def _(ctx: Context) -> None:
    ctx.db.document(f"reports/{report_id(REPORTED, 'bob')}").update(
        {"status": "dismissed", "details": DELETE_FIELD}
    )


@scenario("reports: delete bob's report", "delete")
def _(ctx: Context) -> None:
    ctx.db.document(f"reports/{report_id(REPORTED, 'bob')}").delete()


@scenario("case: read the case of bob's report", "get")
def _(ctx: Context) -> None:
    ctx.read(f"reports/{report_id(REPORTED, 'bob')}/private/case")


@scenario("case: read another private document of bob's report", "get")
def _(ctx: Context) -> None:
    ctx.read(f"reports/{report_id(REPORTED, 'bob')}/private/notes")


@scenario("case: query the cases assigned to oneself", "list")
def _(ctx: Context) -> None:
    ctx.query(_group(ctx, "private", ("assignedModeratorId", "==", ctx.me)))


@scenario("case: query the cases assigned to mona", "list")
def _(ctx: Context) -> None:
    ctx.query(_group(ctx, "private", ("assignedModeratorId", "==", "mona")))


@scenario("case: query every private document", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection_group("private"))


@scenario("case: query the cases naming alice as the reported author", "list")
def _(ctx: Context) -> None:
    ctx.query(_group(ctx, "private", ("targetOwnerId", "==", "alice")))


@scenario("case: rewrite the case of bob's report", "update")
def _(ctx: Context) -> None:
    ctx.db.document(f"reports/{report_id(REPORTED, 'bob')}/private/case").update(
        {"assignedModeratorId": ctx.me}
    )


@scenario("actions: read the report's log", "get")
def _(ctx: Context) -> None:
    ctx.read(f"reports/{report_id(REPORTED, 'bob')}/actions/a1")


@scenario("actions: list the report's log", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection(f"reports/{report_id(REPORTED, 'bob')}/actions"))


@scenario("actions: append to the report's log", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"reports/{report_id(REPORTED, 'bob')}/actions/a2").create(
        {"kind": "noteAdded", "actorRole": "moderator", "at": SERVER_TIMESTAMP}
    )


# ---- achievements and userAchievements -----------------------------------------------------


@scenario("achievements: read a visible achievement", "get")
def _(ctx: Context) -> None:
    ctx.read("achievements/ach-visible")


@scenario("achievements: read a hidden achievement", "get")
def _(ctx: Context) -> None:
    ctx.read("achievements/ach-hidden")


@scenario("achievements: query the visible catalog", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "achievements", ("hidden", "==", False)))


@scenario("achievements: query the whole catalog", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("achievements"))


@scenario("achievements: add an achievement", "create")
def _(ctx: Context) -> None:
    ctx.db.document("achievements/new").create({"name": "Easy points", "hidden": False})


@scenario("achievements: make a hidden achievement visible", "update")
def _(ctx: Context) -> None:
    ctx.db.document("achievements/ach-hidden").update({"hidden": False})


@scenario("achievements: delete an achievement", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("achievements/ach-visible").delete()


@scenario("userAchievements: read alice's progress", "get")
def _(ctx: Context) -> None:
    ctx.read("userAchievements/alice_ach-visible")


@scenario("userAchievements: query one's own progress", "list")
def _(ctx: Context) -> None:
    ctx.query(_where(ctx, "userAchievements", ("userId", "==", ctx.me)))


@scenario("userAchievements: acknowledge alice's notification", "update")
def _(ctx: Context) -> None:
    ctx.db.document("userAchievements/alice_ach-visible").update({"seenAt": SERVER_TIMESTAMP})


@scenario("userAchievements: award oneself an achievement", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"userAchievements/{ctx.me}_ach-hidden").create(
        {"userId": ctx.me, "achievementId": "ach-hidden"}
    )


@scenario("userAchievements: delete alice's progress", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("userAchievements/alice_ach-visible").delete()


# ---- analytics and systemSettings ----------------------------------------------------------


@scenario("analytics: read a day", "get")
def _(ctx: Context) -> None:
    ctx.read(f"analytics/{analytics_day(ctx.now)}")


@scenario("analytics: list the days", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("analytics"))


@scenario("analytics: read a counter shard", "get")
def _(ctx: Context) -> None:
    ctx.read(f"analytics/{analytics_day(ctx.now)}/shards/0")


@scenario("analytics: write a day", "create")
def _(ctx: Context) -> None:
    ctx.db.document("analytics/2020-01-01").create({"day": "2020-01-01"})


@scenario("analytics: correct a day", "update")
def _(ctx: Context) -> None:
    ctx.db.document(f"analytics/{analytics_day(ctx.now)}").update({"users.newUsers": 1000})


@scenario("analytics: delete a day", "delete")
def _(ctx: Context) -> None:
    ctx.db.document(f"analytics/{analytics_day(ctx.now)}").delete()


@scenario("settings: read the public settings", "get")
def _(ctx: Context) -> None:
    ctx.read("systemSettings/public")


@scenario("settings: read the moderation settings", "get")
def _(ctx: Context) -> None:
    ctx.read("systemSettings/moderation")


@scenario("settings: list the settings", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("systemSettings"))


@scenario("settings: add a settings document", "create")
def _(ctx: Context) -> None:
    ctx.db.document("systemSettings/payments").create({"enabled": True})


@scenario("settings: switch a feature flag", "update")
def _(ctx: Context) -> None:
    ctx.db.document("systemSettings/public").update({"featureFlags.payments": True})


@scenario("settings: delete the moderation settings", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("systemSettings/moderation").delete()


@scenario("leaderboards: read the all-time board", "get")
def _(ctx: Context) -> None:
    ctx.read("systemSettings/leaderboards/boards/allTime")


@scenario("leaderboards: read an entry", "get")
def _(ctx: Context) -> None:
    ctx.read("systemSettings/leaderboards/boards/allTime/entries/e1")


@scenario("leaderboards: query the top 100", "list")
def _(ctx: Context) -> None:
    entries = ctx.db.collection("systemSettings/leaderboards/boards/allTime/entries")
    ctx.query(entries.order_by("points", direction="DESCENDING").limit(100))


@scenario("nearMe: list twenty entries of the requests list", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("systemSettings/nearMe/nearbyRequests").limit(20))


@scenario("nearMe: list the requests list without a limit", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("systemSettings/nearMe/nearbyRequests"))


@scenario("nearMe: list one's own request near everyone", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"systemSettings/nearMe/nearbyRequests/{ctx.me}-r").create(
        {"key": "a", "cell": "u05kq6", "area": "u05kq"}
    )


@scenario("audit: read an entry of the audit log", "get")
def _(ctx: Context) -> None:
    ctx.read("systemSettings/audit/auditEntries/a1")


@scenario("audit: list the audit log", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("systemSettings/audit/auditEntries").limit(50))


@scenario("audit: write an entry into the audit log", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"systemSettings/audit/auditEntries/{ctx.me}-a").create(
        {"actor": ctx.me, "action": "nothing"}
    )


@scenario("leaderboards: put oneself on the board", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"systemSettings/leaderboards/boards/allTime/entries/{ctx.me}").create(
        {"alias": "Me", "points": 999_999}
    )


# ---- users/{id}/notifications, notificationInbox and devices ---------------------------------


def _own_notification(owner: Client, me: str, now: dt.datetime) -> None:
    """An unread notification of the actor's own, as `notify` writes it."""
    owner.document(f"users/{me}/notifications/n1").set(
        make_notification(me, now - dt.timedelta(hours=1)).to_firestore()
    )


def _own_device(owner: Client, me: str, now: dt.datetime) -> None:
    """A device the actor registered an hour ago."""
    past = now - dt.timedelta(hours=1)
    owner.document(f"users/{me}/devices/d1").set(
        {"token": f"{me}-token", "platform": "android", "createdAt": past, "lastSeenAt": past}
    )


@scenario("notifications: read alice's notification", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/notifications/n1")


@scenario("notifications: list alice's notifications", "list")
def _(ctx: Context) -> None:
    ctx.query(ctx.db.collection("users/alice/notifications").limit(20))


@scenario("notifications: mark alice's notification read", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/notifications/n1").update({"readAt": SERVER_TIMESTAMP})


@scenario("notifications: mark one's own notification read", "update", _own_notification)
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/notifications/n1").update({"readAt": SERVER_TIMESTAMP})


@scenario("notifications: backdate one's own read", "update", _own_notification)
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/notifications/n1").update(
        {"readAt": ctx.now - dt.timedelta(days=1)}
    )


@scenario("notifications: rewrite one's own notification", "update", _own_notification)
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/notifications/n1").update(
        {"readAt": SERVER_TIMESTAMP, "body": "You reached level 99."}
    )


@scenario("notifications: notify oneself", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/notifications/fake").create(
        make_notification(ctx.me, ctx.now).to_firestore()
    )


@scenario("notificationInbox: read alice's unread count", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/notificationInbox/summary")


@scenario("notificationInbox: reset alice's unread count", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/notificationInbox/summary").update({"unread": 0})


@scenario("devices: register one's own device", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/devices/new").create(
        {
            "token": f"{ctx.me}-new-token",
            "platform": "web",
            "createdAt": SERVER_TIMESTAMP,
            "lastSeenAt": SERVER_TIMESTAMP,
        }
    )


@scenario("devices: register a device for alice", "create")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/devices/planted").create(
        {
            "token": f"{ctx.me}-token-for-alice",
            "platform": "web",
            "createdAt": SERVER_TIMESTAMP,
            "lastSeenAt": SERVER_TIMESTAMP,
        }
    )


@scenario("devices: read alice's device token", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/devices/d1")


@scenario("devices: refresh one's own token", "update", _own_device)
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/devices/d1").update(
        {"token": f"{ctx.me}-fresh-token", "lastSeenAt": SERVER_TIMESTAMP}
    )


@scenario("devices: remove alice's device", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/devices/d1").delete()


# ---- blocks ------------------------------------------------------------------------------


@scenario("blocks: read alice's block", "get")
def _(ctx: Context) -> None:
    ctx.read("users/alice/blocks/mallory")


@scenario("blocks: list alice's blocks", "list")
def _(ctx: Context) -> None:
    list(ctx.db.collection("users/alice/blocks").stream())


@scenario("blocks: block alice", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/blocks/alice").create(
        {"memberId": "alice", "createdAt": SERVER_TIMESTAMP}
    )


@scenario("blocks: block a member in alice's name", "create")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/blocks/carol").create(
        {"memberId": "carol", "createdAt": SERVER_TIMESTAMP}
    )


@scenario("blocks: block one member filed under another", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/blocks/carol").create(
        {"memberId": "alice", "createdAt": SERVER_TIMESTAMP}
    )


@scenario("blocks: backdate a block", "create")
def _(ctx: Context) -> None:
    ctx.db.document(f"users/{ctx.me}/blocks/carol").create(
        {"memberId": "carol", "createdAt": ctx.now - dt.timedelta(days=3)}
    )


@scenario("blocks: change alice's block", "update")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/blocks/mallory").update({"memberId": "carol"})


@scenario("blocks: unblock alice's block", "delete")
def _(ctx: Context) -> None:
    ctx.db.document("users/alice/blocks/mallory").delete()
