"""A local Cloud Storage for Firebase server that the real SDKs talk to unchanged.

The Firebase Storage API the client SDKs use (`/v0`, storage.rules enforced through
`firelab.rules`, `firestore.get()` reading a Firestore emulator), the Cloud Storage JSON API of
the server SDKs (`/storage/v1`, `/upload/storage/v1`, `/download/storage/v1`, rules bypassed),
and the official emulator's own endpoints (`/internal/setRules`, `/internal/reset`,
`/internal/export`) on one port. Run it with `python -m firelab.storage`, or in-process with
`StorageServer(...).start()`; `subscribe()` feeds object changes to a trigger runtime.
"""

from firelab.storage._access import Caller, RulesIssue, StorageRules, caller_from_header
from firelab.storage._firestore_lookup import FirestoreRestDocuments
from firelab.storage._objects import ObjectMetadata, StoredObject
from firelab.storage._server import StorageServer, default_bucket
from firelab.storage._shapes import cloud_metadata, firebase_metadata
from firelab.storage._store import ChangeKind, ListPage, ObjectChange, ObjectStore

__all__ = [
    "Caller",
    "ChangeKind",
    "FirestoreRestDocuments",
    "ListPage",
    "ObjectChange",
    "ObjectMetadata",
    "ObjectStore",
    "RulesIssue",
    "StorageRules",
    "StorageServer",
    "StoredObject",
    "caller_from_header",
    "cloud_metadata",
    "default_bucket",
    "firebase_metadata",
]
