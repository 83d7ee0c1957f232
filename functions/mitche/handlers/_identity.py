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

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Final, Self

import pygeohash
from google.cloud import firestore
from pydantic import Field, model_validator

from mitche.callables import ANY_MEMBER, Actor, CallableSpec
from mitche.errors import DataLossError, ErrorCode, NotFoundError, PermissionDeniedError
from mitche.handler_names import HandlerName
from mitche.handlers._context import Deps
from mitche.models import EXACT_GEOHASH_PRECISION, MitcheModel, Role, SealedIdentity, Uid
from mitche.models.common import EmailAddress, PhoneNumber
from mitche.sealing import (
    data_key_path,
    kek_from_environment,
    new_data_key,
    open_value,
    seal_value,
    unwrap_data_key,
)
from mitche.services import Unit, from_document, log_info, run_transaction

__all__ = [
    "READ_IDENTITY",
    "SET_IDENTITY",
    "IdentityRead",
    "IdentityReadRequest",
    "IdentitySet",
    "IdentityWrite",
    "identity_in_clear",
    "identity_path",
    "store_identity",
]

_FIELDS: Final = {"legalName": "legal_name", "email": "email", "phone": "phone", "home": "home"}
"""Sealed fields: stored name → model attribute."""


def identity_path(uid: str) -> str:
    """Where a member's sealed identity lives."""
    return f"users/{uid}/private/identity"


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


def _opened(unit: Unit, uid: str) -> dict[str, Any] | None:
    found = unit.get_all([identity_path(uid), data_key_path(uid)])
    return identity_in_clear(uid, found[identity_path(uid)], found[data_key_path(uid)])


def identity_in_clear(
    uid: str, stored_identity: Mapping[str, Any] | None, stored_key: Mapping[str, Any] | None
) -> dict[str, Any] | None:
    """The identity of the stored documents in the clear (camelCase, as `read_identity`
    answers), or None when there is none. Callers check the audience."""
    if stored_identity is None:
        return None
    if stored_key is None:
        raise DataLossError(f"member {uid} has no data key: their identity cannot be opened")
    stored = from_document(SealedIdentity, stored_identity)
    key = unwrap_data_key(uid, stored_key, kek_from_environment())
    opened: dict[str, Any] = {"uid": uid, "updatedAt": stored.updated_at.isoformat()}
    for name, attribute in _FIELDS.items():
        value = getattr(stored, attribute)
        if value is None:
            continue
        plain = open_value(key, identity_path(uid), name, value)
        if name == "home":
            opened.update({f"home{part[0].upper()}{part[1:]}": v for part, v in plain.items()})
        else:
            opened[name] = plain
    return opened


def _sealed(given: IdentityWrite) -> dict[str, Any]:
    """The fields to seal: the exact home's parts (and its geohash) sealed as one value."""
    plain = given.model_dump(by_alias=True, exclude_none=True)
    home = {
        name.removeprefix("home")[0].lower() + name.removeprefix("home")[1:]: plain.pop(name)
        for name in list(plain)
        if name.startswith("home")
    }
    if home:
        home["geohash"] = pygeohash.encode(
            home["latitude"], home["longitude"], EXACT_GEOHASH_PRECISION
        )
        plain["home"] = home
    return plain


def store_identity(
    client: firestore.Client, uid: str, given: IdentityWrite, now: dt.datetime
) -> bool:
    """Seal and store (or, with no field, delete) a member's identity, making their data key
    on first use: what `set_identity` does once the caller is authorised, and what the demo
    seed does for its members. True when stored, False when deleted."""
    plain = _sealed(given)

    def work(unit: Unit) -> None:
        if not plain:
            unit.delete(identity_path(uid))
            return
        stored_key = unit.get(data_key_path(uid))
        kek = kek_from_environment()
        if stored_key is None:
            key, made = new_data_key(uid, kek, now)
            unit.create(data_key_path(uid), made)
        else:
            key = unwrap_data_key(uid, stored_key, kek)
        sealed = {
            name: seal_value(key, identity_path(uid), name, value) for name, value in plain.items()
        }
        unit.set(identity_path(uid), SealedIdentity.model_validate({**sealed, "updatedAt": now}))

    run_transaction(client, HandlerName.IDENTITY_SET, work)
    if plain:
        log_info("identity sealed", uid=uid, fields=sorted(plain))
    else:
        log_info("identity deleted", uid=uid)
    return bool(plain)


def _set(deps: Deps, actor: Actor, given: IdentityWrite) -> IdentitySet:
    if not actor.email_verified:
        raise PermissionDeniedError("verify your email address before giving your identity")
    now = deps.now()
    if not store_identity(deps.client, actor.uid, given, now):
        return IdentitySet(deleted=True)
    return IdentitySet(deleted=False, updated_at=now.isoformat())


def _read(deps: Deps, actor: Actor, request: IdentityReadRequest) -> IdentityRead:
    uid = request.uid

    def work(unit: Unit) -> dict[str, Any] | None:
        if (
            actor.uid != uid
            and actor.role is not Role.ADMIN
            and unit.get(f"users/{uid}/revealGrants/{actor.uid}") is None
        ):
            raise PermissionDeniedError("only the member and counterparts of a completed reveal")
        return _opened(unit, uid)

    found = run_transaction(deps.client, HandlerName.IDENTITY_READ, work)
    if found is None:
        raise NotFoundError("this member has not given an identity")
    return IdentityRead.model_validate(found)


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
