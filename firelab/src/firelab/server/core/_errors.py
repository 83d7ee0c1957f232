"""Errors of the core: one exception carrying a canonical status code and the emulator's text.

The core knows nothing of gRPC or HTTP; the frontend maps `Code` to a gRPC status
(`grpc.StatusCode[code.name]`) or an HTTP status.
"""

from __future__ import annotations

import enum

from firelab._errors import FirelabError

__all__ = ["Code", "FirestoreError", "aborted", "failed_precondition", "invalid", "not_found"]


class Code(enum.IntEnum):
    """The canonical status codes (google.rpc.Code); names match `grpc.StatusCode`."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class FirestoreError(FirelabError):
    """A request failed with `code`; `message` is the text the official emulator sends."""

    def __init__(self, code: Code, message: str) -> None:
        super().__init__(f"{code.name}: {message}")
        self.code = code
        self.message = message


def invalid(message: str) -> FirestoreError:
    """INVALID_ARGUMENT with `message`."""
    return FirestoreError(Code.INVALID_ARGUMENT, message)


def not_found(message: str) -> FirestoreError:
    """NOT_FOUND with `message`."""
    return FirestoreError(Code.NOT_FOUND, message)


def aborted(message: str) -> FirestoreError:
    """ABORTED with `message`."""
    return FirestoreError(Code.ABORTED, message)


def failed_precondition(message: str) -> FirestoreError:
    """FAILED_PRECONDITION with `message`."""
    return FirestoreError(Code.FAILED_PRECONDITION, message)
