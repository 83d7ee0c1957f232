"""A local Firestore server that the real Firebase SDKs talk to unchanged.

gRPC (`google.firestore.v1.Firestore`, v1beta1 too), WebChannel (the web SDK's transport in a
browser), the REST API and the emulator's own HTTP endpoints share one port, as on the official
emulator. Identity follows the emulator
(`Bearer owner` bypasses rules, unsigned JWTs are end users); every other request is decided by
an `AccessPolicy`. Run it with `python -m firelab.server`, or in-process with
`FirestoreServer(...).start()`.
"""

from firelab.server._access import (
    ALLOW_ALL,
    AccessControl,
    AccessPolicy,
    AccessRequest,
    AllowAll,
    Decision,
    Operation,
)
from firelab.server._identity import ANONYMOUS, OWNER, Identity, identify
from firelab.server._request_log import JudgedRequest, RequestLog
from firelab.server._server import FirestoreServer
from firelab.server._user_clients import UserClients, UserTokenCredentials

__all__ = [
    "ALLOW_ALL",
    "ANONYMOUS",
    "OWNER",
    "AccessControl",
    "AccessPolicy",
    "AccessRequest",
    "AllowAll",
    "Decision",
    "FirestoreServer",
    "Identity",
    "JudgedRequest",
    "Operation",
    "RequestLog",
    "UserClients",
    "UserTokenCredentials",
    "identify",
]
