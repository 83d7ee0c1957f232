"""What an upload is (its path, its real type) and whether Mitché keeps it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitche.domain.attachments import (
    UploadFolder,
    UploadPath,
    judge_upload,
    parse_upload_path,
    sniff_content_type,
)
from mitche.models.common import AttachmentContentType as T

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
GIF = b"GIF89a\x01\x00\x01\x00"
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 "
PDF = b"%PDF-1.7\n%\xe2\xe3"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (JPEG, T.JPEG),
        (PNG, T.PNG),
        (GIF, T.GIF),
        (b"GIF87a" + b"\x00" * 10, T.GIF),
        (WEBP, T.WEBP),
        (PDF, T.PDF),
        (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
        (b"<svg xmlns='http://www.w3.org/2000/svg'>", None),
        (b"PK\x03\x04", None),
        (b"", None),
    ],
)
def test_the_type_is_read_from_the_signature(head, expected):
    """JPEG, PNG, GIF, WebP and PDF by their magic bytes; anything else (SVG, WAV, ZIP) is
    none of them."""
    assert sniff_content_type(head) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("uploads/alice/avatars/me.jpg", UploadPath("alice", UploadFolder.AVATARS, None, "me.jpg")),
        (
            "uploads/alice/requests/req-1/photo.jpg",
            UploadPath("alice", UploadFolder.REQUESTS, "req-1", "photo.jpg"),
        ),
        (
            "uploads/alice/messages/conv-1/msg-1/map.pdf",
            UploadPath("alice", UploadFolder.MESSAGES, "conv-1", "map.pdf", message_id="msg-1"),
        ),
        (
            "uploads/alice/stories/thr-1/us.jpg",
            UploadPath("alice", UploadFolder.STORIES, "thr-1", "us.jpg"),
        ),
        ("uploads/alice/messages/conv-1/map.pdf", None),
        ("uploads/alice/messages/conv-1//map.pdf", None),
        ("uploads/alice/stories/thr-1/x/us.jpg", None),
        ("uploads/alice/avatars/x/me.jpg", None),
        ("uploads/alice/requests/photo.jpg", None),
        ("uploads/alice/music/r/a.mp3", None),
        ("uploads/alice/requests/r/.hidden", None),
        ("elsewhere/alice/requests/r/a.jpg", None),
        ("uploads//requests/r/a.jpg", None),
    ],
)
def test_upload_paths(name, expected):
    """Only `uploads/{owner}/avatars/{file}`, `uploads/{owner}/{folder}/{parent}/{file}` and
    `uploads/{owner}/messages/{conversation}/{message}/{file}` are member uploads."""
    assert parse_upload_path(name) == expected
    if expected is not None:
        assert expected.name == name


def test_thumbnails_sit_beside_their_image():
    """`thumb-<file>`, a PNG for a GIF (its first frame)."""
    path = UploadPath("alice", UploadFolder.REQUESTS, "r", "cat.gif")
    assert path.thumbnail_name(T.GIF) == "uploads/alice/requests/r/thumb-cat.png"
    assert path.thumbnail_name(T.JPEG) == "uploads/alice/requests/r/thumb-cat.gif"
    assert parse_upload_path("uploads/alice/requests/r/thumb-cat.png").is_thumbnail  # type: ignore[union-attr]


REQUEST = UploadPath("alice", UploadFolder.REQUESTS, "r", "f")
AVATAR = UploadPath("alice", UploadFolder.AVATARS, None, "f")


@pytest.mark.parametrize(
    ("path", "declared", "head", "size", "accepted", "reason"),
    [
        (REQUEST, "image/jpeg", JPEG, 1000, True, None),
        (REQUEST, "application/pdf", PDF, 1000, True, None),
        (
            AVATAR,
            "application/pdf",
            PDF,
            1000,
            False,
            "a PDF document cannot be attached to avatars",
        ),
        (
            REQUEST,
            "image/jpeg",
            PNG,
            1000,
            False,
            "the file was sent as image/jpeg but its bytes are a PNG image",
        ),
        (
            REQUEST,
            "image/png",
            b"#!/bin/sh\nrm -rf /",
            1000,
            False,
            "the file is not a JPEG, PNG, WebP or GIF image or a PDF",
        ),
        (
            REQUEST,
            "image/jpeg",
            JPEG,
            11 * 1024 * 1024,
            False,
            "the file is 11.0 MiB; at most 10.0 MiB allowed",
        ),
        (REQUEST, "image/jpeg", b"", 0, False, "the file is empty"),
    ],
)
def test_verdicts(path, declared, head, size, accepted, reason):
    """Kept only when the bytes are an accepted type matching the declared one, allowed in the
    folder, not empty and within the limit; otherwise the reason says what was wrong."""
    verdict = judge_upload(
        path, declared=declared, head=head, size=size, max_bytes=10 * 1024 * 1024
    )
    assert verdict.accepted is accepted
    assert verdict.reason == reason


@given(st.binary(max_size=64))
def test_sniffing_never_fails_on_junk(head):
    """Any bytes get an answer, never an exception."""
    assert sniff_content_type(head) in (None, *T)


@given(st.text(max_size=80))
def test_parsing_never_fails_on_junk(name):
    """Any name gets an answer; a parsed name rebuilds to itself."""
    parsed = parse_upload_path(name)
    assert parsed is None or parsed.name == name


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("uploads/alice/avatars/me.jpg", "users/alice"),
        ("uploads/alice/requests/r1/a.jpg", "requests/r1"),
        ("uploads/alice/messages/c1/m1/a.jpg", "messages/m1"),
        ("uploads/alice/events/e1/a.jpg", "communityEvents/e1"),
        ("uploads/alice/resources/s1/a.png", "resources/s1"),
        ("uploads/alice/stories/t1/a.jpg", "tapestryThreads/t1"),
    ],
)
def test_every_upload_names_its_one_document(name, document):
    """The document a file belongs to comes from its path alone (a message's file from the
    message id, not the conversation), so the pipeline and the sweep read one document."""
    path = parse_upload_path(name)
    assert path is not None
    assert path.document_path == document
    assert path.thumbnail_name(T.JPEG).rpartition("/")[0] == name.rpartition("/")[0]
