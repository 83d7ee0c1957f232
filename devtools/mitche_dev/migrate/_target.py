"""Which Firestore a command talks to. With FIRESTORE_EMULATOR_HOST set: that emulator (or
firelab server). Without it the command would reach production, which it refuses unless the
project is named on the command line with `--project`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Final

from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore

__all__ = ["DEFAULT_LOCAL_PROJECT", "Target", "TargetError", "resolve_target"]

DEFAULT_LOCAL_PROJECT: Final = "demo-mitche"
EMULATOR_HOST: Final = "FIRESTORE_EMULATOR_HOST"


class TargetError(Exception):
    """The command would reach a database it was not explicitly pointed at."""


@dataclass(frozen=True, slots=True)
class Target:
    """A database to run against."""

    project: str
    emulator_host: str | None
    """`host:port` of the emulator; None for production."""

    @property
    def production(self) -> bool:
        """Whether this is a real Firestore project."""
        return self.emulator_host is None

    def client(self) -> firestore.Client:
        """A client acting as an administrator (rules bypassed)."""
        if self.emulator_host is not None:
            # google-auth ships no annotations for AnonymousCredentials.__init__.
            credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
            return firestore.Client(project=self.project, credentials=credentials)
        return firestore.Client(project=self.project)

    def describe(self) -> str:
        """`project demo-x on the emulator at 127.0.0.1:8080`, or `PRODUCTION project x`."""
        if self.emulator_host is None:
            return f"PRODUCTION project {self.project}"
        return f"project {self.project} on the emulator at {self.emulator_host}"


def resolve_target(project: str | None) -> Target:
    """The emulator when FIRESTORE_EMULATOR_HOST is set (project from `--project`, the usual
    variables, or demo-mitche); production only with an explicit `--project`."""
    host = os.environ.get(EMULATOR_HOST) or None
    if host is not None:
        chosen = (
            project
            or os.environ.get("GCLOUD_PROJECT")
            or os.environ.get("GOOGLE_CLOUD_PROJECT")
            or DEFAULT_LOCAL_PROJECT
        )
        return Target(chosen, host)
    if not project:
        raise TargetError(
            f"{EMULATOR_HOST} is not set, so this would run against a production project; "
            "name it with --project PROJECT_ID to confirm"
        )
    return Target(project, None)
