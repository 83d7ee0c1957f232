"""The Firebase Storage API at the wire: statuses, headers and bodies as the official emulator
gives them. Each expectation cites the firebase-tools (15.x) source it comes from,
`lib/emulator/storage/...` in the npm package."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from firelab.storage import StorageServer

from .conftest import BUCKET, OWNER, RULES, firebase_auth

OBJECTS = f"/v0/b/{BUCKET}/o"


def upload(http: httpx.Client, name: str, data: bytes, *, uid: str = "alice", **headers: str):
    return http.post(
        OBJECTS,
        params={"name": name},
        content=data,
        headers={"Content-Type": "text/plain", **firebase_auth(uid), **headers},
    )


def test_a_media_upload_answers_the_object_as_the_firebase_api_shows_it(http):
    """apis/firebase.js finalizeOneShotUpload + metadata.js OutgoingFirebaseMetadata: numbers
    as strings, crc32c decimal, a download token, contentEncoding identity, disposition
    inline."""
    response = upload(http, "users/alice/a.txt", b"hello")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "users/alice/a.txt"
    assert body["bucket"] == BUCKET
    assert body["size"] == "5"
    assert body["metageneration"] == "1"
    assert body["contentType"] == "text/plain"
    assert body["md5Hash"] == "XUFAKrxLKna5cZ2REBfFkg=="
    assert body["crc32c"] == "2591144780"
    assert body["contentEncoding"] == "identity"
    assert body["contentDisposition"] == "inline"
    assert len(body["downloadTokens"]) == 36


# (request, expected status, expected JSON body or text) — apis/firebase.js and server.js.
NO_RULES = {
    "error": {"code": 403, "message": "Permission denied. Storage Emulator has no loaded ruleset."}
}


def test_without_rules_every_client_request_is_refused(storage: StorageServer, http):
    """apis/firebase.js: the bucket middleware answers 403 while no ruleset is loaded, even to
    the owner."""
    storage.rules.clear()
    try:
        response = http.get(f"{OBJECTS}/x", headers=OWNER)
        assert (response.status_code, response.json()) == (403, NO_RULES)
    finally:
        assert storage.load_rules(RULES) == []


@pytest.mark.parametrize(
    ("method", "path", "headers", "status", "body"),
    [
        # GET object: ForbiddenError -> 403 "No READ permission." (rules before existence).
        (
            "GET",
            f"{OBJECTS}/users%2Falice%2Fmissing",
            {},
            403,
            {"error": {"code": 403, "message": "Permission denied. No READ permission."}},
        ),
        # NotFoundError -> sendStatus(404).
        ("GET", f"{OBJECTS}/users%2Falice%2Fmissing", "alice", 404, "Not Found"),
        # DELETE: ForbiddenError -> 403 "No WRITE permission.", NotFoundError -> 404.
        (
            "DELETE",
            f"{OBJECTS}/users%2Falice%2Fmissing",
            "bob",
            403,
            {"error": {"code": 403, "message": "Permission denied. No WRITE permission."}},
        ),
        ("DELETE", f"{OBJECTS}/users%2Falice%2Fmissing", "alice", 404, "Not Found"),
        # list: a prefix not ending in '/' is a 400 with this message.
        (
            "GET",
            f"{OBJECTS}?prefix=users",
            "alice",
            400,
            {
                "error": {
                    "code": 400,
                    "message": "The prefix parameter is required to be empty or "
                    "ends with a single / character.",
                }
            },
        ),
        # list: ForbiddenError -> 403 "No LIST permission."
        (
            "GET",
            f"{OBJECTS}?prefix=users%2F",
            {},
            403,
            {"error": {"code": 403, "message": "Permission denied. No LIST permission."}},
        ),
        # create_token without admin credentials -> 403 "Missing admin credentials."
        (
            "POST",
            f"{OBJECTS}/users%2Falice%2Fa.txt?create_token=true",
            "alice",
            403,
            {"error": {"code": 403, "message": "Missing admin credentials."}},
        ),
        # create_token other than "true" -> 400.
        ("POST", f"{OBJECTS}/users%2Falice%2Fa.txt?create_token=yes", OWNER, 400, "Bad Request"),
        # A resumable command without an upload_id -> 400; an unknown upload id -> 404.
        ("POST", f"{OBJECTS}?name=x", {"X-Goog-Upload-Command": "query"}, 400, "Bad Request"),
        (
            "POST",
            f"{OBJECTS}?name=x&upload_id=nope",
            {"X-Goog-Upload-Command": "query"},
            404,
            "Not Found",
        ),
        # resumable protocol without a command -> 400.
        ("POST", f"{OBJECTS}?name=x", {"X-Goog-Upload-Protocol": "resumable"}, 400, "Bad Request"),
        # An upload without a name -> 400.
        ("POST", OBJECTS, "alice", 400, "Bad Request"),
        # GET /v0 answers who it is.
        ("GET", "/v0", {}, 200, {"emulator": "storage"}),
    ],
    ids=lambda value: value if isinstance(value, str) and value.isupper() else None,
)
def test_error_statuses_and_bodies(http, method, path, headers, status, body):
    """Each refusal has the emulator's status and body (see the comment above each row)."""
    if isinstance(headers, str):
        headers = firebase_auth(headers)
    response = http.request(method, path, headers=headers)
    assert response.status_code == status
    if isinstance(body, dict):
        assert response.json() == body
    else:
        assert response.text == body


def test_a_malformed_multipart_body_is_a_400_with_the_parsers_message(http):
    """multipart.js: exactly two parts, else "Unexpected number of parts in request body";
    apis/firebase.js sends the message as the body of a 400."""
    response = http.post(
        OBJECTS,
        params={"name": "users/alice/m.txt"},
        content=b"--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b--",
        headers={
            "X-Goog-Upload-Protocol": "multipart",
            "Content-Type": "multipart/related; boundary=b",
            **firebase_auth("alice"),
        },
    )
    assert response.status_code == 400
    assert response.text == "Unexpected number of parts in request body"


def test_a_multipart_body_stores_its_metadata_and_bytes(http):
    """The web SDK's multipart upload: a JSON part then the bytes."""
    metadata = {"name": "users/alice/m.txt", "contentType": "text/plain", "metadata": {"k": "v"}}
    body = (
        b"--xyz\r\nContent-Type: application/json; charset=utf-8\r\n\r\n"
        + json.dumps(metadata).encode()
        + b"\r\n--xyz\r\nContent-Type: text/plain\r\n\r\nmultipart bytes\r\n--xyz--"
    )
    response = http.post(
        OBJECTS,
        params={"name": "users/alice/m.txt"},
        content=body,
        headers={
            "X-Goog-Upload-Protocol": "multipart",
            "Content-Type": "multipart/related; boundary=xyz",
            **firebase_auth("alice"),
        },
    )
    assert response.status_code == 200
    assert response.json()["metadata"] == {"k": "v"}
    media = http.get(f"{OBJECTS}/users%2Falice%2Fm.txt", params={"alt": "media"}, headers=OWNER)
    assert media.content == b"multipart bytes"


def test_a_download_carries_the_emulators_headers(http):
    """apis/shared.js sendFileBytes: Accept-Ranges, Content-Disposition with an RFC 5987 file
    name, generation headers and x-goog-hash."""
    upload(http, "users/alice/r\u00e9sum\u00e9 (1).txt", b"0123456789")
    response = http.get(
        f"{OBJECTS}/users%2Falice%2Fr%C3%A9sum%C3%A9%20(1).txt",
        params={"alt": "media"},
        headers=firebase_auth("bob"),
    )
    assert response.status_code == 200
    assert response.headers["accept-ranges"] == "bytes"
    assert response.headers["content-disposition"] == (
        "inline; filename*=r%C3%A9sum%C3%A9%20%281%29.txt"
    )
    assert response.headers["x-goog-hash"].startswith("crc32c=")
    assert response.headers["x-goog-metageneration"] == "1"


@pytest.mark.parametrize(
    ("range_header", "status", "body", "content_range"),
    [
        ("bytes=2-5", 206, b"2345", "bytes 2-5/10"),
        ("bytes=7-", 206, b"789", "bytes 7-9/10"),
        ("bytes=-3", 206, b"789", "bytes 7-9/10"),
        ("bytes=8-100", 206, b"89", "bytes 8-9/10"),
        # range-parser: unsatisfiable (-1) and malformed (-2) ranges are ignored by
        # sendFileBytes, which then sends the whole object with 200 (never 416).
        ("bytes=20-30", 200, b"0123456789", None),
        ("bytes=abc", 200, b"0123456789", None),
        ("items=1-2", 200, b"0123456789", None),
    ],
)
def test_ranges_as_express_reads_them(http, range_header, status, body, content_range):
    """apis/shared.js: `req.range(size, {combine: true})`; the first range is served."""
    upload(http, "users/alice/digits.txt", b"0123456789")
    response = http.get(
        f"{OBJECTS}/users%2Falice%2Fdigits.txt",
        params={"alt": "media"},
        headers={"Range": range_header, **firebase_auth("alice")},
    )
    assert response.status_code == status
    assert response.content == body
    assert response.headers.get("content-range") == content_range


def test_a_download_token_lets_anyone_read_and_a_wrong_one_does_not(http):
    """files.js getObject: a token among the object's downloadTokens skips the rules."""
    token = upload(http, "users/alice/t.txt", b"secret").json()["downloadTokens"]
    path = f"{OBJECTS}/users%2Falice%2Ft.txt"
    assert http.get(path, params={"alt": "media", "token": token}).content == b"secret"
    assert http.get(path, params={"alt": "media", "token": "wrong"}).status_code == 403


def test_tokens_are_created_and_revoked_by_the_owner_only(http):
    """apis/firebase.js handleTokenRequest; metadata.js deleteDownloadToken keeps one token."""
    first = upload(http, "users/alice/k.txt", b"k").json()["downloadTokens"]
    path = f"{OBJECTS}/users%2Falice%2Fk.txt"
    created = http.post(path, params={"create_token": "true"}, headers=OWNER).json()
    tokens = created["downloadTokens"].split(",")
    assert tokens[0] == first
    assert len(tokens) == 2
    revoked = http.post(path, params={"delete_token": first}, headers=OWNER).json()
    assert revoked["downloadTokens"] == tokens[1]
    last = http.post(path, params={"delete_token": tokens[1]}, headers=OWNER).json()
    assert last["downloadTokens"] not in ("", tokens[1])


def test_a_resumable_upload_in_three_requests(http):
    """apis/firebase.js: start answers the upload URL in x-goog-upload-url; chunks answer
    status active; upload, finalize answers final and the object; a second finalize repeats
    the first's status; query reports the bytes received."""
    start = http.post(
        OBJECTS,
        params={"name": "users/alice/big.bin"},
        json={"contentType": "application/octet-stream"},
        headers={
            "X-Goog-Upload-Protocol": "resumable",
            "X-Goog-Upload-Command": "start",
            **firebase_auth("alice"),
        },
    )
    assert start.status_code == 200
    assert start.headers["x-goog-upload-status"] == "active"
    assert start.headers["x-goog-upload-chunk-granularity"] == "10000"
    url = start.headers["x-goog-upload-url"]
    assert url.startswith(str(http.base_url).rstrip("/") + f"/v0/b/{BUCKET}/o?")
    chunk = http.post(url, content=b"a" * 1000, headers={"X-Goog-Upload-Command": "upload"})
    assert (chunk.status_code, chunk.headers["x-goog-upload-status"]) == (200, "active")
    query = http.post(url, headers={"X-Goog-Upload-Command": "query"})
    assert query.headers["x-goog-upload-size-received"] == "1000"
    final = http.post(
        url, content=b"b" * 500, headers={"X-Goog-Upload-Command": "upload, finalize"}
    )
    assert final.status_code == 200
    assert final.headers["x-goog-upload-status"] == "final"
    assert final.json()["size"] == "1500"
    again = http.post(url, headers={"X-Goog-Upload-Command": "finalize"})
    assert (again.status_code, again.headers["x-goog-upload-status"]) == (200, "final")
    cancel = http.post(url, headers={"X-Goog-Upload-Command": "cancel"})
    assert cancel.status_code == 400


def test_a_denied_resumable_upload_is_final_with_403(http):
    """finalizeOneShotUpload: a ForbiddenError answers 403 with x-goog-upload-status final,
    and a repeated finalize repeats 403."""
    start = http.post(
        OBJECTS,
        params={"name": "users/alice/nope.bin"},
        json={},
        headers={
            "X-Goog-Upload-Protocol": "resumable",
            "X-Goog-Upload-Command": "start",
            **firebase_auth("bob"),
        },
    )
    url = start.headers["x-goog-upload-url"]
    final = http.post(url, content=b"x", headers={"X-Goog-Upload-Command": "upload, finalize"})
    assert (final.status_code, final.headers["x-goog-upload-status"]) == (403, "final")
    again = http.post(url, headers={"X-Goog-Upload-Command": "finalize"})
    assert again.status_code == 403


def test_metadata_updates_through_patch_and_the_put_override(http):
    """apis/firebase.js: PATCH, and PUT with X-HTTP-Method-Override: PATCH, update metadata;
    metageneration moves on."""
    upload(http, "users/alice/p.txt", b"p")
    path = f"{OBJECTS}/users%2Falice%2Fp.txt"
    patched = http.patch(path, json={"contentLanguage": "fr"}, headers=firebase_auth("alice"))
    assert patched.json()["contentLanguage"] == "fr"
    overridden = http.put(
        path,
        json={"metadata": {"a": "b"}},
        headers={"X-HTTP-Method-Override": "PATCH", **firebase_auth("alice")},
    )
    assert overridden.json()["metageneration"] == "3"
    assert overridden.json()["metadata"] == {"a": "b"}
    refused = http.patch(path, json={"contentLanguage": "de"}, headers=firebase_auth("bob"))
    assert refused.status_code == 403


def test_an_oversize_body_is_refused_with_413_before_it_is_read(storage: StorageServer):
    """server.js: body-parser limit 130mb; a larger declared body is a 413."""
    with socket.create_connection(("127.0.0.1", storage.port), timeout=10) as connection:
        connection.sendall(
            f"POST {OBJECTS}?name=users/alice/huge HTTP/1.1\r\nHost: x\r\n"
            f"Content-Length: {131 * 1024 * 1024}\r\n\r\n".encode()
        )
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_cors_preflight_and_exposed_headers(http):
    """server.js: cors({origin: true, exposedHeaders: [...upload headers]})."""
    preflight = http.options(
        OBJECTS,
        headers={
            "Origin": "http://localhost:5173",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-goog-upload-command",
        },
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert preflight.headers["access-control-allow-headers"] == "x-goog-upload-command"
    answer = http.get("/v0", headers={"Origin": "http://localhost:5173"})
    assert "x-goog-upload-url" in answer.headers["access-control-expose-headers"]


def test_head_answers_like_get_without_a_body(http):
    """Express routes HEAD through the GET handlers and sends the headers alone."""
    upload(http, "users/alice/h.txt", b"head")
    response = http.head(f"{OBJECTS}/users%2Falice%2Fh.txt?alt=media", headers=OWNER)
    assert response.status_code == 200
    assert response.headers["content-length"] == "4"
    assert response.content == b""
