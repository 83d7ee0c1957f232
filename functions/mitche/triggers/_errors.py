"""Mitché errors become callable errors here: one table from canonical codes to the
`https_fn.FunctionsErrorCode` a client receives."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import MappingProxyType
from typing import Final, TypeVar

from firebase_functions import https_fn

from mitche.errors import ErrorCode, MitcheError
from mitche.services import log_error

__all__ = ["HTTPS_CODES", "callable_errors", "https_errors"]

T = TypeVar("T")

HTTPS_CODES: Final = MappingProxyType(
    {
        ErrorCode.CANCELLED: https_fn.FunctionsErrorCode.CANCELLED,
        ErrorCode.UNKNOWN: https_fn.FunctionsErrorCode.UNKNOWN,
        ErrorCode.INVALID_ARGUMENT: https_fn.FunctionsErrorCode.INVALID_ARGUMENT,
        ErrorCode.DEADLINE_EXCEEDED: https_fn.FunctionsErrorCode.DEADLINE_EXCEEDED,
        ErrorCode.NOT_FOUND: https_fn.FunctionsErrorCode.NOT_FOUND,
        ErrorCode.ALREADY_EXISTS: https_fn.FunctionsErrorCode.ALREADY_EXISTS,
        ErrorCode.PERMISSION_DENIED: https_fn.FunctionsErrorCode.PERMISSION_DENIED,
        ErrorCode.RESOURCE_EXHAUSTED: https_fn.FunctionsErrorCode.RESOURCE_EXHAUSTED,
        ErrorCode.FAILED_PRECONDITION: https_fn.FunctionsErrorCode.FAILED_PRECONDITION,
        ErrorCode.ABORTED: https_fn.FunctionsErrorCode.ABORTED,
        ErrorCode.OUT_OF_RANGE: https_fn.FunctionsErrorCode.OUT_OF_RANGE,
        ErrorCode.UNIMPLEMENTED: https_fn.FunctionsErrorCode.UNIMPLEMENTED,
        ErrorCode.INTERNAL: https_fn.FunctionsErrorCode.INTERNAL,
        ErrorCode.UNAVAILABLE: https_fn.FunctionsErrorCode.UNAVAILABLE,
        ErrorCode.DATA_LOSS: https_fn.FunctionsErrorCode.DATA_LOSS,
        ErrorCode.UNAUTHENTICATED: https_fn.FunctionsErrorCode.UNAUTHENTICATED,
    }
)
"""The callable error code of each canonical code."""


@contextmanager
def https_errors(function: str) -> Iterator[None]:
    """Re-raise a MitcheError as the HttpsError a client understands; anything else is logged
    and becomes INTERNAL (its details stay in the logs)."""
    try:
        yield
    except MitcheError as error:
        raise https_fn.HttpsError(HTTPS_CODES[error.code], error.message) from error
    except https_fn.HttpsError:
        raise
    except Exception as error:
        log_error("callable failed", function=function, error=repr(error))
        raise https_fn.HttpsError(
            https_fn.FunctionsErrorCode.INTERNAL, "the function failed; see the logs"
        ) from error


def callable_errors(function: str, body: Callable[[], T]) -> T:
    """Run a callable's body with its errors translated."""
    with https_errors(function):
        return body()
