"""The server tests use the fixtures of the Firestore pytest plugin they test.

`pytest_plugins` is only allowed in the rootdir's conftest, so the fixtures are imported here
until the plugin is registered project-wide.
"""

from firelab.pytest_plugin import (
    admin_firestore,
    anonymous_async_client,
    anonymous_client,
    firebase_admin_app,
    firestore_clear,
    firestore_project,
    firestore_server,
    owner_async_client,
    owner_client,
    user_async_client,
    user_client,
)

__all__ = [
    "admin_firestore",
    "anonymous_async_client",
    "anonymous_client",
    "firebase_admin_app",
    "firestore_clear",
    "firestore_project",
    "firestore_server",
    "owner_async_client",
    "owner_client",
    "user_async_client",
    "user_client",
]
