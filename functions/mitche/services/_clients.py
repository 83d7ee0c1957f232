"""Lazy, cached SDK clients: nothing is created at import time, one client per project,
database and emulator address.

`google.cloud.firestore.Client` is used directly (not `firebase_admin.firestore.client()`, which
needs Application Default Credentials even against an emulator): it reads
`FIRESTORE_EMULATOR_HOST` itself and then talks to the emulator without credentials. The cache
key includes that variable, so a test that starts a new local server gets a new client.
"""

from __future__ import annotations

import os
import threading
from typing import Final

import firebase_admin
from google.cloud import firestore

__all__ = ["DEFAULT_DATABASE", "admin_app", "firestore_client", "project_id"]

DEFAULT_DATABASE: Final = "(default)"

_lock = threading.Lock()
_clients: dict[tuple[str | None, str, str | None], firestore.Client] = {}


def project_id() -> str | None:
    """The project the functions run in, as the runtime and the emulators announce it."""
    return os.environ.get("GOOGLE_CLOUD_PROJECT") or os.environ.get("GCLOUD_PROJECT")


def firestore_client(database: str = DEFAULT_DATABASE) -> firestore.Client:
    """The Firestore client of this process for `database`, created on first use."""
    key = (project_id(), database, os.environ.get("FIRESTORE_EMULATOR_HOST"))
    with _lock:
        client = _clients.get(key)
        if client is None:
            client = firestore.Client(project=key[0], database=database)
            _clients[key] = client
        return client


def admin_app() -> firebase_admin.App:
    """The default Firebase Admin app (what `firebase_functions` itself initialises), for
    Authentication calls; created on first use with the runtime's credentials."""
    with _lock:
        if firebase_admin._DEFAULT_APP_NAME not in firebase_admin._apps:
            options = {"projectId": project_id()} if project_id() else None
            return firebase_admin.initialize_app(options=options)
        return firebase_admin.get_app()
