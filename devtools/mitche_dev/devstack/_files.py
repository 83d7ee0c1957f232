"""Demo files for the local stack: an avatar per demo account, in Storage and on its profile.

The avatars are drawn here (a coloured square with a lighter disc, one colour per member) and
uploaded as the app uploads them, to `uploads/{uid}/avatars/avatar.png` (where storage.rules let
whoever may see the profile read them), without the pipeline's `mitcheProcessed` mark: the
attachments pipeline checks and re-encodes each one as it does a member's upload. The member's
app then sets `profile.avatar`.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterable

from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.storage import Client as StorageClient  # type: ignore[import-untyped, unused-ignore]
from PIL import Image, ImageDraw

from mitche.models.common import Attachment, AttachmentContentType

__all__ = ["AVATAR_SIDE", "avatar_png", "seed_files"]

AVATAR_SIDE = 128


def avatar_png(uid: str) -> bytes:
    """A member's demo avatar: a square in a colour derived from the uid, with a disc."""
    red, green, blue = hashlib.sha256(uid.encode()).digest()[:3]
    image = Image.new("RGB", (AVATAR_SIDE, AVATAR_SIDE), (red, green, blue))
    light = tuple(min(255, channel + 90) for channel in (red, green, blue))
    ImageDraw.Draw(image).ellipse((24, 24, 104, 104), fill=light)
    output = io.BytesIO()
    image.save(output, "PNG")
    return output.getvalue()


def seed_files(project: str, bucket_name: str, uids: Iterable[str]) -> int:
    """Store each member's avatar and set it on their profile; how many files were stored."""
    # google-auth ships no annotations for AnonymousCredentials.__init__.
    credentials = AnonymousCredentials()  # type: ignore[no-untyped-call]
    client = firestore.Client(project=project, credentials=credentials)
    bucket = StorageClient(project=project).bucket(bucket_name)
    stored = 0
    for uid in uids:
        name = f"uploads/{uid}/avatars/avatar.png"
        data = avatar_png(uid)
        blob = bucket.blob(name)
        blob.metadata = {"firebaseStorageDownloadTokens": str(uuid.uuid4())}
        blob.upload_from_string(data, content_type=AttachmentContentType.PNG.value)
        avatar = Attachment(
            storage_path=name,
            owner_id=uid,
            content_type=AttachmentContentType.PNG,
            size_bytes=len(data),
            width=AVATAR_SIDE,
            height=AVATAR_SIDE,
        )
        profile = {"avatar": avatar.to_firestore()}
        client.document(f"users/{uid}").set({"profile": profile}, merge=True)
        stored += 1
    return stored
