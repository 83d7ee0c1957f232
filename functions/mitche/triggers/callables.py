"""Callable functions: every `https_fn.on_call` function of functions/main.py serves one entry
of the callable registry (mitche.callables) through `serve`, which identifies the caller,
takes the request id for the audit log, and translates errors for the client."""

from __future__ import annotations

import uuid
from typing import Any

from firebase_functions import https_fn

from mitche.callables import registry
from mitche.handlers import default_deps
from mitche.triggers._adapt import caller_of
from mitche.triggers._errors import callable_errors

__all__ = ["request_id_of", "serve"]

_TRACE_HEADER = "X-Cloud-Trace-Context"


def request_id_of(request: https_fn.CallableRequest[Any]) -> str:
    """The call's trace id (the part of `X-Cloud-Trace-Context` before `/`, which Cloud Run
    sets on every request), else a fresh id."""
    raw = request.raw_request
    header = raw.headers.get(_TRACE_HEADER, "") if raw is not None else ""
    trace = header.split("/", 1)[0].strip()
    return trace[:200] if trace else uuid.uuid4().hex


def serve(name: str, request: https_fn.CallableRequest[Any]) -> dict[str, Any]:
    """Run the registered callable `name` for one request."""
    spec = registry()[name]
    return callable_errors(
        name,
        lambda: spec.call(
            default_deps(), caller_of(request), request.data, request_id=request_id_of(request)
        ),
    )
