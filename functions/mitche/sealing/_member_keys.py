"""Each member's data key, kept wrapped in Firestore, and the fields sealed under it."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from google.api_core import exceptions as api_exceptions
from google.cloud import firestore

from mitche.errors import DataLossError
from mitche.models import MemberDataKey
from mitche.sealing._aead import new_key, open_bytes, seal_bytes
from mitche.sealing._kek import KeyEncryptionKey, WrappedKey
from mitche.services import from_document, to_document

__all__ = [
    "DATA_KEY_DOCUMENT",
    "MemberKeys",
    "data_key_path",
    "new_data_key",
    "open_value",
    "seal_value",
    "unwrap_data_key",
]

DATA_KEY_DOCUMENT: Final = "private/dataKey"


def data_key_path(uid: str) -> str:
    """Where a member's wrapped data key lives."""
    return f"users/{uid}/{DATA_KEY_DOCUMENT}"


class MemberKeys:
    """Seals and opens a member's personal fields with their data key (envelope encryption:
    the data key is stored wrapped by the key-encryption key, never in the clear)."""

    def __init__(
        self,
        client: firestore.Client,
        kek: KeyEncryptionKey,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._client = client
        self._kek = kek
        self._now = now

    def seal_fields(
        self, uid: str, document_path: str, values: Mapping[str, Any]
    ) -> dict[str, str | None]:
        """Each value JSON-encoded and sealed, bound to its document and field; None stays
        None (an absent field has nothing to protect)."""
        key = self._data_key(uid, create=True)
        return {
            name: None if value is None else seal_value(key, document_path, name, value)
            for name, value in values.items()
        }

    def open_fields(
        self, uid: str, document_path: str, sealed: Mapping[str, str | None]
    ) -> dict[str, Any]:
        """The plaintext values of sealed fields; DataLossError when the member's key was
        destroyed or a value was altered or moved."""
        if all(value is None for value in sealed.values()):
            return dict.fromkeys(sealed)
        key = self._data_key(uid, create=False)
        return {
            name: None if value is None else open_value(key, document_path, name, value)
            for name, value in sealed.items()
        }

    def stale(self, uid: str) -> bool:
        """Whether the member's data key is wrapped by an older key-encryption key version
        (what `rewrap` would change); False when the member has no key."""
        snapshot = self._client.document(data_key_path(uid)).get()
        if not snapshot.exists:
            return False
        stored = from_document(MemberDataKey, snapshot.to_dict() or {})
        return stored.kek_version != self._kek.current_version()

    def rewrap(self, uid: str) -> bool:
        """Re-wraps the member's data key with the current key-encryption key version (the
        sealed data is untouched); False when it already was, or the member has no key."""
        reference = self._client.document(data_key_path(uid))
        snapshot = reference.get()
        if not snapshot.exists:
            return False
        stored = from_document(MemberDataKey, snapshot.to_dict() or {})
        current = self._kek.current_version()
        if stored.kek_version == current:
            return False
        context = data_key_path(uid)
        key = self._kek.unwrap(_wrapped(stored), context)
        fresh = self._kek.wrap(key, context)
        reference.update(
            {
                "wrappedKey": _b64(fresh.wrapped),
                "kekVersion": fresh.version,
                "rewrappedAt": self._now(),
            },
            option=self._client.write_option(last_update_time=snapshot.update_time),
        )
        return True

    def destroy(self, uid: str) -> None:
        """Deletes the member's data key: whatever was sealed for them can no longer be read
        (crypto-shredding; erasure calls it)."""
        self._client.document(data_key_path(uid)).delete()

    def _data_key(self, uid: str, *, create: bool) -> bytes:
        reference = self._client.document(data_key_path(uid))
        snapshot = reference.get()
        if not snapshot.exists:
            if not create:
                raise DataLossError(
                    f"member {uid} has no data key (erased, or never sealed anything)"
                )
            key, stored = new_data_key(uid, self._kek, self._now())
            try:
                reference.create(to_document(stored, self._client))
                return key
            except (api_exceptions.AlreadyExists, api_exceptions.Conflict):
                snapshot = reference.get()  # a concurrent first write made it: use that one
        return unwrap_data_key(uid, snapshot.to_dict() or {}, self._kek)


def new_data_key(uid: str, kek: KeyEncryptionKey, now: dt.datetime) -> tuple[bytes, MemberDataKey]:
    """A fresh data key for the member, and the document that stores it wrapped."""
    key = new_key()
    wrapped = kek.wrap(key, data_key_path(uid))
    return key, MemberDataKey(
        wrapped_key=_b64(wrapped.wrapped), kek_version=wrapped.version, created_at=now
    )


def unwrap_data_key(uid: str, stored: Mapping[str, Any], kek: KeyEncryptionKey) -> bytes:
    """The member's data key from its stored document."""
    return kek.unwrap(_wrapped(from_document(MemberDataKey, stored)), data_key_path(uid))


def seal_value(key: bytes, document_path: str, field: str, value: Any) -> str:
    """One field's value JSON-encoded and sealed, bound to its document and name."""
    return seal_bytes(key, _json(value), _context(document_path, field))


def open_value(key: bytes, document_path: str, field: str, sealed: str) -> Any:
    """The value of one sealed field."""
    return json.loads(open_bytes(key, sealed, _context(document_path, field)))


def _wrapped(stored: MemberDataKey) -> WrappedKey:
    raw = stored.wrapped_key
    return WrappedKey(stored.kek_version, base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))


def _context(document_path: str, field: str) -> str:
    """What a sealed field is bound to: its document and its name."""
    return f"{document_path}#{field}"


def _json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True).encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
