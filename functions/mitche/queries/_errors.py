"""Errors of the query catalog, under Mitché's one error root."""

from __future__ import annotations

from mitche.errors import InvalidArgumentError, NotFoundError

__all__ = ["QueryParameterError", "UnknownQueryError"]


class QueryParameterError(InvalidArgumentError):
    """A catalog query was built with a missing, unexpected or out-of-range parameter."""


class UnknownQueryError(NotFoundError):
    """No catalog query has the requested name."""
