"""Sealed values: AES-256-GCM with a fresh nonce per value, bound to where the value lives.

A sealed value is text, so it stores as an ordinary Firestore string and shows in the console
as what it is: `sealed:v1:<base64url(nonce ‖ ciphertext ‖ tag)>`. The associated data names the
document and field the value belongs to, so a value copied into another field or another
member's document fails authentication instead of decrypting there.
"""

from __future__ import annotations

import base64
import os
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mitche.errors import DataLossError, InvalidArgumentError

__all__ = ["KEY_BYTES", "SEALED_PREFIX", "is_sealed", "new_key", "open_bytes", "seal_bytes"]

KEY_BYTES: Final = 32
"""AES-256."""
NONCE_BYTES: Final = 12
"""The GCM nonce; random per value (2^32 values per key keep the collision risk negligible,
and a member key seals a few dozen)."""
SEALED_PREFIX: Final = "sealed:v1:"


def new_key() -> bytes:
    """A fresh random data key."""
    return AESGCM.generate_key(bit_length=KEY_BYTES * 8)


def seal_bytes(key: bytes, plaintext: bytes, context: str) -> str:
    """`plaintext` sealed under `key`, bound to `context` (document path and field)."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, plaintext, context.encode())
    return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")


def open_bytes(key: bytes, value: str, context: str) -> bytes:
    """The plaintext of a sealed value; DataLossError when it was altered, sealed under
    another key, or moved from the `context` it was sealed for."""
    if not is_sealed(value):
        raise InvalidArgumentError(f"not a sealed value (expected the {SEALED_PREFIX!r} prefix)")
    body = value.removeprefix(SEALED_PREFIX)
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except ValueError as error:
        raise DataLossError("a sealed value is not valid base64url", cause=error) from error
    if len(raw) < NONCE_BYTES + 16:
        raise DataLossError("a sealed value is truncated")
    try:
        return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except InvalidTag as error:
        raise DataLossError(
            f"a sealed value failed authentication for {context} "
            "(altered, moved, or sealed under another key)",
            cause=error,
        ) from error


def is_sealed(value: object) -> bool:
    """Whether `value` has the form of a sealed value."""
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)
