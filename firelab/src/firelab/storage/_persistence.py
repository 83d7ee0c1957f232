"""Export and import in the official emulator's layout, so either side reads the other's.

firebase-tools writes a Storage export as `storage_export/` inside an export directory
(`emulators:export`, `--export-on-exit`): `buckets.json` (`{"buckets": [{"id": ...}]}`),
`blobs/<file>` with each object's bytes and `metadata/<file>.json` with its metadata
(firebase-tools `emulator/storage/files.js`, `export` and `import`; field names those of its
StoredFileMetadata: `crc32c` a decimal string, times ISO 8601, download tokens a list).
Import accepts the export directory itself or the directory that holds `storage_export/`.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from firelab.storage._objects import ObjectMetadata, StoredObject
from firelab.storage._shapes import rfc3339
from firelab.storage._store import ObjectStore

__all__ = ["EXPORT_FOLDER", "export_store", "import_store"]

EXPORT_FOLDER = "storage_export"


def _metadata_json(metadata: ObjectMetadata) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": metadata.name,
        "bucket": metadata.bucket,
        "metageneration": metadata.metageneration,
        "generation": metadata.generation,
        "contentType": metadata.content_type,
        "storageClass": metadata.storage_class,
        "contentDisposition": metadata.content_disposition,
        "cacheControl": metadata.cache_control,
        "contentLanguage": metadata.content_language,
        "contentEncoding": metadata.content_encoding,
        "downloadTokens": list(metadata.download_tokens),
        "etag": metadata.etag,
        "customMetadata": metadata.custom,
        "timeCreated": rfc3339(metadata.time_created),
        "updated": rfc3339(metadata.updated),
        "size": metadata.size,
        "md5Hash": metadata.md5_hash,
        "crc32c": str(metadata.crc32c),
    }
    return {key: value for key, value in values.items() if value is not None}


def _time(text: object) -> datetime:
    return datetime.fromisoformat(str(text).replace("Z", "+00:00"))


def _metadata_from(values: dict[str, Any]) -> ObjectMetadata:
    custom = values.get("customMetadata")
    return ObjectMetadata(
        bucket=str(values["bucket"]),
        name=str(values["name"]),
        generation=int(values["generation"]),
        metageneration=int(values.get("metageneration", 1)),
        size=int(values["size"]),
        md5_hash=str(values["md5Hash"]),
        crc32c=int(values["crc32c"]),
        time_created=_time(values["timeCreated"]),
        updated=_time(values.get("updated", values["timeCreated"])),
        content_type=values.get("contentType") or "application/octet-stream",
        content_disposition=values.get("contentDisposition"),
        content_encoding=values.get("contentEncoding"),
        content_language=values.get("contentLanguage"),
        cache_control=values.get("cacheControl"),
        custom={str(k): str(v) for k, v in custom.items()} if isinstance(custom, dict) else None,
        download_tokens=tuple(values.get("downloadTokens") or ()),
        storage_class=str(values.get("storageClass", "STANDARD")),
    )


def export_store(store: ObjectStore, directory: Path) -> Path:
    """Write every bucket and object to `directory/storage_export`; returns that folder."""
    target = directory / EXPORT_FOLDER
    blobs, metadata_dir = target / "blobs", target / "metadata"
    blobs.mkdir(parents=True, exist_ok=True)
    metadata_dir.mkdir(parents=True, exist_ok=True)
    for old in [*blobs.iterdir(), *metadata_dir.iterdir()]:
        if old.is_file():
            old.unlink()
    buckets = {"buckets": [{"id": bucket} for bucket in store.buckets()]}
    (target / "buckets.json").write_text(json.dumps(buckets, indent=2), "utf-8")
    for stored in store.objects():
        file_name = str(uuid.uuid4())
        (blobs / file_name).write_bytes(stored.data)
        (metadata_dir / f"{file_name}.json").write_text(
            json.dumps(_metadata_json(stored.metadata), indent=2), "utf-8"
        )
    return target


def import_store(store: ObjectStore, directory: Path) -> int:
    """Load an export (`directory` or `directory/storage_export`); the objects loaded.

    Raises `FileNotFoundError` when neither holds `buckets.json`, `ValueError` for a
    metadata file that is not an object's metadata."""
    source = directory / EXPORT_FOLDER if (directory / EXPORT_FOLDER).is_dir() else directory
    buckets_file = source / "buckets.json"
    if not buckets_file.is_file():
        raise FileNotFoundError(f"no Storage export (buckets.json) in {directory}")
    listed = json.loads(buckets_file.read_text("utf-8")).get("buckets", [])
    buckets = [str(entry["id"]) for entry in listed]
    objects: list[StoredObject] = []
    metadata_dir, blobs = source / "metadata", source / "blobs"
    if metadata_dir.is_dir() and blobs.is_dir():
        for path in sorted(metadata_dir.rglob("*.json")):
            relative = path.relative_to(metadata_dir).as_posix().removesuffix(".json")
            blob = blobs / relative
            if not blob.is_file():
                continue
            try:
                metadata = _metadata_from(json.loads(path.read_text("utf-8")))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{path} is not Storage object metadata: {exc}") from exc
            objects.append(StoredObject(metadata, blob.read_bytes()))
    store.load(buckets, objects)
    return len(objects)
