"""The Cloud Storage JSON API that server SDKs use with `STORAGE_EMULATOR_HOST`; no rules.

google-cloud-storage (and firebase-admin's `storage.bucket()`, built on it) send anonymous or
service-account credentials; like the official emulator's admin storage layer
(firebase-tools `emulator/storage/apis/gcloud.js`), every request is allowed. Routes:

- `GET /storage/v1/b` (buckets), `GET /storage/v1/b/{bucket}`;
- `GET /storage/v1/b/{bucket}/o/{name}` (also `/b/...` and `/download/storage/v1/b/...`):
  metadata, or the bytes with `alt=media`; `PATCH` updates metadata; `DELETE` answers 204;
- `GET /storage/v1/b/{bucket}/o`: `{kind: storage#objects, items, prefixes, nextPageToken}`
  (`prefix`, `delimiter`, `maxResults`, `pageToken`, `startOffset`);
- `POST /upload/storage/v1/b/{bucket}/o?uploadType=media|multipart|resumable`, and `PUT` of a
  resumable session's bytes (`Content-Range: bytes a-b/total`; 308 with `Range` until the
  last byte arrives, then the object);
- `POST .../o/{name}/copyTo|rewriteTo/b/{bucket}/o/{name}`;
- `GET /{bucket}/{name}` (public URLs); anything else is 501, as on the emulator.

A missing object is a 404 whose JSON body is `{error: {code: 404, message: "No such object:
{bucket}/{name}", errors: [{message, domain: global, reason: notFound}]}}` (plain text for
`alt=media`); a malformed multipart body is a 400 `{error: {code: 400, message}}`.
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote, urlencode

from firelab.storage._access import ADMIN
from firelab.storage._http import Request, Response, json_response, status_response
from firelab.storage._media import send_object
from firelab.storage._multipart import MultipartError, parse_multipart_upload
from firelab.storage._objects import StoredObject, new_object
from firelab.storage._shapes import bucket_metadata, cloud_metadata
from firelab.storage._store import ObjectStore, PreconditionFailedError
from firelab.storage._uploads import (
    UploadNotActiveError,
    UploadNotFoundError,
    UploadPreviouslyFinalizedError,
    UploadSessions,
)

__all__ = ["CloudApi"]

_OBJECT = re.compile(r"^(?:/storage/v1|/download/storage/v1)?/b/([^/]+)/o/(.+)$")
_OBJECTS = re.compile(r"^(?:/storage/v1)?/b/([^/]+)/o/?$")
_BUCKET = re.compile(r"^/storage/v1/b/([^/]+)/?$")
_UPLOAD = re.compile(r"^/upload/storage/v1/b/([^/]+)/o/?$")
_COPY = re.compile(r"^(?:/storage/v1)?/b/([^/]+)/o/([^/]+)/(copyTo|rewriteTo)/b/([^/]+)/o/([^/]+)$")
_PUBLIC = re.compile(r"^/([^/]+)/(.+)$")
_CONTENT_RANGE = re.compile(r"^bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)$")


def _not_found(request: Request, bucket: str, name: str) -> Response:
    message = f"No such object: {bucket}/{name}"
    if request.method == "GET" and request.query.get("alt") == "media":
        return Response(404, message.encode(), "text/html; charset=utf-8")
    error = {"message": message, "domain": "global", "reason": "notFound"}
    return json_response(404, {"error": {"code": 404, "message": message, "errors": [error]}})


def _precondition_failed() -> Response:
    """Cloud Storage's 412 for a generation precondition that did not hold."""
    message = "At least one of the pre-conditions you specified did not hold."
    error = {
        "message": message,
        "domain": "global",
        "reason": "conditionNotMet",
        "locationType": "header",
        "location": "If-Match",
    }
    return json_response(412, {"error": {"code": 412, "message": message, "errors": [error]}})


def _generation(query: dict[str, str], name: str) -> int | None:
    text = query.get(name, "")
    return int(text) if text.isdigit() else None


def _json_object(body: bytes) -> dict[str, object] | None:
    if not body.strip():
        return {}
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _name_from(query: dict[str, str], metadata: dict[str, object]) -> str | None:
    name = query.get("name") or metadata.get("name")
    if not isinstance(name, str) or not name:
        return None
    return name.removeprefix("/")


class CloudApi:
    """Answers the JSON API's requests (everything that is not `/v0` or `/internal`)."""

    def __init__(self, store: ObjectStore, uploads: UploadSessions, default_bucket: str) -> None:
        self._store = store
        self._uploads = uploads
        self._default_bucket = default_bucket
        self._preconditions: dict[str, int | None] = {}
        """`ifGenerationMatch` of each resumable session, applied when it completes."""

    def handle(self, request: Request) -> Response:
        """The answer (501 for a route the emulator does not serve either)."""
        path, method = request.path, request.method
        if path in ("/storage/v1/b", "/b") and method == "GET":
            return self._buckets(request)
        if (match := _UPLOAD.match(path)) is not None:
            bucket = unquote(match.group(1))
            self._store.ensure_bucket(bucket)
            if method == "POST":
                return self._upload(request, bucket)
            if method == "PUT":
                return self._resumable_bytes(request)
        if (match := _COPY.match(path)) is not None and method == "POST":
            return self._copy(request, *(unquote(part) for part in match.groups()))
        if (match := _OBJECTS.match(path)) is not None and method == "GET":
            return self._list(request, unquote(match.group(1)))
        if (match := _OBJECT.match(path)) is not None:
            bucket, name = unquote(match.group(1)), unquote(match.group(2))
            self._store.ensure_bucket(bucket)
            if method == "GET":
                return self._get(request, bucket, name)
            if method == "PATCH" and not path.startswith("/download"):
                return self._patch(request, bucket, name)
            if method == "DELETE" and not path.startswith("/download"):
                return self._delete(request, bucket, name)
        if (match := _BUCKET.match(path)) is not None and method == "GET":
            bucket = unquote(match.group(1))
            self._store.ensure_bucket(bucket)
            return json_response(200, bucket_metadata(bucket, request.base_url))
        if (match := _PUBLIC.match(path)) is not None and method == "GET":
            bucket, name = unquote(match.group(1)), unquote(match.group(2))
            stored = self._store.get(bucket, name)
            if stored is None:
                return _not_found(request, bucket, name)
            return send_object(stored.metadata, stored.data, request)
        return status_response(501)

    def _buckets(self, request: Request) -> Response:
        if not self._store.buckets():
            self._store.ensure_bucket(self._default_bucket)
        items = [bucket_metadata(b, request.base_url) for b in self._store.buckets()]
        return json_response(200, {"kind": "storage#buckets", "items": items})

    def _get(self, request: Request, bucket: str, name: str) -> Response:
        stored = self._store.get(bucket, name)
        generation = _generation(request.query, "generation")
        if stored is not None and generation is not None:
            stored = stored if stored.metadata.generation == generation else None
        if stored is None:
            return _not_found(request, bucket, name)
        if request.query.get("alt") == "media":
            return send_object(stored.metadata, stored.data, request)
        return json_response(200, cloud_metadata(stored.metadata, request.base_url))

    def _patch(self, request: Request, bucket: str, name: str) -> Response:
        incoming = _json_object(request.body)
        if incoming is None:
            return status_response(400)
        updated = self._store.update(bucket, name, lambda m: m.with_changes(incoming))
        if updated is None:
            return _not_found(request, bucket, name)
        return json_response(200, cloud_metadata(updated, request.base_url))

    def _delete(self, request: Request, bucket: str, name: str) -> Response:
        try:
            deleted = self._store.delete(
                bucket, name, if_generation_match=_generation(request.query, "ifGenerationMatch")
            )
        except PreconditionFailedError:
            return _precondition_failed()
        if deleted is None:
            return _not_found(request, bucket, name)
        return status_response(204)

    def _list(self, request: Request, bucket: str) -> Response:
        self._store.ensure_bucket(bucket)
        max_results = request.query.get("maxResults", "")
        page = self._store.list_objects(
            bucket,
            prefix=request.query.get("prefix", ""),
            delimiter=request.query.get("delimiter", ""),
            page_token=request.query.get("pageToken") or None,
            max_results=int(max_results) if max_results.isdigit() else None,
            start_offset=request.query.get("startOffset", ""),
        )
        body: dict[str, object] = {"kind": "storage#objects"}
        if page.next_page_token is not None:
            body["nextPageToken"] = page.next_page_token
        if page.prefixes:
            body["prefixes"] = page.prefixes
        if page.items:
            body["items"] = [cloud_metadata(item, request.base_url) for item in page.items]
        return json_response(200, body)

    # Uploads ----------------------------------------------------------------------------

    def _upload(self, request: Request, bucket: str) -> Response:
        upload_type = request.query.get("uploadType") or request.header("x-goog-upload-protocol")
        if upload_type == "resumable":
            metadata = _json_object(request.body)
            if metadata is None:
                return status_response(400)
            name = _name_from(request.query, metadata)
            if name is None:
                return status_response(400)
            content_type = request.header("x-upload-content-type")
            if content_type and "contentType" not in metadata:
                metadata = {"contentType": content_type, **metadata}
            session = self._uploads.start(bucket, name, metadata, ADMIN)
            self._preconditions[session.id] = _generation(request.query, "ifGenerationMatch")
            query = urlencode({"name": name, "uploadType": "resumable", "upload_id": session.id})
            location = f"{request.base_url}/upload/storage/v1/b/{bucket}/o?{query}"
            return status_response(200, [("Location", location)])
        if upload_type == "multipart":
            content_type = request.header("content-type") or request.header("x-upload-content-type")
            if not content_type:
                return status_response(400)
            try:
                upload = parse_multipart_upload(content_type, request.body)
            except MultipartError as error:
                return json_response(400, {"error": {"code": 400, "message": str(error)}})
            name = _name_from(request.query, upload.metadata)
            if name is None:
                return status_response(400)
            metadata = dict(upload.metadata)
            declared = request.header("x-upload-content-type")
            if declared and "contentType" not in metadata:
                metadata["contentType"] = declared
            return self._store_object(request, bucket, name, metadata, upload.data)
        name = request.query.get("name")
        if not name:
            return status_response(400)
        content_type = request.header("content-type")
        declared_type: dict[str, object] = {"contentType": content_type} if content_type else {}
        return self._store_object(request, bucket, name, declared_type, request.body)

    def _resumable_bytes(self, request: Request) -> Response:
        upload_id = request.query.get("upload_id")
        if not upload_id:
            return status_response(400)
        total: int | None = None
        content_range = request.header("content-range")
        if content_range:
            match = _CONTENT_RANGE.match(content_range.strip())
            if match is None:
                return status_response(400)
            total = None if match.group(3) == "*" else int(match.group(3))
        try:
            session = self._uploads.append(upload_id, request.body)
        except UploadNotFoundError:
            return status_response(404)
        except UploadNotActiveError:
            return status_response(400)
        incomplete = total is None or session.received < total
        if content_range and incomplete:
            headers = []
            if session.received:
                headers.append(("Range", f"bytes=0-{session.received - 1}"))
            return Response(308, b"", None, headers)
        try:
            session, data = self._uploads.finalize(upload_id)
        except UploadNotFoundError:
            return status_response(404)
        except (UploadNotActiveError, UploadPreviouslyFinalizedError):
            return status_response(400)
        return self._store_object(
            request,
            session.bucket,
            session.name,
            session.metadata,
            data,
            if_generation_match=self._preconditions.pop(upload_id, None),
        )

    def _store_object(
        self,
        request: Request,
        bucket: str,
        name: str,
        metadata: dict[str, object],
        data: bytes,
        *,
        if_generation_match: int | None = None,
    ) -> Response:
        if if_generation_match is None:
            if_generation_match = _generation(request.query, "ifGenerationMatch")
        stored: StoredObject = new_object(bucket, name, data, metadata)
        try:
            self._store.put(stored, if_generation_match=if_generation_match)
        except PreconditionFailedError:
            return _precondition_failed()
        return json_response(200, cloud_metadata(stored.metadata, request.base_url))

    def _copy(
        self,
        request: Request,
        bucket: str,
        name: str,
        verb: str,
        target_bucket: str,
        target_name: str,
    ) -> Response:
        source = self._store.get(bucket, name)
        if source is None:
            return _not_found(request, bucket, name)
        incoming = _json_object(request.body) or {}
        metadata = source.metadata
        base: dict[str, object] = {
            "contentType": metadata.content_type,
            "contentDisposition": metadata.content_disposition,
            "contentEncoding": metadata.content_encoding,
            "contentLanguage": metadata.content_language,
            "cacheControl": metadata.cache_control,
            "metadata": dict(metadata.custom or {}),
        }
        tokens = metadata.download_tokens if not incoming.get("metadata") else ()
        copied = new_object(
            target_bucket, target_name, source.data, {**base, **incoming}, tokens=tokens
        )
        self._store.ensure_bucket(target_bucket)
        self._store.put(copied)
        resource = cloud_metadata(copied.metadata, request.base_url)
        if verb == "copyTo":
            return json_response(200, resource)
        size = str(copied.metadata.size)
        return json_response(
            200,
            {
                "kind": "storage#rewriteResponse",
                "totalBytesRewritten": size,
                "objectSize": size,
                "done": True,
                "resource": resource,
            },
        )
