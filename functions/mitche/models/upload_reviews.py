"""Upload reviews: `users/{userId}/uploadReviews/{reviewId}`, written by the attachments
pipeline, read by the member (and admins).

Every file a member uploads is checked by a function (type read from its bytes, size, folder);
the review says whether it was kept (cleaned of location metadata, given a thumbnail, linked to
its document) or removed, and why, so nothing a member sends disappears silently. One review
per object name (its id a hash of the name), overwritten by the review of a later upload.
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Final, Literal

from pydantic import Field

from mitche.models._base import SERVER, MitcheModel, Timestamp
from mitche.models.common import AttachmentContentType

__all__ = ["UPLOAD_REVIEWS", "UploadReview", "upload_review_id"]

UPLOAD_REVIEWS: Final = "uploadReviews"
"""Collection id of the reviews, below the uploader's user document."""


def upload_review_id(storage_path: str) -> str:
    """The review's id for an object name: a hash, so any name makes a valid, bounded id."""
    return hashlib.sha256(storage_path.encode()).hexdigest()[:24]


class UploadReview(MitcheModel):
    """What happened to one upload."""

    storage_path: Annotated[Annotated[str, Field(min_length=1, max_length=1024)], SERVER]
    """The object name the member uploaded."""
    generation: Annotated[Annotated[str, Field(pattern=r"^[0-9]{1,20}$")], SERVER]
    """The object generation reviewed (Cloud Storage's version number of the upload)."""
    status: Annotated[Literal["accepted", "rejected"], SERVER]
    """Kept, or removed."""
    reason: Annotated[Annotated[str, Field(max_length=300)] | None, SERVER] = None
    """Why a rejected upload was removed, in words the member reads."""
    content_type: Annotated[AttachmentContentType | None, SERVER] = None
    """The type read from the file's bytes (accepted uploads)."""
    size_bytes: Annotated[int, Field(ge=0), SERVER]
    """The upload's size as received."""
    thumbnail_path: Annotated[Annotated[str, Field(max_length=1024)] | None, SERVER] = None
    """The thumbnail beside an accepted image."""
    linked_to: Annotated[Annotated[str, Field(max_length=1500)] | None, SERVER] = None
    """The document the file was attached to, when its uploader may write that document."""
    reviewed_at: Annotated[Timestamp, SERVER]
    """When the pipeline decided."""
