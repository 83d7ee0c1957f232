"""Structured logs Cloud Logging understands: one JSON object per line with a `severity`,
written by `firebase_functions.logger`, with the handler's context as extra fields."""

from __future__ import annotations

from typing import Any

from firebase_functions import logger

__all__ = ["log_debug", "log_error", "log_info", "log_warning"]


_RESERVED = frozenset({"severity", "message"})
"""Keys of the log entry itself; a context value under one of them is renamed `context.<key>`."""


def _clean(context: dict[str, Any]) -> dict[str, Any]:
    return {
        (f"context.{key}" if key in _RESERVED else key): value
        for key, value in context.items()
        if value is not None
    }


def log_debug(message: str, **context: Any) -> None:
    """A detail worth keeping when debugging (costs, skipped no-op changes)."""
    logger.debug(message, **_clean(context))


def log_info(message: str, **context: Any) -> None:
    """Something that happened as designed (a duplicate delivery ignored, an award made)."""
    logger.info(message, **_clean(context))


def log_warning(message: str, **context: Any) -> None:
    """Input the handler could not use (a malformed document): skipped, never retried."""
    logger.warn(message, **_clean(context))


def log_error(message: str, **context: Any) -> None:
    """A failure someone must look at."""
    logger.error(message, **_clean(context))
