"""Personal data sealed at rest by the backend (envelope encryption).

What is sealed: the fields that identify a member beyond their alias — legal name, email,
phone, exact home — in `users/{uid}/private/identity`. Aliases, coarse areas and public
profiles are not personal beyond the platform and stay readable to the rules.

How: each member has a random AES-256 data key; every field is sealed with AES-256-GCM under
it (fresh nonce, the document path and field name as associated data). The data key is stored
in `users/{uid}/private/dataKey` only wrapped by the deployment's key-encryption key: a Cloud
KMS key in production, a local keyring file in the local stack (`mitche.sealing._kek`).

Threat model.
* Protects against: a leaked Firestore export or backup, a console user or a service without
  KMS decrypt permission reading the documents, a rules mistake exposing `private/identity`
  (clients never read or write it: members go through `set_identity` / `read_identity`, which
  apply the same audience as the reveal rules and append an audit entry when someone other than
  the member reads), and a sealed value copied into another member's document or field (it fails
  authentication there). Erasure deletes the member's data key, so copies that survive in
  backups become unreadable (crypto-shredding).
* Does not protect against: code running as the functions' service account with KMS decrypt
  permission (it can unwrap any key), or a member's counterpart keeping what a completed reveal
  showed them.
* The split: members send identity to a callable because the rules cannot encrypt; the
  callable validates the shape with the same model the rules would have used (`Identity`), so a
  member gets a clear `invalid-argument` rather than a silent drop, and the plaintext is never
  stored.
* Key rotation: rotating the key-encryption key (a new primary version in KMS, `rotate` on a
  local keyring) then `rewrap` for each member re-wraps the data keys; sealed data is not
  re-encrypted.

End-to-end encrypted messages are different: clients seal them with keys the backend never
holds (see `mitche.models.messages` and the client library's `e2e` module).
"""

from mitche.sealing._aead import SEALED_PREFIX, is_sealed, new_key, open_bytes, seal_bytes
from mitche.sealing._kek import (
    KEK_ENVIRONMENT,
    CloudKmsKek,
    KeyEncryptionKey,
    LocalKeyring,
    WrappedKey,
    kek_from_environment,
    kek_from_uri,
)
from mitche.sealing._member_keys import (
    DATA_KEY_DOCUMENT,
    MemberKeys,
    data_key_path,
    new_data_key,
    open_value,
    seal_value,
    unwrap_data_key,
)

__all__ = [
    "DATA_KEY_DOCUMENT",
    "KEK_ENVIRONMENT",
    "SEALED_PREFIX",
    "CloudKmsKek",
    "KeyEncryptionKey",
    "LocalKeyring",
    "MemberKeys",
    "WrappedKey",
    "data_key_path",
    "is_sealed",
    "kek_from_environment",
    "kek_from_uri",
    "new_data_key",
    "new_key",
    "open_bytes",
    "open_value",
    "seal_bytes",
    "seal_value",
    "unwrap_data_key",
]
