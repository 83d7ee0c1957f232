"""Alias keys: look-alikes share one key, distinct aliases keep distinct keys."""

from __future__ import annotations

import pytest

from mitche.domain.aliases import alias_claim_path, alias_key


@pytest.mark.parametrize(
    ("alias", "key"),
    [
        ("Calm Owl", "calmowl"),
        ("calm-owl", "calmowl"),
        ("CÀLM ÖWL", "calmowl"),
        ("Mödërätör", "moderator"),
        ("Çédric Ñúñez 07", "cedricnunez07"),
        ("quiet_bob_7", "quietbob7"),
        ("Zoë ÿ", "zoey"),
    ],
)
def test_look_alikes_share_a_key(alias: str, key: str) -> None:
    assert alias_key(alias) == key


def test_distinct_aliases_keep_distinct_keys() -> None:
    assert alias_key("Calm Owl 1") != alias_key("Calm Owl 2")


def test_an_alias_without_letters_or_digits_has_nothing_to_claim() -> None:
    with pytest.raises(ValueError, match="no letter or digit"):
        alias_claim_path("~~~ ...")


def test_the_claim_path_names_the_key() -> None:
    assert alias_claim_path("Calm Owl") == "systemSettings/aliases/claims/calmowl"
