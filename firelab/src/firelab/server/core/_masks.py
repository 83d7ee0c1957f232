"""Document masks and projections: keep only the listed field paths of a document."""

from __future__ import annotations

from collections.abc import Sequence

from firelab.server.core._fieldpaths import KEY_PATH, FieldPath, get_field, set_field
from firelab.server.core._protos import Document

__all__ = ["apply_mask"]


def apply_mask(document: Document, paths: Sequence[FieldPath]) -> None:
    """Reduce `document`'s fields to `paths` (missing paths are skipped, `__name__` adds
    nothing)."""
    kept = Document()
    for path in paths:
        if path == KEY_PATH:
            continue
        value = get_field(document.fields, path)
        if value is not None:
            set_field(kept.fields, path, value)
    document.ClearField("fields")
    document.fields.MergeFrom(kept.fields)
