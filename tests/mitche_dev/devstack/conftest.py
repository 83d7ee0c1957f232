"""Fixtures of the demo dataset tests: the dataset itself, by path, and a Firestore client that
encodes documents without ever contacting a server."""

from __future__ import annotations

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

from mitche.models import MitcheModel
from mitche_dev.devstack import DEMO_NOW, DemoDocument, demo_documents


@pytest.fixture(scope="session")
def demo() -> list[DemoDocument]:
    """The demo documents at the default now, in the order the seed writes them."""
    return demo_documents(DEMO_NOW)


@pytest.fixture(scope="session")
def by_path(demo: list[DemoDocument]) -> dict[str, MitcheModel]:
    """The demo documents keyed by path."""
    return dict(demo)


@pytest.fixture(scope="session")
def client() -> firestore.Client:
    """A real Firestore client; building documents and references never contacts a server."""
    return firestore.Client(project="demo-mitche", credentials=AnonymousCredentials())
