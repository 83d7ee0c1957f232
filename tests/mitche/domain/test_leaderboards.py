"""Leaderboards list only opted-in members in good standing, by alias, and are kept up to date
with the fewest writes."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mitche.domain.leaderboards import (
    WEEKLY_RETENTION,
    Board,
    LeaderboardEntry,
    LeaderboardWrite,
    advance_weekly_points,
    board_id,
    entries_for,
    entry_id,
    leaderboard_writes,
)
from mitche.models.users import (
    AccountStatus,
    Gamification,
    HopePoints,
    PrivacySettings,
    Profile,
    Security,
    User,
)

KEY = b"leaderboard-test-key"
AT = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
"""Wednesday of ISO week 2026-W48."""
WEEK = "2026-W48"


def make_user(
    points: int = 40,
    weekly: int = 15,
    week: str | None = WEEK,
    *,
    opt_in: bool = True,
    show_level: bool = True,
    status: AccountStatus = AccountStatus.ACTIVE,
) -> User:
    suspended_until = AT + dt.timedelta(days=7) if status is AccountStatus.SUSPENDED else None
    return User(
        profile=Profile(display_name="Alice Martin", anonymous_alias="Quiet Heron 42"),
        privacy=PrivacySettings(leaderboard_opt_in=opt_in, show_level=show_level),
        gamification=Gamification(
            hope_points=HopePoints(total=points, mentor=points),
            level=3,
            weekly_points=weekly,
            week=week,
        ),
        security=Security(account_status=status, suspended_until=suspended_until),
        created_at=AT - dt.timedelta(days=30),
        updated_at=AT,
    )


def test_opted_in_member_has_an_all_time_and_a_weekly_entry() -> None:
    """An opted-in member appears by alias on the all-time and the current week's board."""
    entries = entries_for(make_user(), "alice", AT, KEY)
    member = entry_id("alice", KEY)
    assert entries == {
        "allTime": LeaderboardEntry("allTime", member, "Quiet Heron 42", 40, 3, None, None, AT),
        "weekly-2026-W48": LeaderboardEntry(
            "weekly-2026-W48",
            member,
            "Quiet Heron 42",
            15,
            3,
            WEEK,
            dt.datetime(2026, 11, 30, tzinfo=dt.UTC) + WEEKLY_RETENTION,
            AT,
        ),
    }


@pytest.mark.parametrize(
    "user",
    [
        make_user(opt_in=False),
        make_user(status=AccountStatus.SUSPENDED),
        make_user(status=AccountStatus.BANNED),
        make_user(status=AccountStatus.DEACTIVATED),
        make_user(points=0, weekly=0),
    ],
    ids=["not-opted-in", "suspended", "banned", "deactivated", "no-points"],
)
def test_members_who_do_not_appear(user: User) -> None:
    """Members who did not opt in, are not in good standing, or have no points have no entry."""
    assert entries_for(user, "alice", AT, KEY) == {}


def test_warned_member_still_appears() -> None:
    """A warning does not remove a member from the boards."""
    assert set(entries_for(make_user(status=AccountStatus.WARNED), "alice", AT, KEY)) == {
        "allTime",
        "weekly-2026-W48",
    }


def test_level_is_shown_only_if_the_member_allows_it() -> None:
    """With showLevel off the entries carry no level."""
    entries = entries_for(make_user(show_level=False), "alice", AT, KEY)
    assert {entry.level for entry in entries.values()} == {None}


def test_entry_id_is_an_opaque_keyed_hash() -> None:
    """The entry id is stable per uid and key, and is not the uid."""
    assert entry_id("alice", KEY) == entry_id("alice", KEY)
    assert entry_id("alice", KEY) != entry_id("alice", b"another-key")
    assert "alice" not in entry_id("alice", KEY)
    with pytest.raises(ValueError, match="must not be empty"):
        entry_id("alice", b"")


def test_stale_week_reads_as_zero() -> None:
    """Points stored for last week do not count on this week's board."""
    entries = entries_for(make_user(week="2026-W47"), "alice", AT, KEY)
    assert set(entries) == {"allTime"}


@pytest.mark.parametrize(
    ("week", "weekly", "amount", "expected"),
    [
        (WEEK, 15, 10, (WEEK, 25)),
        ("2026-W47", 90, 10, (WEEK, 10)),
        (None, 0, 5, (WEEK, 5)),
        (WEEK, 15, -10, (WEEK, 15)),
    ],
    ids=["same-week", "new-week", "first-award", "reversal"],
)
def test_advance_weekly_points(
    week: str | None, weekly: int, amount: int, expected: tuple[str, int]
) -> None:
    """Weekly points reset with the ISO week and grow by positive credits only."""
    gamification = Gamification(weekly_points=weekly, week=week)
    advanced = advance_weekly_points(gamification, amount, AT)
    assert (advanced.week, advanced.weekly_points) == expected


def test_board_ids() -> None:
    """Weekly boards are named after their ISO week; a malformed week is refused."""
    assert board_id(Board.WEEKLY, "2026-W53") == "weekly-2026-W53"
    with pytest.raises(ValueError, match="ISO week"):
        board_id(Board.WEEKLY, "2027-W53")


def test_award_rewrites_both_boards() -> None:
    """An award that changes the total and the week's points writes both entries."""
    writes = leaderboard_writes(make_user(), make_user(50, 25), "alice", AT, KEY)
    assert [(w.board_id, w.entry and w.entry.points) for w in writes] == [
        ("allTime", 50),
        ("weekly-2026-W48", 25),
    ]


def test_unrelated_change_writes_nothing() -> None:
    """A change that leaves every entry as it was costs no write."""
    assert leaderboard_writes(make_user(), make_user(), "alice", AT, KEY) == []


def test_opting_out_deletes_the_entries() -> None:
    """Opting out deletes the all-time entry and this week's entry."""
    writes = leaderboard_writes(make_user(), make_user(opt_in=False), "alice", AT, KEY)
    member = entry_id("alice", KEY)
    assert writes == [
        LeaderboardWrite("allTime", member, None),
        LeaderboardWrite("weekly-2026-W48", member, None),
    ]


def test_suspension_also_deletes_the_stored_weeks_entry() -> None:
    """Leaving the boards early in a new week also deletes the entry of the stored week."""
    monday = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)
    before = make_user(week=WEEK)
    after = make_user(week=WEEK, status=AccountStatus.SUSPENDED)
    writes = leaderboard_writes(before, after, "alice", monday, KEY)
    assert [(w.board_id, w.entry) for w in writes] == [
        ("allTime", None),
        ("weekly-2026-W48", None),
    ]


# --- invariant ------------------------------------------------------------------------------

changes = st.lists(
    st.tuples(
        st.booleans(),
        st.sampled_from(list(AccountStatus)),
        st.integers(min_value=-20, max_value=40),
        st.integers(min_value=0, max_value=3 * 24 * 60),
    ),
    max_size=25,
)


@settings(max_examples=100, deadline=None)
@given(changes)
def test_boards_always_match_the_members_current_state(
    steps: list[tuple[bool, AccountStatus, int, int]],
) -> None:
    """Applying the writes after each change keeps the current boards equal to the entries the
    member's state calls for; an ineligible member is on none of them."""
    store: dict[str, LeaderboardEntry] = {}
    at = AT
    user = make_user(0, 0, None, opt_in=False)
    for opt_in, status, amount, minutes in steps:
        at += dt.timedelta(minutes=minutes)
        gamification = advance_weekly_points(user.gamification, amount, at)
        total = max(0, gamification.hope_points.total + amount)
        gamification = gamification.model_copy(
            update={"hope_points": HopePoints(total=total, mentor=total)}
        )
        suspended = at + dt.timedelta(days=3) if status is AccountStatus.SUSPENDED else None
        after = user.model_copy(
            update={
                "gamification": gamification,
                "privacy": PrivacySettings(leaderboard_opt_in=opt_in),
                "security": Security(account_status=status, suspended_until=suspended),
            }
        )
        for write in leaderboard_writes(user, after, "alice", at, KEY):
            if write.entry is None:
                store.pop(write.board_id, None)
            else:
                store[write.board_id] = write.entry
        user = after
        expected = entries_for(user, "alice", at, KEY)
        current = {"allTime", f"weekly-{gamification.week}"}
        assert {board: e for board, e in store.items() if board in current} == expected
