"""What an uploaded file is and whether Mitché keeps it: plain Python over a path and bytes.

Members upload to `uploads/{ownerId}/{folder}/...` (storage.rules let each write only below
their own id): `avatars/{file}`, `{requests|events|resources|stories}/{parentId}/{file}`, or
`messages/{conversationId}/{messageId}/{file}` (a message's files sit below the message, so
who may read them is decided by the message's own participants, and the sweep finds the
message from the path).
The client's declared content type is a claim; the type is read from the file's first bytes
(its signature), and a file whose bytes are not an accepted type, whose signature contradicts
the declared type, that is not allowed in its folder, or that is larger than allowed, is
rejected with a reason the member can read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from mitche.models.common import ATTACHMENT_ROOT, AttachmentContentType
from mitche.models.names import Collection

__all__ = [
    "FOLDER_TYPES",
    "SIGNATURE_BYTES",
    "THUMBNAIL_PREFIX",
    "UploadFolder",
    "UploadPath",
    "Verdict",
    "judge_upload",
    "parse_upload_path",
    "sniff_content_type",
]

SIGNATURE_BYTES: Final = 16
"""How many leading bytes `sniff_content_type` needs."""

THUMBNAIL_PREFIX: Final = "thumb-"
"""Thumbnails sit beside their image as `thumb-<file>` (readable by the image's readers)."""

_FILE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class UploadFolder(StrEnum):
    """The folder below a member's prefix: what the file is attached to."""

    AVATARS = "avatars"
    REQUESTS = "requests"
    MESSAGES = "messages"
    EVENTS = "events"
    RESOURCES = "resources"
    STORIES = "stories"


_IMAGES: Final = frozenset(t for t in AttachmentContentType if t.is_image)
FOLDER_TYPES: Final = {
    UploadFolder.AVATARS: _IMAGES,
    UploadFolder.REQUESTS: frozenset(AttachmentContentType),
    UploadFolder.MESSAGES: frozenset(AttachmentContentType),
    UploadFolder.EVENTS: _IMAGES,
    UploadFolder.RESOURCES: _IMAGES,
    UploadFolder.STORIES: _IMAGES,
}
"""The types each folder accepts (the same sets storage.rules allow)."""

_COLLECTIONS: Final = {
    UploadFolder.AVATARS: Collection.USERS,
    UploadFolder.REQUESTS: Collection.REQUESTS,
    UploadFolder.MESSAGES: Collection.MESSAGES,
    UploadFolder.EVENTS: Collection.COMMUNITY_EVENTS,
    UploadFolder.RESOURCES: Collection.RESOURCES,
    UploadFolder.STORIES: Collection.TAPESTRY_THREADS,
}
"""The collection of the document each folder's files belong to."""

_NAMES: Final = {
    AttachmentContentType.JPEG: "a JPEG image",
    AttachmentContentType.PNG: "a PNG image",
    AttachmentContentType.WEBP: "a WebP image",
    AttachmentContentType.GIF: "a GIF image",
    AttachmentContentType.PDF: "a PDF document",
}


@dataclass(frozen=True, slots=True)
class UploadPath:
    """A member upload's object name, taken apart."""

    owner_id: str
    folder: UploadFolder
    parent_id: str | None
    """The document the folder belongs to (None for avatars; the conversation for messages)."""
    file_name: str
    message_id: str | None = None
    """The message the file belongs to (messages only)."""

    @property
    def folder_name(self) -> str:
        """The folder the file sits in, with a trailing slash (its document's files)."""
        parts = [ATTACHMENT_ROOT, self.owner_id, self.folder.value]
        parts += [part for part in (self.parent_id, self.message_id) if part is not None]
        return "/".join(parts) + "/"

    @property
    def name(self) -> str:
        """The object name."""
        return f"{self.folder_name}{self.file_name}"

    @property
    def document_path(self) -> str:
        """The Firestore document the file belongs to (the owner's user document for an
        avatar, the message for a message file)."""
        document_id = {
            UploadFolder.AVATARS: self.owner_id,
            UploadFolder.MESSAGES: self.message_id,
        }.get(self.folder, self.parent_id)
        return f"{_COLLECTIONS[self.folder].value}/{document_id}"

    @property
    def is_thumbnail(self) -> bool:
        """Whether the name is a thumbnail's (`thumb-...`)."""
        return self.file_name.startswith(THUMBNAIL_PREFIX)

    def thumbnail_name(self, content_type: AttachmentContentType) -> str:
        """Where this image's thumbnail goes: beside it, PNG for a GIF's first frame."""
        stem, dot, _ = self.file_name.rpartition(".")
        file_name = self.file_name
        if content_type is AttachmentContentType.GIF:
            file_name = f"{stem if dot else self.file_name}.png"
        thumbnail = f"{THUMBNAIL_PREFIX}{file_name}"[:128]
        return f"{self.folder_name}{thumbnail}"


def parse_upload_path(name: str) -> UploadPath | None:
    """The upload an object name denotes, None for anything that is not a member upload."""
    parts = name.split("/")
    if len(parts) < 4 or parts[0] != ATTACHMENT_ROOT or not parts[1]:
        return None
    try:
        folder = UploadFolder(parts[2])
    except ValueError:
        return None
    if folder is UploadFolder.AVATARS:
        if len(parts) != 4 or not _FILE.match(parts[3]):
            return None
        return UploadPath(parts[1], folder, None, parts[3])
    if folder is UploadFolder.MESSAGES:
        if len(parts) != 6 or not parts[3] or not parts[4] or not _FILE.match(parts[5]):
            return None
        return UploadPath(parts[1], folder, parts[3], parts[5], message_id=parts[4])
    if len(parts) != 5 or not parts[3] or not _FILE.match(parts[4]):
        return None
    return UploadPath(parts[1], folder, parts[3], parts[4])


def sniff_content_type(head: bytes) -> AttachmentContentType | None:
    """The accepted type whose signature starts `head`, None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return AttachmentContentType.JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return AttachmentContentType.PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return AttachmentContentType.GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return AttachmentContentType.WEBP
    if head.startswith(b"%PDF-"):
        return AttachmentContentType.PDF
    return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """Kept (with the type read from the bytes) or rejected (with the reason)."""

    accepted: bool
    content_type: AttachmentContentType | None = None
    reason: str | None = None


def _megabytes(size: int) -> str:
    """A size as people read it: bytes, KiB or MiB with one decimal."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KiB"
    return f"{size / (1024 * 1024):.1f} MiB"


def judge_upload(
    path: UploadPath,
    *,
    declared: str | None,
    head: bytes,
    size: int,
    max_bytes: int,
) -> Verdict:
    """Whether to keep an upload, from its folder, declared type, first bytes and size."""
    if size > max_bytes:
        return Verdict(
            False, reason=f"the file is {_megabytes(size)}; at most {_megabytes(max_bytes)} allowed"
        )
    if size == 0:
        return Verdict(False, reason="the file is empty")
    sniffed = sniff_content_type(head)
    if sniffed is None:
        return Verdict(False, reason="the file is not a JPEG, PNG, WebP or GIF image or a PDF")
    if declared != sniffed.value:
        return Verdict(
            False,
            reason=f"the file was sent as {declared or 'no type'} "
            f"but its bytes are {_NAMES[sniffed]}",
        )
    if sniffed not in FOLDER_TYPES[path.folder]:
        return Verdict(False, reason=f"{_NAMES[sniffed]} cannot be attached to {path.folder.value}")
    return Verdict(True, content_type=sniffed)
