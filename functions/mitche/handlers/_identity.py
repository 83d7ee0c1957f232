"""A member's identity, sealed at rest: written and read only through callables.

* `set_identity`: the member gives their legal name, contact and exact home; each field is
  checked (the constraints the rules checked when clients wrote the document themselves), sealed
  under the member's data key (`mitche.sealing`) and stored in `users/{uid}/private/identity`.
  Sending no field at all deletes the document. Like every member write, it needs a verified
  email.
* `read_identity`: the audience of the reveal rules — the member, an admin, or a counterpart for
  whom the reveal completed (`users/{uid}/revealGrants/{caller}` exists) — gets the identity in
  the clear; anyone else is refused without learning whether one exists. Every read is audited
  (the audit log records who read whose identity, never the identity itself).

The identity is never stored in the clear, so no client reads the document itself.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Self

import pygeohash
from pydantic import Field, model_validator

from mitche.callables import ANY_MEMBER, Actor, CallableSpec
from mitche.errors import ErrorCode, NotFoundError, PermissionDeniedError
from mitche.handlers._context import Deps
from mitche.models import EXACT_GEOHASH_PRECISION, MitcheModel, Role, SealedIdentity, Uid
from mitche.models.common import EmailAddress, PhoneNumber
from mitche.sealing import MemberKeys, kek_from_environment
from mitche.services import from_document, log_info, to_document

__all__ = [
    "CALLABLES",
    "READ_IDENTITY",
    "SET_IDENTITY",
    "IdentityRead",
    "IdentityReadRequest",
    "IdentitySet",
    "IdentityWrite",
    "identity_path",
    "member_keys",
    "open_identity",
]

_FIELDS: Final = {"legalName": "legal_name", "email": "email", "phone": "phone", "home": "home"}
"""Sealed fields: stored name → model attribute."""


def identity_path(uid: str) -> str:
    """Where a member's sealed identity lives."""
    return f"users/{uid}/private/identity"


def member_keys(deps: Deps) -> MemberKeys:
    """The member keys of the deployment (its configured key-encryption key)."""
    return MemberKeys(deps.client, kek_from_environment(), deps.now)


class IdentityWrite(MitcheModel):
    """What a member sends to `set_identity` (every field optional; none at all deletes). The
    exact home is a latitude and longitude (both or neither) with an optional address."""

    legal_name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None
    home_latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    home_longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    home_address: Annotated[str, Field(min_length=1, max_length=300)] | None = None

    @model_validator(mode="after")
    def _home_is_a_point(self) -> Self:
        if (self.home_latitude is None) != (self.home_longitude is None):
            raise ValueError("homeLatitude and homeLongitude go together")
        if self.home_address is not None and self.home_latitude is None:
            raise ValueError("homeAddress needs homeLatitude and homeLongitude")
        return self


class IdentitySet(MitcheModel):
    """What `set_identity` answers."""

    deleted: bool
    """Whether the call deleted the identity (no field was given)."""
    updated_at: str | None = None
    """When it was stored (ISO 8601)."""


class IdentityReadRequest(MitcheModel):
    """Whose identity to read."""

    uid: Uid


class IdentityRead(IdentityWrite):
    """A member's identity in the clear."""

    uid: Uid
    home_geohash: str | None = None
    """The exact home's 9-character geohash."""
    updated_at: str
    """When the member last changed it (ISO 8601)."""


def open_identity(deps: Deps, uid: str) -> dict[str, Any] | None:
    """The member's identity in the clear (camelCase), or None when they gave none; for the
    member's own uses (their data export). Callers check the audience."""
    snapshot = deps.client.document(identity_path(uid)).get()
    if not snapshot.exists:
        return None
    stored = from_document(SealedIdentity, snapshot.to_dict() or {})
    sealed = {name: getattr(stored, attribute) for name, attribute in _FIELDS.items()}
    plain = member_keys(deps).open_fields(uid, identity_path(uid), sealed)
    home = plain.pop("home", None) or {}
    return {
        **{name: value for name, value in plain.items() if value is not None},
        **{f"home{part[0].upper()}{part[1:]}": value for part, value in home.items()},
        "uid": uid,
        "updatedAt": stored.updated_at.isoformat(),
    }


def _stored(plain: dict[str, Any]) -> dict[str, Any]:
    """The sealed fields of the document: the exact home's parts sealed as one value."""
    home = {
        name.removeprefix("home")[0].lower() + name.removeprefix("home")[1:]: plain.pop(name)
        for name in list(plain)
        if name.startswith("home")
    }
    return {**{name: plain.get(name) for name in _FIELDS if name != "home"}, "home": home or None}


def _set(deps: Deps, actor: Actor, given: IdentityWrite) -> IdentitySet:
    if not actor.email_verified:
        raise PermissionDeniedError("verify your email address before giving your identity")
    reference = deps.client.document(identity_path(actor.uid))
    plain = given.model_dump(by_alias=True, exclude_none=True)
    if not plain:
        reference.delete()
        log_info("identity deleted", uid=actor.uid)
        return IdentitySet(deleted=True)
    if given.home_latitude is not None and given.home_longitude is not None:
        plain["homeGeohash"] = pygeohash.encode(
            given.home_latitude, given.home_longitude, EXACT_GEOHASH_PRECISION
        )
    sealed = member_keys(deps).seal_fields(actor.uid, identity_path(actor.uid), _stored(plain))
    stored = SealedIdentity.model_validate({**sealed, "updatedAt": deps.now()})
    reference.set(to_document(stored, deps.client))
    log_info("identity sealed", uid=actor.uid, fields=sorted(plain))
    return IdentitySet(deleted=False, updated_at=stored.updated_at.isoformat())


def _read(deps: Deps, actor: Actor, request: IdentityReadRequest) -> IdentityRead:
    uid = request.uid
    if actor.uid != uid and not _counterpart_or_admin(deps, actor, uid):
        raise PermissionDeniedError("only the member and counterparts of a completed reveal")
    found = open_identity(deps, uid)
    if found is None:
        raise NotFoundError("this member has not given an identity")
    return IdentityRead.model_validate(found)


def _counterpart_or_admin(deps: Deps, actor: Actor, uid: str) -> bool:
    if actor.role is Role.ADMIN:
        return True
    return bool(deps.client.document(f"users/{uid}/revealGrants/{actor.uid}").get().exists)


SET_IDENTITY: Final = CallableSpec(
    name="set_identity",
    request=IdentityWrite,
    response=IdentitySet,
    roles=ANY_MEMBER,
    handler=_set,
    summary="A member gives (or, with no field, deletes) their identity, sealed at rest.",
)
READ_IDENTITY: Final = CallableSpec(
    name="read_identity",
    request=IdentityReadRequest,
    response=IdentityRead,
    roles=ANY_MEMBER,
    handler=_read,
    summary="The member, an admin or a revealed counterpart reads an identity in the clear.",
    codes=(ErrorCode.NOT_FOUND,),
    target=lambda request: identity_path(request.uid),
    audited=True,
)
CALLABLES: Final = (SET_IDENTITY, READ_IDENTITY)
"""The callables this module declares (mitche.callables.CALLABLE_MODULES)."""
