"""The Firebase Storage REST API under `/v0`, which the client SDKs use; storage.rules decide.

Routes, statuses and error bodies follow the official emulator (firebase-tools
`emulator/storage/apis/firebase.js`):

- every `/v0/b/{bucket}/...` request is refused with 403 "Permission denied. Storage
  Emulator has no loaded ruleset." while no rules are loaded;
- `GET /b/{bucket}/o/{name}`: metadata, or the bytes with `alt=media`; a valid download
  `token` skips the rules; denied: 403 "Permission denied. No READ permission."; absent: 404;
  an object without a download token gets one;
- `GET /b/{bucket}/o?prefix=&delimiter=&pageToken=&maxResults=`: `{prefixes, items: [{name,
  bucket}], nextPageToken}`; a prefix not ending in `/` is a 400; denied: 403 "Permission
  denied. No LIST permission.";
- `POST|PUT /b/{bucket}/o[/{name}]`: media, multipart (`X-Goog-Upload-Protocol: multipart`)
  and resumable uploads (`X-Goog-Upload-Command: start|upload|finalize|query|cancel`), each
  new object given a download token and `contentDisposition: inline`; denied: 403
  "Permission denied. No WRITE permission."; `?create_token=true` / `?delete_token=T` need
  administrator credentials (403 "Missing admin credentials.");
- `PATCH` (or `PUT` with `X-HTTP-Method-Override: PATCH`): update metadata;
- `DELETE`: 204, 403 as for writes, 404 when absent. Rules are judged before existence.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import unquote, urlencode

from firelab.storage._access import Caller, StorageRules, caller_from_header
from firelab.storage._http import Request, Response, json_response, status_response
from firelab.storage._media import send_object
from firelab.storage._multipart import MultipartError, parse_multipart_upload
from firelab.storage._objects import (
    DOWNLOAD_TOKENS_KEY,
    ObjectMetadata,
    StoredObject,
    new_object,
)
from firelab.storage._shapes import firebase_metadata, rules_resource
from firelab.storage._store import ObjectStore
from firelab.storage._uploads import (
    NotCancellableError,
    UploadNotActiveError,
    UploadNotFoundError,
    UploadPreviouslyFinalizedError,
    UploadSessions,
)

__all__ = ["FirebaseApi"]

_ROUTE = re.compile(r"^/v0/b/([^/]+)/o(?:/(.*))?$")
_NO_RULES = "Permission denied. Storage Emulator has no loaded ruleset."
_HTML = "text/html; charset=utf-8"


def _error(status: int, message: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return json_response(status, {"error": {"code": status, "message": message}}, headers)


def _denied(permission: str) -> Response:
    return _error(403, f"Permission denied. No {permission} permission.")


def _object_headers(metadata: ObjectMetadata) -> list[tuple[str, str]]:
    """The emulator's setObjectHeaders, without Content-Encoding (which would make clients
    try to decode the JSON body)."""
    headers = []
    if metadata.content_disposition:
        headers.append(("Content-Disposition", metadata.content_disposition))
    if metadata.cache_control:
        headers.append(("Cache-Control", metadata.cache_control))
    if metadata.content_language:
        headers.append(("Content-Language", metadata.content_language))
    return headers


def _json_body(request: Request) -> dict[str, object] | None:
    """The body as a JSON object ({} when empty), None when it is not one."""
    if not request.body.strip():
        return {}
    try:
        value = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def _valid_path(path: str) -> bool:
    path = path.removeprefix("/")
    return bool(path) and all(path.split("/"))


class FirebaseApi:
    """Answers `/v0` requests."""

    def __init__(self, store: ObjectStore, rules: StorageRules, uploads: UploadSessions) -> None:
        self._store = store
        self._rules = rules
        self._uploads = uploads

    def handle(self, request: Request) -> Response | None:
        """The answer, or None when the path is not under `/v0`."""
        if request.path in ("/v0", "/v0/"):
            return json_response(200, {"emulator": "storage"}) if request.method == "GET" else None
        if not request.path.startswith("/v0/"):
            return None
        match = _ROUTE.match(request.path)
        if match is None:
            return status_response(404)
        bucket = unquote(match.group(1))
        name = unquote(match.group(2)) if match.group(2) else None
        self._store.ensure_bucket(bucket)
        if self._rules.ruleset(bucket) is None:
            return _error(403, _NO_RULES)
        caller = caller_from_header(request.header("authorization"))
        method = request.method
        override = (request.header("x-http-method-override") or "").lower()
        if method == "GET" and name is not None:
            return self._get(request, caller, bucket, name)
        if method == "GET":
            return self._list(request, caller, bucket)
        if method == "PATCH" or (method == "PUT" and override == "patch"):
            if name is None:
                return status_response(404)
            return self._update(request, caller, bucket, name)
        if method in ("POST", "PUT"):
            if "create_token" in request.query or "delete_token" in request.query:
                if name is None:
                    return status_response(404)
                return self._token(request, caller, bucket, name)
            return self._upload(request, caller, bucket, name)
        if method == "DELETE" and name is not None:
            return self._delete(caller, bucket, name)
        return status_response(404)

    # Reads ------------------------------------------------------------------------------

    def _get(self, request: Request, caller: Caller, bucket: str, name: str) -> Response:
        stored = self._store.get(bucket, name)
        token = request.query.get("token")
        allowed = stored is not None and bool(token) and token in stored.metadata.download_tokens
        if not allowed:
            resource = None if stored is None else rules_resource(stored.metadata)
            allowed = self._rules.allows(caller, "get", bucket, name, resource=resource)
        if not allowed:
            return _denied("READ")
        if stored is None:
            return status_response(404)
        metadata = stored.metadata
        if not metadata.download_tokens:
            updated = self._store.update(bucket, name, lambda m: m.with_new_token())
            metadata = updated or metadata
        if request.query.get("alt") == "media":
            return send_object(metadata, stored.data, request)
        return json_response(200, firebase_metadata(metadata))

    def _list(self, request: Request, caller: Caller, bucket: str) -> Response:
        prefix = request.query.get("prefix", "")
        if prefix and not prefix.endswith("/"):
            return _error(
                400,
                "The prefix parameter is required to be empty or ends with a single / character.",
            )
        delimiter = request.query.get("delimiter", "")
        if not self._rules.allows(caller, "list", bucket, prefix.rstrip("/")):
            return _denied("LIST")
        page = self._store.list_objects(
            bucket,
            prefix=prefix,
            delimiter=delimiter,
            page_token=request.query.get("pageToken") or None,
            max_results=_positive(request.query.get("maxResults")),
        )
        body: dict[str, object] = {}
        if page.next_page_token is not None:
            body["nextPageToken"] = page.next_page_token
        body["prefixes"] = [p for p in page.prefixes if _valid_path(p.removesuffix("/"))]
        body["items"] = [
            {"name": item.name, "bucket": item.bucket}
            for item in page.items
            if _valid_path(item.name)
        ]
        return json_response(200, body)

    # Writes -----------------------------------------------------------------------------

    def _update(self, request: Request, caller: Caller, bucket: str, name: str) -> Response:
        incoming = _json_body(request)
        if incoming is None:
            return status_response(400)
        stored = self._store.get(bucket, name)
        before = None if stored is None else stored.metadata
        after = None if before is None else before.with_changes(incoming)
        allowed = self._rules.allows(
            caller,
            "update",
            bucket,
            name,
            resource=None if before is None else rules_resource(before),
            request_resource=None if after is None else rules_resource(after),
        )
        if not allowed:
            return _denied("WRITE")
        updated = self._store.update(bucket, name, lambda m: m.with_changes(incoming))
        if updated is None:
            return status_response(404)
        return json_response(200, firebase_metadata(updated), _object_headers(updated))

    def _delete(self, caller: Caller, bucket: str, name: str) -> Response:
        stored = self._store.get(bucket, name)
        resource = None if stored is None else rules_resource(stored.metadata)
        if not self._rules.allows(caller, "delete", bucket, name, resource=resource):
            return _denied("WRITE")
        if self._store.delete(bucket, name) is None:
            return status_response(404)
        return status_response(204)

    def _token(self, request: Request, caller: Caller, bucket: str, name: str) -> Response:
        create = request.query.get("create_token")
        if create is not None and create != "true":
            return status_response(400)
        if not caller.admin:
            return _error(403, "Missing admin credentials.")
        if create is not None:
            updated = self._store.update(bucket, name, lambda m: m.with_new_token())
        else:
            revoked = request.query.get("delete_token", "")
            updated = self._store.update(bucket, name, lambda m: m.without_token(revoked))
        if updated is None:
            return status_response(404)
        return json_response(200, firebase_metadata(updated), _object_headers(updated))

    # Uploads ----------------------------------------------------------------------------

    def _upload(self, request: Request, caller: Caller, bucket: str, name: str | None) -> Response:
        name = name or request.query.get("name") or None
        protocol = request.header("x-goog-upload-protocol")
        command = request.header("x-goog-upload-command")
        if protocol == "resumable" or command:
            return self._resumable(request, caller, bucket, name, command)
        if name is None:
            return status_response(400)
        if protocol == "multipart":
            content_type = request.header("content-type")
            if not content_type:
                return status_response(400)
            try:
                upload = parse_multipart_upload(content_type, request.body)
            except MultipartError as error:
                return Response(400, str(error).encode(), _HTML)
            return self._finalize(caller, bucket, name, upload.metadata, upload.data)
        content_type = request.header("content-type")
        metadata: dict[str, object] = {"contentType": content_type} if content_type else {}
        return self._finalize(caller, bucket, name, metadata, request.body)

    def _resumable(
        self,
        request: Request,
        caller: Caller,
        bucket: str,
        name: str | None,
        command: str | None,
    ) -> Response:
        if not command:
            return status_response(400)
        if command == "start":
            if name is None:
                return status_response(400)
            metadata = _json_body(request)
            if metadata is None:
                return status_response(400)
            session = self._uploads.start(bucket, name, metadata, caller)
            query = urlencode(
                {"name": name, "upload_id": session.id, "upload_protocol": "resumable"}
            )
            return status_response(
                200,
                [
                    ("x-goog-upload-chunk-granularity", "10000"),
                    ("x-goog-upload-control-url", ""),
                    ("x-goog-upload-status", "active"),
                    ("x-gupload-uploadid", session.id),
                    ("x-goog-upload-url", f"{request.base_url}/v0/b/{bucket}/o?{query}"),
                ],
            )
        upload_id = request.query.get("upload_id")
        if not upload_id:
            return status_response(400)
        try:
            if command == "query":
                session = self._uploads.get(upload_id)
                return status_response(
                    200,
                    [
                        ("X-Goog-Upload-Size-Received", str(session.received)),
                        ("x-goog-upload-status", session.status.value),
                    ],
                )
            if command == "cancel":
                self._uploads.cancel(upload_id)
                return status_response(200)
            if "upload" in command:
                session = self._uploads.append(upload_id, request.body)
                if "finalize" not in command:
                    return status_response(
                        200,
                        [("x-goog-upload-status", "active"), ("x-gupload-uploadid", session.id)],
                    )
            if "finalize" not in command:
                return status_response(400)
        except UploadNotFoundError:
            return status_response(404)
        except (UploadNotActiveError, NotCancellableError):
            return status_response(400)
        try:
            session, data = self._uploads.finalize(upload_id)
        except UploadNotFoundError:
            return status_response(404)
        except UploadNotActiveError:
            return status_response(400)
        except UploadPreviouslyFinalizedError:
            previous = self._uploads.get(upload_id).final_status
            return status_response(previous, [("x-goog-upload-status", "final")])
        response = self._finalize(
            session.caller, session.bucket, session.name, session.metadata, data
        )
        session.final_status = response.status
        response.headers.append(("x-goog-upload-status", "final"))
        return response

    def _finalize(
        self,
        caller: Caller,
        bucket: str,
        name: str,
        incoming: Mapping[str, object],
        data: bytes,
    ) -> Response:
        """Store a completed upload if the rules allow it (`create`, or `update` over an
        existing object)."""
        incoming = dict(incoming)
        custom = incoming.get("metadata")
        if not isinstance(custom, dict) or not custom.get(DOWNLOAD_TOKENS_KEY):
            incoming["metadata"] = {
                **(custom if isinstance(custom, dict) else {}),
                DOWNLOAD_TOKENS_KEY: str(uuid.uuid4()),
            }
        stored = new_object(bucket, name, data, incoming)
        existing = self._store.get(bucket, name)
        allowed = self._rules.allows(
            caller,
            "update" if existing is not None else "create",
            bucket,
            name,
            resource=None if existing is None else rules_resource(existing.metadata),
            request_resource=rules_resource(stored.metadata),
        )
        if not allowed:
            return _denied("WRITE")
        if stored.metadata.content_disposition is None:
            stored = StoredObject(replace(stored.metadata, content_disposition="inline"), data)
        self._store.put(stored)
        return json_response(200, firebase_metadata(stored.metadata))


def _positive(text: str | None) -> int | None:
    try:
        value = int(text) if text else None
    except ValueError:
        return None
    return value if value is not None and value > 0 else None
