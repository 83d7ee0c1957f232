"""`multipart/related` upload bodies: a JSON metadata part, then the object's bytes.

What the client SDKs send (the web SDK's `multipartUpload`, google-resumable-media's
`construct_multipart_request`): `--boundary`, part headers, a blank line, the part body, CRLF,
and `--boundary--` after the last part. Errors carry the official emulator's messages
(firebase-tools `emulator/storage/multipart.js`): "Bad content type. <header>" for a header
that is not multipart/related or has no boundary, "Unexpected number of parts in request
body" unless there are exactly two parts, and "Failed to parse multipart request body part.
Missing content type." for a part without a Content-Type header.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from firelab._errors import FirelabError

__all__ = ["MultipartError", "MultipartUpload", "parse_multipart_upload"]


class MultipartError(FirelabError, ValueError):
    """The body is not a two-part multipart/related upload; the message says why."""


@dataclass(frozen=True, slots=True)
class MultipartUpload:
    """The metadata part (a JSON object) and the object's bytes."""

    metadata: dict[str, object]
    data: bytes
    data_content_type: str


def _boundary(content_type: str) -> str:
    if not content_type.lower().startswith("multipart/related"):
        raise MultipartError(f"Bad content type. {content_type}")
    _, found, rest = content_type.partition("boundary=")
    boundary = rest.split(";", 1)[0].strip()
    if len(boundary) >= 2 and boundary[0] == boundary[-1] and boundary[0] in "\"'":
        boundary = boundary[1:-1]
    if not found or not boundary:
        raise MultipartError(f"Bad content type. {content_type}")
    return boundary


def _part(raw: bytes) -> tuple[str, bytes]:
    """(content type, body) of one part (`raw` starts after the boundary line's CRLF)."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    content_type = None
    if separator:
        for line in head.decode("latin-1").split("\r\n"):
            name, colon, value = line.partition(":")
            if colon and name.strip().lower() == "content-type":
                content_type = value.strip()
    if content_type is None:
        raise MultipartError("Failed to parse multipart request body part. Missing content type.")
    if body.endswith(b"\r\n"):
        body = body[:-2]
    return content_type, body


def parse_multipart_upload(content_type: str, body: bytes) -> MultipartUpload:
    """Split an upload body; raises `MultipartError` for anything else."""
    delimiter = b"--" + _boundary(content_type).encode("latin-1")
    pieces = body.split(delimiter)
    # pieces: preamble, part..., and after the closing delimiter '--' plus any epilogue.
    if len(pieces) < 2:
        raise MultipartError("Unexpected number of parts in request body")
    parts = [piece.removeprefix(b"\r\n") for piece in pieces[1:-1]]
    if len(parts) != 2:
        raise MultipartError("Unexpected number of parts in request body")
    metadata_type, metadata_raw = _part(parts[0])
    data_type, data = _part(parts[1])
    try:
        metadata = json.loads(metadata_raw.decode("utf-8")) if metadata_raw.strip() else {}
    except (UnicodeDecodeError, ValueError) as exc:
        raise MultipartError(f"The metadata part is not JSON: {exc}") from exc
    if not isinstance(metadata, dict):
        raise MultipartError("The metadata part is not a JSON object")
    del metadata_type
    return MultipartUpload(metadata, data, data_type)
