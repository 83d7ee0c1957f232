"""Callables: the registry, the one wrapper every call runs through, and the audit log.

Declare a callable in a handler module with a `CallableSpec` in its `CALLABLES` tuple, name
the module in `CALLABLE_MODULES`, and add its function to functions/main.py
(`return callables.serve("name", request)`). Privileged server actions outside a callable
record themselves with `append_audit`.
"""

from __future__ import annotations

from mitche.callables._audit import append_audit, audit_retention_days
from mitche.callables._caller import ANY_MEMBER, MODERATING, ONLY_ADMINS, Actor, Caller
from mitche.callables._registry import CALLABLE_MODULES, registry
from mitche.callables._spec import CALLER_CODES, CallableSpec, client_code, parse_request

__all__ = [
    "ANY_MEMBER",
    "CALLABLE_MODULES",
    "CALLER_CODES",
    "MODERATING",
    "ONLY_ADMINS",
    "Actor",
    "CallableSpec",
    "Caller",
    "append_audit",
    "audit_retention_days",
    "client_code",
    "parse_request",
    "registry",
]
