"""Matching: which helpers to suggest for a request, and which requests to show a helper.

See `_text` (what is embedded), `_embedder` (the model behind one interface), `_facts` (what
matching knows of each side), `_score` (hard conditions and the score) and `_cards` (the
server-owned match cards the vector search reads).
"""

from mitche.domain.matching._embedder import (
    EMBEDDING_DIMENSION,
    SENTENCE_ENCODER,
    Embedder,
    SentenceEncoder,
)
from mitche.domain.matching._facts import (
    ANY_CATEGORY,
    HelperFacts,
    Rating,
    RequestFacts,
    WeeklyWindow,
)
from mitche.domain.matching._score import (
    ALL_CATEGORIES,
    COMPATIBLE_CATEGORIES,
    Exclusion,
    Scored,
    Weights,
    available_minutes,
    category_compatible,
    exclusion,
    score,
)
from mitche.domain.matching._text import (
    MAX_EMBEDDED_CHARACTERS,
    helper_text,
    offering_text,
    request_text,
    text_hash,
)

__all__ = [
    "ALL_CATEGORIES",
    "ANY_CATEGORY",
    "COMPATIBLE_CATEGORIES",
    "EMBEDDING_DIMENSION",
    "MAX_EMBEDDED_CHARACTERS",
    "SENTENCE_ENCODER",
    "Embedder",
    "Exclusion",
    "HelperFacts",
    "Rating",
    "RequestFacts",
    "Scored",
    "SentenceEncoder",
    "WeeklyWindow",
    "Weights",
    "available_minutes",
    "category_compatible",
    "exclusion",
    "helper_text",
    "offering_text",
    "request_text",
    "score",
    "text_hash",
]
