"""The bidirectional Write stream the web and mobile SDKs send their writes on.

As the official emulator runs it (write_stream.json): the caller is read when the stream opens;
the first request names the database and carries nothing else and is answered with a stream ID
and token "0"; each later request is committed as one batch and answered in order with the
next token ("1", "2", …), its write results and commit time; tokens sent by the client are not
checked; an empty request is answered and then ends the stream; the first failing batch ends
the stream with its error; a half-close ends it normally.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import grpc
import grpc.aio

from firelab.server import _preflight as preflight
from firelab.server import _protos as protos
from firelab.server._api import FirestoreApi
from firelab.server._identity import identify
from firelab.server.core import Code, FirestoreError

__all__ = ["run_write_stream"]

_stream_ids = itertools.count(1)

InThread = Callable[..., Awaitable[Any]]


def _invalid(message: str) -> FirestoreError:
    return FirestoreError(Code.INVALID_ARGUMENT, message)


def check_handshake(request: Any) -> None:
    """Reject a first request that tries to resume or already carries writes."""
    if request.stream_id:
        raise _invalid("Resuming streams is not supported, do not set stream ID.")
    if request.stream_token:
        raise _invalid(
            "Resuming streams is not supported, 'stream_token' must not be set on an initial"
            " write request."
        )
    if request.writes:
        raise _invalid("'writes' must not be set on an initial write request.")
    if not request.database:
        raise _invalid("'database' must be set on an initial write request.")
    preflight.database(request.database)


async def run_write_stream(
    api: FirestoreApi,
    requests: AsyncIterator[Any],
    context: grpc.aio.ServicerContext[Any, Any],
    authorization: str | None,
    in_thread: InThread,
) -> AsyncIterator[Any]:
    """Serve one Write stream, yielding its responses."""
    try:
        identify(authorization)
        database = ""
        token = 0
        async for request in requests:
            if not database:
                check_handshake(request)
                database = request.database
                yield protos.WriteResponse(stream_id=f"{next(_stream_ids)}", stream_token=b"0")
                continue
            if request.database and request.database != database:
                raise _invalid(
                    f"Request specified a database ({request.database}) that did not match the"
                    f" expected database ({database})"
                )
            token += 1
            if not request.writes:
                yield protos.WriteResponse(stream_token=str(token).encode())
                return
            commit = protos.CommitRequest(database=database, writes=request.writes)
            result = await in_thread(api.commit, commit, authorization)
            yield protos.WriteResponse(
                stream_token=str(token).encode(),
                write_results=result.write_results,
                commit_time=result.commit_time,
            )
    except FirestoreError as error:
        await context.abort(grpc.StatusCode[error.code.name], error.message)
