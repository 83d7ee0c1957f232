"""Callable functions for moderators and admins: resolve a report, decide on screened content,
set a member's role."""

from __future__ import annotations

from typing import Any

from firebase_functions import https_fn

from mitche.handlers import default_deps, resolve, review_content, set_role
from mitche.triggers._adapt import caller_of
from mitche.triggers._errors import callable_errors

__all__ = ["resolve_report", "review_screened_content", "set_member_role"]


def resolve_report(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """`{reportId, action, note?, suspensionDays?, strike?}` → the decision's outcome."""
    return callable_errors(
        "resolveReport", lambda: resolve(default_deps(), caller_of(request), request.data)
    )


def set_member_role(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """`{uid, role}` → the member's new role and claims (admins only)."""
    return callable_errors(
        "setMemberRole", lambda: set_role(default_deps(), caller_of(request), request.data)
    )


def review_screened_content(request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """`{path, decision, note?}` → the content's new moderation state (moderators only)."""
    return callable_errors(
        "reviewContent",
        lambda: review_content(default_deps(), caller_of(request), request.data),
    )
