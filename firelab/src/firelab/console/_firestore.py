"""The console's Firestore client: typed values in ProtoJSON (`timestampValue`,
`referenceValue`, `geoPointValue`, `bytesValue`, maps and arrays), rules bypassed.

Writes go through the server's REST API as an owner, so they commit, fire triggers and reach
listeners like any client's. Reads go to the server's core directly when it runs in this
process: they are then not billed as requests, so the console looking at a document never
counts as a read of the function run in progress (see `firelab.functions._runs`).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from google.protobuf import json_format

from firelab._errors import FirelabError
from firelab.server import _protos as protos
from firelab.server.core import Code, Emulator, FirestoreError

__all__ = ["FirestoreRest", "RestError", "plain"]


class RestError(FirelabError):
    """An error answer of the Firestore server, with its HTTP status and message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class FirestoreRest:
    """Owner requests to one project's databases on a Firestore server (`host:port`)."""

    def __init__(self, address: str, project: str, emulator: Emulator | None = None) -> None:
        self._base = f"http://{address}/v1/projects/{quote(project)}/databases"
        self._project = project
        self._emulator = emulator

    def _name(self, database: str, path: str) -> str:
        root = f"projects/{self._project}/databases/{database}/documents"
        return f"{root}/{path}" if path else root

    def _url(self, database: str, path: str, suffix: str = "") -> str:
        root = f"{self._base}/{quote(database)}/documents"
        return root + (f"/{quote(path)}" if path else "") + suffix

    def _call(self, method: str, url: str, body: object | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", "Bearer owner")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            try:
                message = json.loads(text)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                message = text or error.reason
            raise RestError(error.code, str(message)) from error
        return json.loads(text) if text.strip() else {}

    def get(self, database: str, path: str) -> dict[str, Any] | None:
        """The document (ProtoJSON), or None when it does not exist."""
        if self._emulator is not None:
            core = self._emulator.database(self._project, database)
            try:
                document = core.get_document(
                    protos.GetDocumentRequest(name=self._name(database, path))
                )
            except FirestoreError as error:
                if error.code == Code.NOT_FOUND:
                    return None
                raise RestError(400, str(error)) from error
            return _json(document)
        try:
            found: dict[str, Any] = self._call("GET", self._url(database, path))
        except RestError as error:
            if error.status == 404:
                return None
            raise
        return found

    def list_documents(
        self, database: str, collection: str, page_size: int = 100, page_token: str = ""
    ) -> dict[str, Any]:
        """A page of a collection's documents, with `nextPageToken` when there are more."""
        if self._emulator is not None:
            parent, _, collection_id = collection.rpartition("/")
            request = protos.ListDocumentsRequest(
                parent=self._name(database, parent),
                collection_id=collection_id,
                page_size=page_size,
                page_token=page_token,
                show_missing=True,
            )
            core = self._emulator.database(self._project, database)
            return _json(core.list_documents(request))
        query = {"pageSize": page_size, "showMissing": "true"}
        if page_token:
            query["pageToken"] = page_token
        found: dict[str, Any] = self._call(
            "GET", self._url(database, collection) + "?" + urlencode(query)
        )
        return found

    def all_documents(self, database: str, collection: str) -> list[dict[str, Any]]:
        """Every existing document of a collection (ProtoJSON), page after page."""
        documents: list[dict[str, Any]] = []
        token = ""
        while True:
            page = self.list_documents(database, collection, 300, token)
            documents.extend(
                d for d in page.get("documents", []) if "fields" in d or "createTime" in d
            )
            token = page.get("nextPageToken", "")
            if not token:
                return documents

    def collection_ids(self, database: str, parent: str) -> list[str]:
        """The collections directly under a document (or at the root when `parent` is '')."""
        if self._emulator is not None:
            core = self._emulator.database(self._project, database)
            request = protos.ListCollectionIdsRequest(
                parent=self._name(database, parent), page_size=10_000
            )
            return sorted(core.list_collection_ids(request).collection_ids)
        ids: list[str] = []
        token = ""
        while True:
            body: dict[str, Any] = {"pageSize": 300}
            if token:
                body["pageToken"] = token
            page = self._call("POST", self._url(database, parent, ":listCollectionIds"), body)
            ids.extend(page.get("collectionIds", []))
            token = page.get("nextPageToken", "")
            if not token:
                return sorted(ids)

    def write(self, database: str, path: str, fields: dict[str, Any]) -> dict[str, Any]:
        """Replace the document's fields (creating it when absent)."""
        found: dict[str, Any] = self._call("PATCH", self._url(database, path), {"fields": fields})
        return found

    def delete(self, database: str, path: str) -> None:
        """Delete the document (its subcollections stay, as in Firestore)."""
        self._call("DELETE", self._url(database, path))

    def run_query(self, database: str, parent: str, query: dict[str, Any]) -> list[dict[str, Any]]:
        """The documents a StructuredQuery (ProtoJSON) returns under `parent`."""
        if self._emulator is not None:
            request = protos.RunQueryRequest(parent=self._name(database, parent))
            try:
                json_format.ParseDict(query, request.structured_query)
                core = self._emulator.database(self._project, database)
                return [
                    _json(answer.document)
                    for answer in core.run_query(request)
                    if answer.HasField("document")
                ]
            except (FirestoreError, json_format.ParseError) as error:
                raise RestError(400, str(error)) from error
        answers = self._call(
            "POST", self._url(database, parent, ":runQuery"), {"structuredQuery": query}
        )
        return [answer["document"] for answer in answers if "document" in answer]


def _json(message: Any) -> dict[str, Any]:
    """A message as the REST API shows it (null values as `null`)."""
    found: dict[str, Any] = json_format.MessageToDict(message)
    return _nulls(found)  # type: ignore[no-any-return]


def _nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: (None if key == "nullValue" else _nulls(inner)) for key, inner in value.items()
        }
    if isinstance(value, list):
        return [_nulls(item) for item in value]
    return value


def plain(fields: dict[str, Any]) -> dict[str, Any]:
    """ProtoJSON fields as plain Python data (what `DocumentSnapshot.to_dict()` gives)."""
    return {name: _plain_value(value) for name, value in fields.items()}


def _plain_value(value: dict[str, Any]) -> Any:
    if not value:
        return None
    kind, inner = next(iter(value.items()))
    if kind == "integerValue":
        return int(inner)
    if kind == "doubleValue":
        return float(inner)
    if kind == "timestampValue":
        return datetime.fromisoformat(str(inner).replace("Z", "+00:00"))
    if kind == "mapValue":
        return plain(inner.get("fields", {}))
    if kind == "arrayValue":
        return [_plain_value(item) for item in inner.get("values", [])]
    if kind == "geoPointValue":
        return (inner.get("latitude", 0.0), inner.get("longitude", 0.0))
    return inner
