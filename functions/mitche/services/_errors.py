"""Google API errors become Mitché errors here, once, at the boundary with the SDK.

Only the errors a handler decides on are translated; transient ones (unavailable, deadline
exceeded) pass through untouched, so the functions runtime sees a failure it may retry.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType
from typing import Final

from google.api_core import exceptions as google_errors

from mitche.errors import (
    AbortedError,
    AlreadyExistsError,
    FailedPreconditionError,
    InvalidArgumentError,
    MitcheError,
    NotFoundError,
    PermissionDeniedError,
)

__all__ = ["TRANSLATED", "translate_errors"]

TRANSLATED: Final[MappingProxyType[type[google_errors.GoogleAPICallError], type[MitcheError]]] = (
    MappingProxyType(
        {
            google_errors.AlreadyExists: AlreadyExistsError,
            google_errors.NotFound: NotFoundError,
            google_errors.FailedPrecondition: FailedPreconditionError,
            google_errors.InvalidArgument: InvalidArgumentError,
            google_errors.PermissionDenied: PermissionDeniedError,
            google_errors.Aborted: AbortedError,
        }
    )
)
"""Each Google API error a handler acts on, and the Mitché error it becomes."""


@contextmanager
def translate_errors(context: str) -> Iterator[None]:
    """Re-raise a translated Google API error as its Mitché error, naming `context`."""
    try:
        yield
    except google_errors.GoogleAPICallError as error:
        for upstream, ours in TRANSLATED.items():
            if isinstance(error, upstream):
                raise ours(f"{context}: {error.message}", cause=error) from error
        raise
