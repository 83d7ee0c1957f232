"""Matching's domain: what is embedded, who may be suggested, how candidates are scored."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitche.domain.geo import LatLng
from mitche.domain.matching import (
    EMBEDDING_DIMENSION,
    Exclusion,
    HelperFacts,
    Rating,
    RequestFacts,
    SentenceEncoder,
    WeeklyWindow,
    Weights,
    available_minutes,
    category_compatible,
    exclusion,
    helper_text,
    request_text,
    score,
    text_hash,
)

NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)  # a Monday
LYON = LatLng(45.7578, 4.8320)
CROIX_ROUSSE = LatLng(45.7745, 4.8320)  # 1.9 km north
VILLEFRANCHE = LatLng(45.9890, 4.7180)  # 27 km north


def make_request(**changes: object) -> RequestFacts:
    request = RequestFacts("r1", "alice", "transport", LYON, languages=frozenset({"fr"}))
    return replace(request, **changes)  # type: ignore[arg-type]


def make_helper(**changes: object) -> HelperFacts:
    helper = HelperFacts("bob", "Bob", frozenset({"transport"}), CROIX_ROUSSE, 5.0)
    return replace(helper, **changes)  # type: ignore[arg-type]


EXCLUSIONS = [
    ("the requester themself", {}, {"uid": "alice"}, Exclusion.SELF),
    ("a suspended helper", {}, {"active": False}, Exclusion.INACTIVE),
    (
        "a helper who blocked the requester",
        {},
        {"blocked": frozenset({"alice"})},
        Exclusion.BLOCKED,
    ),
    ("another category", {"category": "food"}, {}, Exclusion.CATEGORY),
    ("beyond the travel distance", {}, {"point": VILLEFRANCHE}, Exclusion.DISTANCE),
    ("no home area, help in person", {}, {"point": None}, Exclusion.DISTANCE),
    ("no language in common", {}, {"languages": frozenset({"en"})}, Exclusion.LANGUAGE),
    ("at the open-commitment limit", {}, {"open_commitments": 5}, Exclusion.LOAD),
    ("an eligible helper", {}, {}, None),
    ("far but both remote", {"remote_ok": True}, {"point": None, "remote_ok": True}, None),
    ("a regional variant speaks the language", {}, {"languages": frozenset({"fr-CA"})}, None),
    ("a helper who narrowed no category", {"category": "food"}, {"categories": frozenset()}, None),
    ("a compatible category", {"category": "health"}, {}, None),
    ("any helper for `other`", {"category": "other"}, {}, None),
]


@pytest.mark.parametrize(
    ("case", "request_changes", "helper_changes", "expected"),
    EXCLUSIONS,
    ids=[case[0] for case in EXCLUSIONS],
)
def test_hard_conditions(
    case: str, request_changes: dict[str, object], helper_changes: dict[str, object], expected: str
) -> None:
    """Each hard condition excludes the pair it names, and only that one."""
    pair = make_request(**request_changes), make_helper(**helper_changes)
    assert exclusion(*pair, Weights()) == expected


def test_compatible_categories() -> None:
    """Someone to talk to is also company; a lift to hospital also serves a health need; food
    is food only."""
    assert category_compatible("emotionalSupport", frozenset({"companionship"}))
    assert category_compatible("health", frozenset({"transport"}))
    assert not category_compatible("food", frozenset({"transport"}))


def test_score_ranks_the_fitting_helper_first() -> None:
    """With equal places, the closer text wins; with equal texts, the nearer helper wins."""
    request, weights = make_request(), Weights()
    near, far = make_helper(), make_helper(point=LatLng(45.7900, 4.8320))
    assert (
        score(request, near, 0.7, weights, NOW).total
        > score(request, near, 0.3, weights, NOW).total
    )
    assert (
        score(request, near, 0.5, weights, NOW).total > score(request, far, 0.5, weights, NOW).total
    )


def test_reasons_name_no_one() -> None:
    """Reasons say why in the member's words, never a uid, alias or place."""
    helper = make_helper(ratings={"*": Rating(4.8, 12)})
    reasons = score(make_request(), helper, 0.7, Weights(), NOW).reasons
    assert reasons == (
        "writes about the same need",
        "about 2 km away",
        "rated 4.8 by 12 members",
        "free to help now",
    )
    assert not any("bob" in reason.lower() for reason in reasons)


RATING_CASES = [
    (
        "rated in the request's category",
        {"*": Rating(4.5, 10), "transport": Rating(4.8, 3)},
        "rated 4.8 by 3 members for this kind of help",
    ),
    (
        "rated once in the category",
        {"*": Rating(4.0, 6), "transport": Rating(5.0, 1)},
        "rated 5.0 by 1 member for this kind of help",
    ),
    (
        "rated in another category only: the overall rating, said as overall",
        {"*": Rating(4.6, 5), "food": Rating(4.6, 5)},
        "rated 4.6 by 5 members",
    ),
    (
        "rated poorly in the category, well overall: no praise",
        {"*": Rating(4.7, 20), "transport": Rating(2.0, 4)},
        None,
    ),
]


@pytest.mark.parametrize(
    ("ratings", "reason"), [c[1:] for c in RATING_CASES], ids=[c[0] for c in RATING_CASES]
)
def test_the_rating_reason_says_when_it_is_for_this_kind_of_help(
    ratings: dict[str, Rating], reason: str | None
) -> None:
    """The score reads the ratings of the request's category first, and its reason says so; a
    helper rated only in other kinds of help gets the overall rating, said as overall."""
    reasons = score(make_request(), make_helper(ratings=ratings), 0.7, Weights(), NOW).reasons
    rated = [text for text in reasons if text.startswith("rated ")]
    assert rated == ([] if reason is None else [reason])


def test_the_rating_in_the_category_outweighs_the_overall_one() -> None:
    """Two helpers with the same overall rating: the one rated well for transport ranks above
    the one rated poorly for it, on a transport request."""
    good = make_helper(ratings={"*": Rating(4.0, 10), "transport": Rating(5.0, 5)})
    poor = make_helper(ratings={"*": Rating(4.0, 10), "transport": Rating(2.0, 5)})
    request, weights = make_request(), Weights()
    assert (
        score(request, good, 0.5, weights, NOW).rating
        > score(request, poor, 0.5, weights, NOW).rating
    )


def test_rating_is_shrunk_towards_three_stars() -> None:
    """One 5-star rating ranks below twenty ratings averaging 4.8."""
    once = make_helper(ratings={"*": Rating(5.0, 1)})
    often = make_helper(ratings={"*": Rating(4.8, 20)})
    request, weights = make_request(), Weights()
    assert (
        score(request, often, 0.5, weights, NOW).rating
        > score(request, once, 0.5, weights, NOW).rating
    )


def test_availability_counts_weekly_windows_until_the_deadline() -> None:
    """Monday 10:00-12:00 and Tuesday 18:00-20:00 give 4 hours within three days, 2 hours when
    the deadline is Monday evening, and a critical request looks one day ahead."""
    windows = (WeeklyWindow(0, 600, 720), WeeklyWindow(1, 1080, 1200))
    assert available_minutes(windows, NOW, NOW + dt.timedelta(days=3)) == 240
    assert available_minutes(windows, NOW, NOW.replace(hour=20)) == 120
    assert available_minutes(windows, NOW, NOW + dt.timedelta(days=14)) == 480
    helper = make_helper(windows=windows)
    assert score(make_request(), helper, 0.5, Weights(), NOW).availability == 1.0
    assert score(make_request(urgency="critical"), helper, 0.5, Weights(), NOW).availability == 0.5


@given(
    similarity=st.floats(allow_nan=True, allow_infinity=True),
    commitments=st.integers(0, 20),
    stars=st.floats(1.0, 5.0),
    count=st.integers(0, 500),
    latitude=st.floats(45.0, 46.5),
)
def test_score_stays_within_the_weights(
    similarity: float, commitments: int, stars: float, count: int, latitude: float
) -> None:
    """Every part lies in [0, 1], so the total never exceeds the sum of the weights."""
    helper = make_helper(
        open_commitments=commitments,
        ratings={"*": Rating(stars, count)},
        point=LatLng(latitude, 4.83),
    )
    weights = Weights()
    scored = score(make_request(), helper, similarity, weights, NOW)
    parts = (scored.similarity, scored.distance, scored.availability, scored.rating, scored.load)
    assert all(0.0 <= part <= 1.0 for part in parts)
    ceiling = weights.similarity + weights.distance + weights.availability + weights.rating
    assert 0.0 <= scored.total <= ceiling + weights.load + 1e-9


def test_embedded_text_holds_no_identity_or_place() -> None:
    """A helper's text is what they do and speak, never their alias, name or home area."""
    profile = {
        "displayName": "Jeanne Martin",
        "anonymousAlias": "SoleilDuMatin",
        "skills": ["permis-b", "aide-aux-devoirs"],
        "bio": "Retraitée, j'aime rendre service.",
        "languages": ["fr", "en"],
        "homeArea": {"geohash": "u05kq", "label": "Croix-Rousse"},
    }
    text = helper_text(profile, ["Je conduis aux rendez-vous médicaux"])
    assert text == (
        "permis b, aide aux devoirs. Je conduis aux rendez-vous médicaux. "
        "Retraitée, j'aime rendre service.. fr en"
    )
    assert "Jeanne" not in text
    assert "Soleil" not in text
    assert "Croix" not in text


def test_text_hash_changes_with_text_and_model() -> None:
    """The same text and model hash alike; another text or model does not."""
    text = request_text({"title": "Lift to hospital", "description": "Thursday", "tags": []})
    assert text_hash(text, "m1") == text_hash(text, "m1")
    assert text_hash(text, "m1") != text_hash(text + ".", "m1")
    assert text_hash(text, "m1") != text_hash(text, "m2")


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder()


def test_translations_land_close_together(encoder: SentenceEncoder) -> None:
    """A French request and its English translation are closer than two unrelated needs."""
    vectors = encoder.embed(
        [
            "I need someone to drive me to the hospital on Tuesday",
            "J'ai besoin qu'on m'emmène à l'hôpital mardi",
            "Aide aux devoirs de mathématiques pour un collégien",
        ]
    )
    assert vectors.shape == (3, EMBEDDING_DIMENSION)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert float(vectors[0] @ vectors[1]) > 0.6 > float(vectors[0] @ vectors[2])
