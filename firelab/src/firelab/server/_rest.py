"""The REST binding of the Firestore API (`/v1/…`, `/v1beta1/…`), as the Lite SDK and curl use it.

Routes follow the API's HTTP rules: GET of a document or a collection, PATCH, DELETE, POST to a
collection, and `POST …/documents:{verb}` for the other RPCs. Request bodies are ProtoJSON read
leniently (numbers as strings and strings as numbers, snake_case names, any content type);
query parameters fill the request's other fields (`mask.fieldPaths=a&mask.fieldPaths=b`).
Answers are laid out byte for byte like the official emulator's (rest.json): see `_javajson`.
A path that names no RPC is a plain-text `404 Not Found` without a content type.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, unquote

from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor, FieldDescriptor

from firelab.server import _protos as protos
from firelab.server._api import FirestoreApi, unimplemented
from firelab.server._http import HttpRequest, HttpResponse
from firelab.server._javajson import render_error, render_message, render_stream
from firelab.server.core import Code, FirestoreError

__all__ = [
    "BAD_PAYLOAD",
    "JSON",
    "RestApi",
    "error_response",
    "json_response",
    "not_found",
    "parse_body",
]

JSON = "application/json"
_VALUE = "google.firestore.v1.Value"
_VERIFY_TAG = (5 << 3) | 2
BAD_PAYLOAD = "Payload isn't valid for request."

HTTP_STATUS = {
    Code.OK: 200,
    Code.CANCELLED: 499,
    Code.UNKNOWN: 500,
    Code.INVALID_ARGUMENT: 400,
    Code.DEADLINE_EXCEEDED: 504,
    Code.NOT_FOUND: 404,
    Code.ALREADY_EXISTS: 409,
    Code.PERMISSION_DENIED: 403,
    Code.RESOURCE_EXHAUSTED: 429,
    Code.FAILED_PRECONDITION: 400,
    Code.ABORTED: 409,
    Code.OUT_OF_RANGE: 400,
    Code.UNIMPLEMENTED: 501,
    Code.INTERNAL: 500,
    Code.UNAVAILABLE: 503,
    Code.DATA_LOSS: 500,
    Code.UNAUTHENTICATED: 401,
}
"""google.rpc.Code to HTTP status, as Google APIs (and the emulator) map them."""

_IGNORED_PARAMETERS = frozenset(
    {"key", "alt", "$alt", "prettyPrint", "fields", "callback", "quotaUser", "$.xgafv"}
)


def not_found() -> HttpResponse:
    """The emulator's 404 for a path that names nothing: plain text, no content type."""
    return HttpResponse(404, b"Not Found\n")


def error_response(error: FirestoreError) -> HttpResponse:
    """A `FirestoreError` as the emulator's compact JSON error body."""
    status = HTTP_STATUS.get(error.code, 500)
    body = render_error(status, error.message, error.code.name)
    return HttpResponse(status, body.encode(), JSON)


def json_response(text: str) -> HttpResponse:
    """A 200 answer with a rendered JSON body."""
    return HttpResponse(200, text.encode(), JSON)


def _invalid_payload() -> FirestoreError:
    return FirestoreError(Code.INVALID_ARGUMENT, BAD_PAYLOAD)


def parse_body(body: bytes, message: Any) -> Any:
    """Fill `message` from a ProtoJSON body (an empty body is `{}`)."""
    if body.strip():
        try:
            document = json.loads(body.decode("utf-8"))
            verifies = _take_verifies(document)
            json_format.ParseDict(document, message)
        except (
            json_format.ParseError,
            UnicodeDecodeError,
            ValueError,
            TypeError,
            AttributeError,
        ) as exc:
            raise _invalid_payload() from exc
        for index, name in verifies:
            message.writes[index].MergeFromString(_verify_field(name))
        _normalise_values(message)
    return message


def _take_verifies(document: Any) -> list[tuple[int, str]]:
    """Remove `verify` from the writes of a JSON body: (write index, document name).

    The web SDK's transactions send `Write.verify` (field 5), which the published protos
    lack; it is put back as that field so the core reads it as the wire would carry it.
    """
    writes = document.get("writes") if isinstance(document, dict) else None
    if not isinstance(writes, list):
        return []
    found = []
    for index, write in enumerate(writes):
        if isinstance(write, dict) and "verify" in write:
            name = write.pop("verify")
            if not isinstance(name, str):
                raise TypeError("verify must name a document")
            found.append((index, name))
    return found


def _verify_field(name: str) -> bytes:
    """Field 5 (length-delimited) holding `name`, as protobuf encodes it."""
    data = name.encode("utf-8")
    length = bytearray()
    size = len(data)
    while True:
        byte = size & 0x7F
        size >>= 7
        length.append(byte | (0x80 if size else 0))
        if not size:
            return bytes([_VERIFY_TAG]) + bytes(length) + data


def _normalise_values(message: Any) -> None:
    """Values as the emulator reads them from JSON and stores them.

    protobuf-java's JsonFormat parses doubles through BigDecimal, which has no negative zero,
    so `-0.0` arrives as `0.0` (over gRPC it stays `-0.0`).
    """
    if message.DESCRIPTOR.full_name == _VALUE:
        kind = message.WhichOneof("value_type")
        if kind == "double_value" and message.double_value == 0:
            message.double_value = 0.0
        elif kind == "map_value":
            for item in message.map_value.fields.values():
                _normalise_values(item)
        elif kind == "array_value":
            for item in message.array_value.values:
                _normalise_values(item)
        return
    for field, value in message.ListFields():
        if field.message_type is None:
            continue
        if field.message_type.GetOptions().map_entry:
            if field.message_type.fields_by_name["value"].message_type is not None:
                for item in value.values():
                    _normalise_values(item)
        elif field.is_repeated:
            for item in value:
                _normalise_values(item)
        else:
            _normalise_values(value)


def _field(descriptor: Descriptor, name: str) -> FieldDescriptor | None:
    found = descriptor.fields_by_name.get(name)
    if found is not None:
        return found
    for field in descriptor.fields:
        if field.json_name == name:
            return field
    return None


def _scalar(field: FieldDescriptor, text: str) -> Any:
    kind = field.type
    if kind == FieldDescriptor.TYPE_STRING:
        return text
    if kind == FieldDescriptor.TYPE_BOOL:
        if text not in ("true", "false"):
            raise _invalid_payload()
        return text == "true"
    if kind == FieldDescriptor.TYPE_BYTES:
        padded = text + "=" * (-len(text) % 4)
        return base64.urlsafe_b64decode(padded.replace("+", "-").replace("/", "_"))
    if kind == FieldDescriptor.TYPE_ENUM:
        assert field.enum_type is not None
        value = field.enum_type.values_by_name.get(text)
        return value.number if value is not None else int(text)
    if kind in (FieldDescriptor.TYPE_DOUBLE, FieldDescriptor.TYPE_FLOAT):
        return float(text)
    return int(text)


def apply_parameters(message: Any, query: str) -> None:
    """Set the fields named by query parameters; unknown parameters are ignored."""
    for key, text in parse_qsl(query, keep_blank_values=True):
        if key in _IGNORED_PARAMETERS:
            continue
        target = message
        parts = key.split(".")
        try:
            for part in parts[:-1]:
                field = _field(target.DESCRIPTOR, part)
                if field is None or field.type != FieldDescriptor.TYPE_MESSAGE:
                    break
                target = getattr(target, field.name)
            else:
                _assign(target, parts[-1], text)
        except (ValueError, TypeError, json_format.ParseError) as exc:
            raise _invalid_payload() from exc


def _assign(target: Any, name: str, text: str) -> None:
    field = _field(target.DESCRIPTOR, name)
    if field is None:
        return
    message_type = field.message_type
    if message_type is not None:
        full_name = message_type.full_name
        if full_name == "google.protobuf.Timestamp":
            getattr(target, field.name).FromJsonString(text)
            return
        if full_name.startswith("google.protobuf.") and full_name.endswith("Value"):
            inner = message_type.fields_by_name["value"]
            getattr(target, field.name).value = _scalar(inner, text)
            return
        raise _invalid_payload()
    value = _scalar(field, text)
    if field.is_repeated:
        getattr(target, field.name).append(value)
    else:
        setattr(target, field.name, value)


def _split_documents_path(path: str) -> tuple[str, str, str] | None:
    """`/v1/projects/p/databases/d/documents…` → (database, rest after documents, `:verb`)."""
    for prefix in ("/v1/", "/v1beta1/"):
        if path.startswith(prefix):
            break
    else:
        return None
    parts = path[len(prefix) :].split("/", 4)
    if len(parts) < 4 or parts[0] != "projects" or parts[2] != "databases":
        return None
    if len(parts) == 4:
        # Only ExecutePipeline binds to the database itself.
        database_id, _, verb = parts[3].partition(":")
        if verb != "executePipeline":
            return None
        return f"projects/{unquote(parts[1])}/databases/{unquote(database_id)}", "", ":" + verb
    database = f"projects/{unquote(parts[1])}/databases/{unquote(parts[3])}"
    tail = parts[4]
    if tail != "documents" and not tail.startswith(("documents/", "documents:")):
        return None
    rest = tail[len("documents") :]
    verb = ""
    colon = rest.find(":", rest.rfind("/") + 1)
    if colon >= 0:
        rest, verb = rest[:colon], rest[colon:]
    return database, rest, verb


class RestApi:
    """Answers `/v1/…` and `/v1beta1/…` requests; None for paths it does not serve."""

    def __init__(self, api: FirestoreApi) -> None:
        self._api = api

    def handle(self, request: HttpRequest) -> HttpResponse | None:
        """The answer to `request`, or None when the path is not a REST resource."""
        split = _split_documents_path(request.path)
        if split is None:
            return None
        database, rest, verb = split
        documents = f"{database}/documents"
        segments = [unquote(segment) for segment in rest.split("/")[1:]] if rest else []
        target = documents + ("/" + "/".join(segments) if segments else "")
        auth = request.header("authorization")
        try:
            if verb:
                return self._verb(request, database, target, verb[1:], auth)
            return self._resource(request, documents, target, segments, auth)
        except FirestoreError as error:
            return error_response(error)

    def _resource(
        self,
        request: HttpRequest,
        documents: str,
        target: str,
        segments: list[str],
        auth: str | None,
    ) -> HttpResponse | None:
        if not segments:
            return None
        method = request.method
        listing = _listing(documents, segments)
        if method == "GET":
            _refuse_read_time(request.query)
            if listing is not None:
                parent, collection_id = listing
                list_request = protos.ListDocumentsRequest(
                    parent=parent, collection_id=collection_id
                )
                apply_parameters(list_request, request.query)
                _fix_none_mask(list_request)
                return json_response(render_message(self._api.list_documents(list_request, auth)))
            get = protos.GetDocumentRequest(name=target)
            apply_parameters(get, request.query)
            return json_response(render_message(self._api.get_document(get, auth)))
        if method == "PATCH":
            update = protos.UpdateDocumentRequest()
            parse_body(request.body, update.document)
            update.document.name = target
            apply_parameters(update, request.query)
            return json_response(render_message(self._api.update_document(update, auth)))
        if method == "DELETE":
            delete = protos.DeleteDocumentRequest(name=target)
            apply_parameters(delete, request.query)
            self._api.delete_document(delete, auth)
            return json_response(render_message(protos.Empty()))
        if method == "POST" and len(segments) % 2 == 1:
            parent, _, collection_id = target.rpartition("/")
            create = protos.CreateDocumentRequest(parent=parent, collection_id=collection_id)
            parse_body(request.body, create.document)
            create.document.ClearField("name")
            apply_parameters(create, request.query)
            return json_response(render_message(self._api.create_document(create, auth)))
        return None

    def _verb(
        self, request: HttpRequest, database: str, target: str, verb: str, auth: str | None
    ) -> HttpResponse | None:
        if request.method != "POST":
            return None
        route = _VERBS.get(verb)
        if route is None:
            return None
        message_type, binding, call = route
        if (
            binding == "database"
            and target != f"{database}/documents"
            and verb != "executePipeline"
        ):
            return None
        message = parse_body(request.body, message_type())
        apply_parameters(message, request.query)
        if binding == "database":
            message.database = database
        else:
            message.parent = target
        return call(self._api, message, auth)


def _refuse_read_time(query: str) -> None:
    """The emulator's REST reads fail on any `readTime` parameter (document_writes.json),
    even the latest commit time; over gRPC `read_time` works."""
    if any(key == "readTime" for key, _ in parse_qsl(query, keep_blank_values=True)):
        raise FirestoreError(Code.INVALID_ARGUMENT, "Only timestamps past epoch are supported.")


def _listing(documents: str, segments: list[str]) -> tuple[str, str] | None:
    """(parent, collection ID) when a GET path names a collection rather than a document."""
    if segments[-1] == "":
        before = segments[:-1]
        if len(before) % 2 == 0 and all(before):
            parent = documents + ("/" + "/".join(before) if before else "")
            return parent, ""
        return None
    if len(segments) % 2 == 1:
        parent = documents + ("/" + "/".join(segments[:-1]) if len(segments) > 1 else "")
        return parent, segments[-1]
    return None


def _fix_none_mask(request: Any) -> None:
    """The Emulator UI lists with `mask.fieldPaths=_none_`; the emulator returns all fields."""
    if list(request.mask.field_paths) == ["_none_"]:
        request.ClearField("mask")


def _message(response: Any) -> HttpResponse:
    return json_response(render_message(response))


def _stream(responses: Iterable[Any]) -> HttpResponse:
    return json_response(render_stream(responses))


def _aggregation_stream(responses: Iterable[Any]) -> HttpResponse:
    # The emulator's aggregation responses carry `done: true`, absent from the public protos.
    items = [render_message(response)[:-1] for response in responses]
    marked = [item[: item.rfind("\n}")] + ',\n  "done": true\n}' for item in items]
    return json_response("[\n" + ",\n".join(marked) + "\n]\n")


def _commit(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    return _message(api.commit(request, auth))


def _batch_get(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    return _stream(api.batch_get_documents(request, auth))


def _begin(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    return _message(api.begin_transaction(request, auth))


def _rollback(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    api.rollback(request, auth)
    return _message(protos.Empty())


def _batch_write(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    return _message(api.batch_write(request, auth))


def _run_query(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    return _stream(api.run_query(request, auth))


def _run_aggregation(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    return _aggregation_stream(api.run_aggregation_query(request, auth))


def _list_collection_ids(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    return _message(api.list_collection_ids(request, auth))


def _partition_query(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    raise unimplemented("google.firestore.v1.Firestore", "PartitionQuery")


def _execute_pipeline(api: FirestoreApi, request: Any, auth: str | None) -> HttpResponse:
    api.execute_pipeline(request, auth)
    return _stream(())


Call = Callable[[FirestoreApi, Any, str | None], HttpResponse]

_VERBS: dict[str, tuple[Any, str, Call]] = {
    "commit": (protos.CommitRequest, "database", _commit),
    "batchGet": (protos.BatchGetDocumentsRequest, "database", _batch_get),
    "beginTransaction": (protos.BeginTransactionRequest, "database", _begin),
    "rollback": (protos.RollbackRequest, "database", _rollback),
    "batchWrite": (protos.BatchWriteRequest, "database", _batch_write),
    "runQuery": (protos.RunQueryRequest, "parent", _run_query),
    "runAggregationQuery": (protos.RunAggregationQueryRequest, "parent", _run_aggregation),
    "listCollectionIds": (protos.ListCollectionIdsRequest, "parent", _list_collection_ids),
    "partitionQuery": (protos.PartitionQueryRequest, "parent", _partition_query),
    "executePipeline": (protos.ExecutePipelineRequest, "database", _execute_pipeline),
}
"""REST verb → (request message, which field the path fills, handler)."""
