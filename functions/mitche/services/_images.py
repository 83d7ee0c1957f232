"""Images as Mitché keeps them: re-encoded without metadata, and a small thumbnail.

Members are anonymous, and a phone photo's EXIF block carries where it was taken (GPS), when,
and with which device. Re-encoding the pixels alone drops EXIF, XMP and comments alike; the
orientation EXIF recorded is applied to the pixels first, so the picture still stands the
right way up. Pillow is imported on first use: only the attachments trigger needs it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Final

from mitche.models.common import AttachmentContentType

__all__ = ["THUMBNAIL_SIDE", "CleanImage", "clean_image", "gps_of", "make_thumbnail"]

THUMBNAIL_SIDE: Final = 320
"""A thumbnail's longer side, in pixels."""

_FORMATS: Final = {
    AttachmentContentType.JPEG: "JPEG",
    AttachmentContentType.PNG: "PNG",
    AttachmentContentType.WEBP: "WEBP",
    AttachmentContentType.GIF: "GIF",
}
_GPS_IFD: Final = 0x8825


@dataclass(frozen=True, slots=True)
class CleanImage:
    """An image re-encoded without metadata, with its size in pixels."""

    data: bytes
    width: int
    height: int


def _open(data: bytes) -> Any:
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _save(image: Any, content_type: AttachmentContentType, **options: Any) -> bytes:
    output = io.BytesIO()
    image_format = _FORMATS[content_type]
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.save(output, format=image_format, **options)
    return output.getvalue()


def clean_image(data: bytes, content_type: AttachmentContentType) -> CleanImage:
    """The image re-encoded in its own format with no EXIF (so no GPS), XMP or comments;
    raises `OSError`/`ValueError` (Pillow's errors) for bytes that do not decode."""
    from PIL import ImageOps

    image = _open(data)
    if content_type is AttachmentContentType.GIF:
        # Frames and palette kept; a GIF carries no EXIF, comments are dropped.
        image.info.pop("comment", None)
        cleaned = _save(image, content_type, save_all=True)
        return CleanImage(cleaned, image.width, image.height)
    upright = ImageOps.exif_transpose(image)
    pixels = upright.copy()
    pixels.info = {}
    options: dict[str, Any] = (
        {"quality": 90} if content_type is not AttachmentContentType.PNG else {}
    )
    return CleanImage(_save(pixels, content_type, **options), pixels.width, pixels.height)


def make_thumbnail(data: bytes, content_type: AttachmentContentType) -> bytes:
    """A thumbnail at most THUMBNAIL_SIDE on its longer side: same format, PNG for a GIF's
    first frame."""
    image = _open(data)
    image.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    image.info = {}
    if content_type is AttachmentContentType.GIF:
        return _save(image.convert("RGBA"), AttachmentContentType.PNG)
    return _save(image, content_type)


def gps_of(data: bytes) -> dict[int, Any]:
    """The GPS tags of an image's EXIF (empty when it has none)."""
    image = _open(data)
    return dict(image.getexif().get_ifd(_GPS_IFD))
