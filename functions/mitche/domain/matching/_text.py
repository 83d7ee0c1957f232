"""What each kind of document says about help, as the text its embedding is made from.

Only what a member chose to say about the help is embedded: a request's title, description,
category and tags; a standing offering's title, description, category, tags and item; a
helper's skills, interests, bio and languages. Never an alias, a display name, an identity
field or a place: an embedding is derived data that outlives edits, so it must not carry what
the member did not publish for matching. The hash of the text (with the model's name) is
stored beside the vector, so an unchanged text is never embedded twice and a retried trigger
writes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any, Final

__all__ = ["MAX_EMBEDDED_CHARACTERS", "helper_text", "offering_text", "request_text", "text_hash"]

MAX_EMBEDDED_CHARACTERS: Final = 2000
"""Text beyond this is not embedded: the model reads about 128 tokens with full attention, and
the opening of a request says what it is about."""


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        return [item.strip() for item in value if isinstance(item, str) and item.strip()]
    return []


def _words(tag: str) -> str:
    return tag.replace("-", " ")


def _join(parts: Iterable[str]) -> str:
    return ". ".join(part for part in parts if part)[:MAX_EMBEDDED_CHARACTERS]


def _category(data: Mapping[str, Any]) -> str:
    category = data.get("category")
    return _words(str(category)) if isinstance(category, str) else ""


def request_text(data: Mapping[str, Any]) -> str:
    """The embedded text of a request: title, description, category and tags."""
    tags = " ".join(_words(tag) for tag in _strings(data.get("tags")))
    return _join(
        [*_strings(data.get("title")), *_strings(data.get("description")), _category(data), tags]
    )


def offering_text(data: Mapping[str, Any]) -> str:
    """The embedded text of a standing offering: title, description, item, category, tags."""
    resource = data.get("resource")
    item = _strings(resource.get("item")) if isinstance(resource, Mapping) else []
    tags = " ".join(_words(tag) for tag in _strings(data.get("tags")))
    return _join(
        [
            *_strings(data.get("title")),
            *_strings(data.get("description")),
            *item,
            _category(data),
            tags,
        ]
    )


def helper_text(profile: Mapping[str, Any], offers: Iterable[str] = ()) -> str:
    """The embedded text of a helper: skills, what they offer, interests, bio and languages
    (from `users/{uid}.profile`); never the alias, display name, pronouns or home area."""
    skills = ", ".join(_words(tag) for tag in _strings(profile.get("skills")))
    interests = ", ".join(_words(tag) for tag in _strings(profile.get("interests")))
    languages = " ".join(_strings(profile.get("languages")))
    return _join(
        [
            skills,
            *(offer.strip() for offer in offers),
            interests,
            *_strings(profile.get("bio")),
            languages,
        ]
    )


def text_hash(text: str, model: str) -> str:
    """Hex SHA-256 of the model's name and the text: equal hashes, equal embeddings."""
    return hashlib.sha256(f"{model}\n{text}".encode()).hexdigest()
