"""Serving an object's bytes, as both APIs do (firebase-tools `emulator/storage/apis/
shared.js`, `sendFileBytes`).

Headers: `Accept-Ranges: bytes`, the content type (`application/octet-stream` when unset),
`Content-Disposition: <disposition or attachment>; filename*=<RFC 5987 name>`, `ETag`,
`x-goog-generation`, `x-goog-metageneration`, `x-goog-storage-class` and
`x-goog-hash: crc32c=<base64>,md5=<base64>` (which google-cloud-storage checks each download
against). A gzip-encoded object is unzipped for a client that does not accept gzip. A `Range`
header is honoured like Express's `req.range(size, {combine: true})`: the first satisfiable
range is sent with 206 and `Content-Range`; a malformed or unsatisfiable range gets the whole
object with 200, as on the emulator (never 416).
"""

from __future__ import annotations

import gzip
import re
from urllib.parse import quote

from firelab.storage._http import Request, Response
from firelab.storage._objects import ObjectMetadata, crc32c_base64

__all__ = ["byte_range", "send_object"]

_RANGE = re.compile(r"^\s*(\d*)\s*-\s*(\d*)\s*$")


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte of the first satisfiable range of a `Range: bytes=...` header."""
    if not header:
        return None
    unit, equals, specs = header.partition("=")
    if not equals or unit.strip() != "bytes":
        return None
    ranges: list[tuple[int, int]] = []
    for spec in specs.split(","):
        match = _RANGE.match(spec)
        if match is None:
            return None
        start_text, end_text = match.groups()
        if not start_text and not end_text:
            return None
        if not start_text:
            start, end = max(size - int(end_text), 0), size - 1
        else:
            start = int(start_text)
            end = min(int(end_text), size - 1) if end_text else size - 1
        if start <= end and start < size:
            ranges.append((start, end))
    if not ranges:
        return None
    first = ranges[0]
    for start, end in sorted(ranges):
        if start <= first[1] + 1 and end >= first[0] - 1:
            first = (min(first[0], start), max(first[1], end))
    return first


def _rfc5987(name: str) -> str:
    return quote(name, safe="-_.!~|`^")


def send_object(metadata: ObjectMetadata, data: bytes, request: Request) -> Response:
    """The object's bytes (or the requested range of them) with the emulator's headers."""
    unzipped = False
    if metadata.content_encoding == "gzip" and "gzip" not in (
        request.header("accept-encoding") or ""
    ):
        try:
            data = gzip.decompress(data)
            unzipped = True
        except (OSError, EOFError):
            unzipped = False
    file_name = metadata.name.rsplit("/", 1)[-1]
    headers = [
        ("Accept-Ranges", "bytes"),
        (
            "Content-Disposition",
            f"{metadata.content_disposition or 'attachment'}; filename*={_rfc5987(file_name)}",
        ),
        ("ETag", metadata.etag),
        ("x-goog-generation", str(metadata.generation)),
        ("x-goog-metageneration", str(metadata.metageneration)),
        ("x-goog-storage-class", metadata.storage_class),
        ("x-goog-hash", f"crc32c={crc32c_base64(metadata.crc32c)},md5={metadata.md5_hash}"),
    ]
    if metadata.content_encoding and not unzipped:
        headers.append(("Content-Encoding", metadata.content_encoding))
    if metadata.cache_control:
        headers.append(("Cache-Control", metadata.cache_control))
    content_type = metadata.content_type or "application/octet-stream"
    chosen = None if unzipped else byte_range(request.header("range"), len(data))
    if chosen is not None:
        start, end = chosen
        headers.append(("Content-Range", f"bytes {start}-{end}/{len(data)}"))
        return Response(206, data[start : end + 1], content_type, headers)
    return Response(200, data, content_type, headers)
