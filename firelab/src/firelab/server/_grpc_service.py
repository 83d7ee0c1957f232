"""The `google.firestore.v1.Firestore` gRPC service (and its v1beta1 twin) on grpc.aio.

Handlers decode raw protobuf requests and call `FirestoreApi`. Calls that may block (writes,
which wait for transaction locks, and transactional reads) run in a thread pool; plain reads,
and commits outside transactions that find no lock in their way, run on the event loop, which
saves a thread hop on the hot path. A `FirestoreError` becomes the
RPC status with the emulator's message. v1beta1 is the same service under another name
(grpc_settings.json), with the same message layouts on the wire.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import grpc
import grpc.aio

from firelab.server import _protos as protos
from firelab.server._api import FirestoreApi, unimplemented
from firelab.server._listen import ListenHub
from firelab.server._write_stream import run_write_stream
from firelab.server.core import FirestoreError, WouldBlock

__all__ = ["SERVICES", "FirestoreService"]

SERVICES = ("google.firestore.v1.Firestore", "google.firestore.v1beta1.Firestore")

_T = TypeVar("_T")
Unary = Callable[[Any, str | None], Any]


def authorization(context: grpc.aio.ServicerContext[Any, Any]) -> str | None:
    """The call's `authorization` metadata value, if any."""
    for key, value in context.invocation_metadata() or ():
        if key == "authorization":
            return value if isinstance(value, str) else value.decode("latin-1")
    return None


async def abort(context: grpc.aio.ServicerContext[Any, Any], error: FirestoreError) -> None:
    """End the call with the error's status code and message."""
    await context.abort(grpc.StatusCode[error.code.name], error.message)


def _transactional(request: Any) -> bool:
    consistency = request.WhichOneof("consistency_selector")
    return consistency in ("transaction", "new_transaction")


class FirestoreService:
    """Builds the generic handlers of both service names over one API."""

    def __init__(self, api: FirestoreApi, listen: ListenHub, executor: ThreadPoolExecutor) -> None:
        self._api = api
        self._listen = listen
        self._executor = executor

    async def _in_thread(self, function: Callable[..., _T], *args: Any) -> _T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, function, *args)

    def _unary(
        self, method: Unary, *, blocking: Callable[[Any], bool] | None = None
    ) -> Callable[[Any, grpc.aio.ServicerContext[Any, Any]], Awaitable[Any]]:
        async def handle(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            auth = authorization(context)
            try:
                if blocking is None or blocking(request):
                    return await self._in_thread(method, request, auth)
                return method(request, auth)
            except FirestoreError as error:
                await abort(context, error)
                raise

        return handle

    def _commit(self) -> Callable[[Any, grpc.aio.ServicerContext[Any, Any]], Awaitable[Any]]:
        """Commit on the event loop when it need not wait for a lock (the common case, which
        saves a thread hop), else in the thread pool."""
        api = self._api

        async def handle(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            auth = authorization(context)
            try:
                try:
                    return api.commit(request, auth, wait=False)
                except WouldBlock:
                    return await self._in_thread(api.commit, request, auth)
            except FirestoreError as error:
                await abort(context, error)
                raise

        return handle

    def _streaming(
        self, method: Callable[[Any, str | None], Iterator[Any]]
    ) -> Callable[[Any, grpc.aio.ServicerContext[Any, Any]], AsyncIterator[Any]]:
        def collect(request: Any, auth: str | None) -> list[Any]:
            return list(method(request, auth))

        async def handle(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            auth = authorization(context)
            try:
                if _transactional(request):
                    responses: Iterator[Any] = iter(await self._in_thread(collect, request, auth))
                else:
                    responses = method(request, auth)
                for response in responses:
                    yield response
            except FirestoreError as error:
                await abort(context, error)

        return handle

    def _unimplemented(self, service: str, method: str) -> Any:
        async def handle(request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
            await abort(context, unimplemented(service, method))

        return handle

    @staticmethod
    def _empty(method: Unary) -> Unary:
        def call(request: Any, auth: str | None) -> Any:
            method(request, auth)
            return protos.Empty()

        return call

    def handler(self, service: str) -> grpc.GenericRpcHandler:
        """The generic handler serving `service` (a v1 or v1beta1 name)."""
        api = self._api
        always: Callable[[Any], bool] = lambda _request: True  # noqa: E731
        unary = grpc.unary_unary_rpc_method_handler
        stream = grpc.unary_stream_rpc_method_handler

        def handler(function: Any, request: Any, response: Any, kind: Any = unary) -> Any:
            return kind(
                function,
                request_deserializer=request.FromString,
                response_serializer=response.SerializeToString,
            )

        methods = {
            "GetDocument": handler(
                self._unary(api.get_document, blocking=_transactional),
                protos.GetDocumentRequest,
                protos.Document,
            ),
            "ListDocuments": handler(
                self._unary(api.list_documents, blocking=_transactional),
                protos.ListDocumentsRequest,
                protos.ListDocumentsResponse,
            ),
            "CreateDocument": handler(
                self._unary(api.create_document), protos.CreateDocumentRequest, protos.Document
            ),
            "UpdateDocument": handler(
                self._unary(api.update_document), protos.UpdateDocumentRequest, protos.Document
            ),
            "DeleteDocument": handler(
                self._unary(self._empty(api.delete_document)),
                protos.DeleteDocumentRequest,
                protos.Empty,
            ),
            "BatchGetDocuments": handler(
                self._streaming(api.batch_get_documents),
                protos.BatchGetDocumentsRequest,
                protos.BatchGetDocumentsResponse,
                stream,
            ),
            "BeginTransaction": handler(
                self._unary(api.begin_transaction, blocking=always),
                protos.BeginTransactionRequest,
                protos.BeginTransactionResponse,
            ),
            "Commit": handler(self._commit(), protos.CommitRequest, protos.CommitResponse),
            "Rollback": handler(
                self._unary(self._empty(api.rollback)),
                protos.RollbackRequest,
                protos.Empty,
            ),
            "RunQuery": handler(
                self._streaming(api.run_query),
                protos.RunQueryRequest,
                protos.RunQueryResponse,
                stream,
            ),
            "RunAggregationQuery": handler(
                self._streaming(api.run_aggregation_query),
                protos.RunAggregationQueryRequest,
                protos.RunAggregationQueryResponse,
                stream,
            ),
            "PartitionQuery": handler(
                self._unimplemented(service, "PartitionQuery"),
                protos.PartitionQueryRequest,
                protos.PartitionQueryResponse,
            ),
            "ExecutePipeline": handler(
                self._execute_pipeline,
                protos.ExecutePipelineRequest,
                protos.ExecutePipelineResponse,
                stream,
            ),
            "ListCollectionIds": handler(
                self._unary(api.list_collection_ids, blocking=_transactional),
                protos.ListCollectionIdsRequest,
                protos.ListCollectionIdsResponse,
            ),
            "BatchWrite": handler(
                self._unary(api.batch_write), protos.BatchWriteRequest, protos.BatchWriteResponse
            ),
            "Write": grpc.stream_stream_rpc_method_handler(
                self._write,
                request_deserializer=protos.WriteRequest.FromString,
                response_serializer=protos.WriteResponse.SerializeToString,
            ),
            "Listen": grpc.stream_stream_rpc_method_handler(
                self._listen_stream,
                request_deserializer=protos.ListenRequest.FromString,
                response_serializer=protos.ListenResponse.SerializeToString,
            ),
        }
        return grpc.method_handlers_generic_handler(service, methods)

    async def _execute_pipeline(
        self, request: Any, context: grpc.aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[Any]:
        try:
            self._api.execute_pipeline(request, authorization(context))
        except FirestoreError as error:
            await abort(context, error)
        return
        yield  # an async generator that sends nothing

    async def _write(
        self, requests: AsyncIterator[Any], context: grpc.aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[Any]:
        async for response in run_write_stream(
            self._api, requests, context, authorization(context), self._in_thread
        ):
            yield response

    async def _listen_stream(
        self, requests: AsyncIterator[Any], context: grpc.aio.ServicerContext[Any, Any]
    ) -> AsyncIterator[Any]:
        async for response in self._listen.serve(requests, context, authorization(context)):
            yield response
