"""Shared across firelab's tests."""

from __future__ import annotations

from collections.abc import Iterator

import firebase_admin
import pytest

pytest_plugins = ["pytester"]
"""pytest's own fixture for running pytest on a throw-away project (the plugin's tests)."""


@pytest.fixture(autouse=True, scope="module")
def fresh_firebase_admin() -> Iterator[None]:
    """firebase_admin's default app is process-global and the functions runtime creates it on
    first use; each module starts and ends without one, so one module's project never leaks
    into another's token checks. Named apps (the pytest plugin's) are left alone."""
    _delete_default_app()
    yield
    _delete_default_app()


def _delete_default_app() -> None:
    app = firebase_admin._apps.get(firebase_admin._DEFAULT_APP_NAME)
    if app is not None:
        firebase_admin.delete_app(app)
