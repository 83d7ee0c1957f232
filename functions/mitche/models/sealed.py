"""Documents that hold personal data sealed by the backend, and the members' public keys for
end-to-end encrypted conversations (see `mitche.sealing` for the threat model).

* `users/{userId}/private/identity` (`SealedIdentity`): legal name, contact and exact home,
  each field sealed under the member's data key. Members write it through the `set_identity`
  callable and read it (theirs, or a counterpart's after a completed reveal) through
  `read_identity`; no client reads or writes the document itself.
* `users/{userId}/private/dataKey` (`MemberDataKey`): the member's data key, wrapped by the
  deployment's key-encryption key (Cloud KMS in production). Functions only. Deleting it makes
  everything sealed for the member unreadable (erasure destroys it).
* `users/{userId}/publicKeys/{keyId}` (`PublicKey`): a device's X25519 public key, published
  by the member so others can seal messages to them; the private key never leaves the device.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Final

from pydantic import Field

from mitche.models._base import CLIENT_CREATE, SERVER, MitcheModel, Timestamp

__all__ = [
    "E2E_KEY_ALGORITHM",
    "KeyAlgorithm",
    "MemberDataKey",
    "PublicKey",
    "SealedIdentity",
    "SealedText",
]

SealedText = Annotated[str, Field(pattern=r"^sealed:v1:[A-Za-z0-9_-]{38,4000}$")]
"""A value sealed by `mitche.sealing` (`sealed:v1:` + base64url of nonce, ciphertext, tag)."""

Base64Url = Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]

E2E_KEY_ALGORITHM: Final = "X25519"


class KeyAlgorithm(StrEnum):
    """Key agreement algorithms a published key may use."""

    X25519 = "X25519"


class SealedIdentity(MitcheModel):
    """Who the member really is, sealed: `users/{userId}/private/identity`."""

    legal_name: Annotated[SealedText | None, SERVER] = None
    """Full legal name, sealed."""
    email: Annotated[SealedText | None, SERVER] = None
    """Contact email, sealed."""
    phone: Annotated[SealedText | None, SERVER] = None
    """Contact phone (E.164), sealed."""
    home: Annotated[SealedText | None, SERVER] = None
    """Exact home (point, geohash, address as JSON), sealed."""
    updated_at: Annotated[Timestamp, SERVER]
    """When the member last changed it."""


class MemberDataKey(MitcheModel):
    """A member's data key, wrapped: `users/{userId}/private/dataKey`."""

    wrapped_key: Annotated[Base64Url, Field(max_length=2000), SERVER]
    """The data key wrapped by the key-encryption key (base64url)."""
    kek_version: Annotated[str, Field(min_length=1, max_length=300), SERVER]
    """Key-encryption key version that wrapped it (a Cloud KMS key version name in
    production); rotation re-wraps keys whose version is not the current one."""
    created_at: Annotated[Timestamp, SERVER]
    """When the key was made (on the member's first sealed write)."""
    rewrapped_at: Annotated[Timestamp | None, SERVER] = None
    """When the key was last re-wrapped by a rotation."""


class PublicKey(MitcheModel):
    """A device's public key for end-to-end encrypted messages:
    `users/{userId}/publicKeys/{keyId}`."""

    algorithm: Annotated[KeyAlgorithm, CLIENT_CREATE]
    """Key agreement algorithm."""
    public_key: Annotated[Base64Url, Field(min_length=43, max_length=43), CLIENT_CREATE]
    """The raw 32-byte X25519 public key, base64url without padding."""
    label: Annotated[Annotated[str, Field(min_length=1, max_length=60)] | None, CLIENT_CREATE] = (
        None
    )
    """The member's name for the device ("phone")."""
    created_at: Annotated[Timestamp, CLIENT_CREATE]
    """When the key was published (the server's time)."""
