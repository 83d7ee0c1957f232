"""Firestore services: how models become documents and back."""

from mitche.services.codec import from_document, to_document

__all__ = ["from_document", "to_document"]
