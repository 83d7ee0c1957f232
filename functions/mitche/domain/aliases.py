"""Unique aliases: the key an alias is claimed under, computed exactly as firestore.rules does.

Two aliases that differ only in case, common accents or punctuation ("Calm Owl", "calm-owl",
"Càlm Öwl") share a key, so a member cannot pass for another by a look-alike. The rules fold
one character class per letter and keep letters and digits; this mirror must stay equal to them
(tests/rules prove both refuse the same look-alikes).
"""

from __future__ import annotations

import re
from typing import Final

from mitche.models import ALIAS_CLAIMS

__all__ = ["ALIAS_CLAIMS", "ALIAS_FOLDS", "alias_claim_path", "alias_key"]


ALIAS_FOLDS: Final = (
    ("[àáâãäåāăą]", "a"),
    ("[çćč]", "c"),
    ("[èéêëēėęě]", "e"),
    ("[ìíîïīį]", "i"),
    ("[ñń]", "n"),
    ("[òóôõöøō]", "o"),
    ("[ùúûüūů]", "u"),
    ("[ýÿ]", "y"),
)
"""The folding table, one character class per letter: the client package's `aliasKey()` is
generated from it (mitche_dev.clientgen)."""
_NOT_KEPT: Final = re.compile("[^a-z0-9]")


def alias_key(alias: str) -> str:
    """The claim key of `alias`: lower case, accents folded, letters and digits only."""
    folded = alias.lower()
    for characters, letter in ALIAS_FOLDS:
        folded = re.sub(characters, letter, folded)
    return _NOT_KEPT.sub("", folded)


def alias_claim_path(alias: str) -> str:
    """`systemSettings/aliases/claims/{key}` for `alias` (its key must not be empty)."""
    key = alias_key(alias)
    if not key:
        raise ValueError(f"alias {alias!r} has no letter or digit to claim")
    return f"{ALIAS_CLAIMS}/{key}"
