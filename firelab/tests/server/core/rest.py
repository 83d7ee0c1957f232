"""A minimal REST-to-core adapter for replaying recordings made over the REST API.

It maps the REST bindings the recordings use onto `Database` calls and answers with the HTTP
status and JSON body the emulator would send; transport details (headers, auth, query-string
quirks) belong to the frontend and its own replays.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from google.protobuf import json_format
from google.protobuf.message import Message

from firelab.server.core import Emulator, FirestoreError
from firelab.server.core._protos import (
    BatchGetDocumentsRequest,
    BatchWriteRequest,
    CommitRequest,
    CreateDocumentRequest,
    GetDocumentRequest,
    ListCollectionIdsRequest,
    ListDocumentsRequest,
    RunQueryRequest,
)

from .oracle import HTTP_STATUS


def _json(message: Message) -> Any:
    return json.loads(json_format.MessageToJson(message))


def _error(error: FirestoreError) -> tuple[int, Any]:
    status = HTTP_STATUS[error.code.name]
    return status, {"error": {"code": status, "message": error.message, "status": error.code.name}}


def call(emulator: Emulator, method: str, path: str, body: Any) -> tuple[int, Any]:
    """Run one REST request (`path` relative to /v1/) against the core."""
    parts = urlsplit(path)
    resource = unquote(parts.path)
    params = parse_qs(parts.query)
    try:
        return 200, _dispatch(emulator, method, resource, params, body or {})
    except FirestoreError as error:
        return _error(error)


def _dispatch(
    emulator: Emulator, method: str, resource: str, params: dict[str, list[str]], body: Any
) -> Any:
    name, _, verb = resource.partition(":")
    database = emulator.database_for(name)
    if verb == "commit":
        request = CommitRequest(database=database.id.root)
        json_format.ParseDict(body, request, ignore_unknown_fields=False)
        return _json(database.commit(request))
    if verb == "batchGet":
        batch = BatchGetDocumentsRequest(database=database.id.root)
        json_format.ParseDict(body, batch)
        return [_json(response) for response in database.batch_get_documents(batch)]
    if verb == "batchWrite":
        writes = BatchWriteRequest(database=database.id.root)
        json_format.ParseDict(body, writes)
        return _json(database.batch_write(writes))
    if verb == "runQuery":
        query = RunQueryRequest(parent=name)
        json_format.ParseDict(body, query)
        return [_json(response) for response in database.run_query(query)]
    if verb == "listCollectionIds":
        ids = ListCollectionIdsRequest(parent=name)
        json_format.ParseDict(body, ids)
        return _json(database.list_collection_ids(ids))
    segments = name.split("/")[5:]
    if method == "POST":
        create = CreateDocumentRequest(
            parent="/".join(name.split("/")[:5] + segments[:-1]),
            collection_id=segments[-1],
            document_id=params.get("documentId", [""])[0],
        )
        json_format.ParseDict(body, create.document)
        return _json(database.create_document(create))
    if len(segments) % 2 == 1:
        listing = ListDocumentsRequest(
            parent="/".join(name.split("/")[:5] + segments[:-1]),
            collection_id=segments[-1],
            page_size=int(params.get("pageSize", ["0"])[0]),
            page_token=params.get("pageToken", [""])[0],
            show_missing=params.get("showMissing", ["false"])[0] == "true",
        )
        return _json(database.list_documents(listing))
    get = GetDocumentRequest(name=name)
    for field_path in params.get("mask.fieldPaths", []):
        get.mask.field_paths.append(field_path)
    return _json(database.get_document(get))
