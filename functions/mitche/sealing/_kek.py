"""Key-encryption keys: what wraps each member's data key.

Production wraps data keys with a Cloud KMS key (the key never leaves KMS; rotating it there makes
a new primary version, and `rewrap` moves data keys onto it). The local stack and tests wrap them
with a keyring file of AES-256 keys, the same envelope with a key we hold. One URI, the
`MITCHE_PII_KEK` environment variable (set per project in `functions/.env.<project>`), selects
the implementation:

* `gcp-kms://projects/P/locations/L/keyRings/R/cryptoKeys/K`: Cloud KMS;
* `local-keyring:///absolute/path.json`: a keyring file, created on first use.

Unset, the functions refuse to seal anything in production and use a per-project keyring in
the temporary directory when they run against an emulator (`FIRESTORE_EMULATOR_HOST`), so the
local stack works with no setup and production never silently uses a local key.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from mitche.errors import FailedPreconditionError, InvalidArgumentError
from mitche.sealing._aead import KEY_BYTES, new_key, open_bytes, seal_bytes

__all__ = [
    "KEK_ENVIRONMENT",
    "CloudKmsKek",
    "KeyEncryptionKey",
    "LocalKeyring",
    "WrappedKey",
    "kek_from_environment",
    "kek_from_uri",
]

KEK_ENVIRONMENT: Final = "MITCHE_PII_KEK"
_KMS_SCHEME: Final = "gcp-kms://"
_LOCAL_SCHEME: Final = "local-keyring://"


@dataclass(frozen=True, slots=True)
class WrappedKey:
    """A data key as stored: wrapped, with the key-encryption key version that wrapped it."""

    version: str
    wrapped: bytes


class KeyEncryptionKey(Protocol):
    """Wraps and unwraps data keys; never hands out its own key material."""

    def current_version(self) -> str:
        """The version new wraps use (rewrap moves older wraps onto it)."""
        ...

    def wrap(self, data_key: bytes, context: str) -> WrappedKey:
        """`data_key` wrapped with the current version, bound to `context`."""
        ...

    def unwrap(self, wrapped: WrappedKey, context: str) -> bytes:
        """The data key; DataLossError when the wrap was altered or bound elsewhere."""
        ...


class LocalKeyring:
    """Versioned AES-256 keys in a JSON file (local stack and tests only)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()

    def current_version(self) -> str:
        return str(self._load()["current"])

    def wrap(self, data_key: bytes, context: str) -> WrappedKey:
        ring = self._load()
        version = str(ring["current"])
        sealed = seal_bytes(self._key(ring, version), data_key, context)
        return WrappedKey(version, sealed.encode())

    def unwrap(self, wrapped: WrappedKey, context: str) -> bytes:
        key = self._key(self._load(), wrapped.version)
        return open_bytes(key, wrapped.wrapped.decode(), context)

    def rotate(self) -> str:
        """Adds a new key version and makes it current; older versions stay to unwrap."""
        with self._lock:
            ring = self._load()
            version = f"local-{len(ring['keys']) + 1}"
            ring["keys"][version] = _b64(new_key())
            ring["current"] = version
            self._write(ring)
            return version

    def _key(self, ring: dict[str, Any], version: str) -> bytes:
        encoded = ring["keys"].get(version)
        if encoded is None:
            raise FailedPreconditionError(f"the keyring {self.path} has no key {version!r}")
        key = base64.urlsafe_b64decode(encoded)
        if len(key) != KEY_BYTES:
            raise FailedPreconditionError(f"key {version!r} of {self.path} is not 32 bytes")
        return key

    def _load(self) -> dict[str, Any]:
        with self._lock:
            if not self.path.exists():
                self._write(
                    {
                        "purpose": "Mitché key-encryption keys for the local stack; never in "
                        "production (see mitche.sealing)",
                        "current": "local-1",
                        "keys": {"local-1": _b64(new_key())},
                    }
                )
            ring: dict[str, Any] = json.loads(self.path.read_text())
            return ring

    def _write(self, ring: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
        temporary.write_text(json.dumps(ring, indent=2))
        temporary.chmod(0o600)
        temporary.replace(self.path)


class CloudKmsKek:
    """A Cloud KMS symmetric key (production): wraps through the KMS API, so the key-encryption
    key never exists outside KMS and destroying its versions makes every wrap unreadable."""

    def __init__(self, key_name: str) -> None:
        self.key_name = key_name
        self._client: Any = None

    def current_version(self) -> str:
        return str(self._kms().get_crypto_key(name=self.key_name).primary.name)

    def wrap(self, data_key: bytes, context: str) -> WrappedKey:
        response = self._kms().encrypt(
            request={
                "name": self.key_name,
                "plaintext": data_key,
                "additional_authenticated_data": context.encode(),
            }
        )
        return WrappedKey(str(response.name), bytes(response.ciphertext))

    def unwrap(self, wrapped: WrappedKey, context: str) -> bytes:
        response = self._kms().decrypt(
            request={
                "name": self.key_name,
                "ciphertext": wrapped.wrapped,
                "additional_authenticated_data": context.encode(),
            }
        )
        return bytes(response.plaintext)

    def _kms(self) -> Any:
        if self._client is None:
            import google.cloud.kms as kms  # imported on first use: only production needs it

            self._client = kms.KeyManagementServiceClient()
        return self._client


def kek_from_uri(uri: str) -> KeyEncryptionKey:
    """The key-encryption key a URI names (see the module docstring)."""
    if uri.startswith(_KMS_SCHEME):
        name = uri.removeprefix(_KMS_SCHEME)
        parts = name.split("/")
        if len(parts) != 8 or parts[0::2] != ["projects", "locations", "keyRings", "cryptoKeys"]:
            raise InvalidArgumentError(
                f"{uri!r}: expected gcp-kms://projects/P/locations/L/keyRings/R/cryptoKeys/K"
            )
        return CloudKmsKek(name)
    if uri.startswith(_LOCAL_SCHEME):
        path = Path(uri.removeprefix(_LOCAL_SCHEME))
        if not path.is_absolute():
            raise InvalidArgumentError(f"{uri!r}: a local keyring needs an absolute path")
        return LocalKeyring(path)
    raise InvalidArgumentError(
        f"{KEK_ENVIRONMENT}={uri!r}: expected a gcp-kms:// or local-keyring:// URI"
    )


_cache: dict[str, KeyEncryptionKey] = {}
_cache_lock = threading.Lock()


def kek_from_environment() -> KeyEncryptionKey:
    """The deployment's key-encryption key (see the module docstring)."""
    uri = os.environ.get(KEK_ENVIRONMENT)
    if not uri:
        if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
            raise FailedPreconditionError(
                f"{KEK_ENVIRONMENT} is not set: personal data cannot be sealed "
                "(set it to the Cloud KMS key in functions/.env.<project>)"
            )
        project = os.environ.get("GOOGLE_CLOUD_PROJECT") or os.environ.get("GCLOUD_PROJECT")
        path = Path(tempfile.gettempdir()) / f"mitche-dev-keyring-{project or 'local'}.json"
        uri = _LOCAL_SCHEME + str(path)
    with _cache_lock:
        if uri not in _cache:
            _cache[uri] = kek_from_uri(uri)
        return _cache[uri]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()
