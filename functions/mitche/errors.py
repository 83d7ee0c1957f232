"""One error root for Mitché, with codes from gRPC's canonical set.

Every error the backend raises on purpose is a `MitcheError` carrying a canonical code, so one
table can turn it into an `https_fn.HttpsError` for callables or a gRPC status, and callers can
catch by meaning (`NotFoundError`) rather than by module.
"""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar


class ErrorCode(StrEnum):
    """Canonical error codes (google.rpc.Code names), as Firebase callables report them."""

    CANCELLED = "CANCELLED"
    UNKNOWN = "UNKNOWN"
    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    DEADLINE_EXCEEDED = "DEADLINE_EXCEEDED"
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    ABORTED = "ABORTED"
    OUT_OF_RANGE = "OUT_OF_RANGE"
    UNIMPLEMENTED = "UNIMPLEMENTED"
    INTERNAL = "INTERNAL"
    UNAVAILABLE = "UNAVAILABLE"
    DATA_LOSS = "DATA_LOSS"
    UNAUTHENTICATED = "UNAUTHENTICATED"


class MitcheError(Exception):
    """Root of every error Mitché raises deliberately."""

    code: ClassVar[ErrorCode] = ErrorCode.UNKNOWN

    def __init__(self, message: str, *, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.message = message
        if cause is not None:
            self.__cause__ = cause

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class InvalidArgumentError(MitcheError):
    code = ErrorCode.INVALID_ARGUMENT


class NotFoundError(MitcheError):
    code = ErrorCode.NOT_FOUND


class AlreadyExistsError(MitcheError):
    code = ErrorCode.ALREADY_EXISTS


class PermissionDeniedError(MitcheError):
    code = ErrorCode.PERMISSION_DENIED


class UnauthenticatedError(MitcheError):
    code = ErrorCode.UNAUTHENTICATED


class FailedPreconditionError(MitcheError):
    code = ErrorCode.FAILED_PRECONDITION


class ResourceExhaustedError(MitcheError):
    code = ErrorCode.RESOURCE_EXHAUSTED


class AbortedError(MitcheError):
    code = ErrorCode.ABORTED


class InternalError(MitcheError):
    code = ErrorCode.INTERNAL


class DataLossError(MitcheError):
    """Stored data cannot be read back: a sealed value altered, or its key destroyed."""

    code = ErrorCode.DATA_LOSS


class DocumentValidationError(InvalidArgumentError):
    """A document does not satisfy its collection's model; the message names every bad field."""
