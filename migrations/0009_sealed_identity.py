"""Members' identities sealed at rest (issue 14): `users/{uid}/private/identity` held the legal
name, email, phone and exact home in the clear, written by the member's app; now the backend
seals each field under the member's data key (`mitche.sealing`) and members go through the
`set_identity` / `read_identity` callables.

`up` seals every field of an identity still in the clear, creating the member's data key
(`users/{uid}/private/dataKey`, wrapped by the deployment's key-encryption key, `MITCHE_PII_KEK`)
when they have none; an identity already sealed is left alone, so applying twice changes
nothing. The exact home is sealed as one value, the shape `set_identity` writes
(`{latitude, longitude, address, geohash}`). `down` opens the fields again into the legacy
shape (the data key stays: an erasure destroys it, a rollback does not).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from google.cloud.firestore_v1 import GeoPoint

from mitche.sealing import (
    is_sealed,
    kek_from_environment,
    new_data_key,
    open_value,
    seal_value,
    unwrap_data_key,
)

SCOPE = "users/{userId}/private/identity"
READS = ("users/{userId}/private/identity", "users/{userId}/private/dataKey")
WRITES = READS

# The fields as they were named when this migration was written (a migration is a record).
SEALED: Final = ("legalName", "email", "phone", "home")

Document = dict[str, Any]


def related(path: str) -> tuple[str, ...]:
    """The member's data key, beside their identity."""
    return (path.rsplit("/", 1)[0] + "/dataKey",)


def _paths(documents: Mapping[str, Document | None]) -> tuple[str, str, str]:
    identity = next(path for path in documents if path.endswith("/identity"))
    return identity, related(identity)[0], identity.split("/")[1]


def _plain_home(home: Mapping[str, Any]) -> dict[str, Any]:
    point = home.get("point")
    if isinstance(point, GeoPoint):
        latitude, longitude = point.latitude, point.longitude
    elif isinstance(point, Mapping):
        latitude, longitude = point["latitude"], point["longitude"]
    else:
        raise ValueError(f"a home without a point ({point!r}) cannot be sealed")
    found = {"latitude": latitude, "longitude": longitude, "geohash": home.get("geohash")}
    if home.get("address") is not None:
        found["address"] = home["address"]
    return found


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Seal an identity still in the clear."""
    identity_path, key_path, uid = _paths(documents)
    identity = documents[identity_path]
    if identity is None or not any(
        identity.get(name) is not None and not is_sealed(identity[name]) for name in SEALED
    ):
        return {}
    kek = kek_from_environment()
    stored_key = documents.get(key_path)
    changed: dict[str, Document | None] = {}
    if stored_key is None:
        key, made = new_data_key(uid, kek, dt.datetime.now(dt.UTC))
        changed[key_path] = made.model_dump(by_alias=True, exclude_none=True)
    else:
        key = unwrap_data_key(uid, stored_key, kek)
    sealed = dict(identity)
    for name in SEALED:
        value = identity.get(name)
        if value is None or is_sealed(value):
            continue
        plain = _plain_home(value) if name == "home" else value
        sealed[name] = seal_value(key, identity_path, name, plain)
    changed[identity_path] = sealed
    return changed


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Open a sealed identity into the legacy plaintext shape."""
    identity_path, key_path, uid = _paths(documents)
    identity, stored_key = documents[identity_path], documents.get(key_path)
    if identity is None or stored_key is None:
        return {}
    key = unwrap_data_key(uid, stored_key, kek_from_environment())
    opened = dict(identity)
    changed = False
    for name in SEALED:
        value = identity.get(name)
        if not isinstance(value, str) or not is_sealed(value):
            continue
        plain = open_value(key, identity_path, name, value)
        if name == "home":
            plain = {
                "point": GeoPoint(plain["latitude"], plain["longitude"]),
                "geohash": plain["geohash"],
                **({"address": plain["address"]} if "address" in plain else {}),
            }
        opened[name] = plain
        changed = True
    return {identity_path: opened} if changed else {}
