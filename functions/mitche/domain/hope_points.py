"""Pricing hope point awards, enforcing caps, and rebuilding totals from the ledger.

How an award is priced (every number comes from systemSettings `gamification`, with the code
defaults when a field is absent):

    base       = the award table's points for the action
    multiplier = the level multiplier at the member's level
    bonus      = base × streak bonus percent // 100 (the member's streak, today included)
    uncapped   = int(base × multiplier) + bonus      (the formula HopeLedgerEntry checks)
    amount     = min(uncapped, room left under the daily cap, room left under the weekly cap)

Design choices, and why:
* Caps count every positive credit of a category (table awards and achievement rewards
  alike), so "a member never earns more than the cap in a category per day or week" holds
  whatever path the points took. Reversals and penalties do not give room back: a window's
  usage only grows, which makes it independent of the order events arrive in.
* Cap windows are the UTC day and the UTC ISO week, not the member's time zone: the time
  zone is client-written, and a movable window would let a member reset their caps by
  switching zones (streaks, a member-facing notion, do use the member's time zone).
* A window never moves backwards: an award timestamped before the stored window (events
  arrive out of order) is charged to the stored, later window, which needs no history and
  keeps the stored window within its cap.
* The level benefit's `dailyCapBonusPercent` raises both caps (LevelBenefit documents it so).
* A disabled action, or one whose uncapped amount is zero, yields no award and no ledger
  entry. An award the caps cut to zero is still returned (amount 0, capped) and written: the
  ledger is the member's history, it shows why nothing was credited, and the daily analytics
  count capped entries.
* The usage counters have no home in the user model yet: `CapUsage` is the domain's own
  state (see its docstring for the stored shape it needs).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final, Protocol

from mitche.domain._calendar import day_key, day_of, iso_week_key
from mitche.domain.streaks import current_streak_days
from mitche.errors import FailedPreconditionError, InvalidArgumentError
from mitche.models.system_settings import COMPUTED_ACTIONS, GamificationSettings, PublicSettings
from mitche.models.users import HopeAction, HopeCategory, HopeLedgerEntry, HopePoints, User

__all__ = [
    "Award",
    "CapUsage",
    "HopeTotals",
    "LedgerInconsistentError",
    "LedgerLine",
    "MemberStanding",
    "UnpricedActionError",
    "adjustment",
    "effective_cap",
    "ledger_entry_id",
    "price_achievement_reward",
    "price_award",
    "reversal_of",
    "totals_from_ledger",
    "usage_from_ledger",
    "weekly_points_from_ledger",
]

_NO_COUNTS: Final[Mapping[HopeCategory, int]] = MappingProxyType({})


class UnpricedActionError(InvalidArgumentError):
    """The action is not priced by the award table (a streak bonus, reward or adjustment)."""


class LedgerInconsistentError(FailedPreconditionError):
    """The ledger sums to something no member can hold (a category below zero)."""


@dataclass(frozen=True, slots=True)
class MemberStanding:
    """What pricing needs to know about the member at the moment of the award."""

    level: int
    """Current level (before this award)."""
    streak_days: int
    """Current streak, today included when today is an active day (see streaks)."""
    cap_bonus_percent: int = 0
    """The level benefit's extra room on the caps, in percent."""

    def __post_init__(self) -> None:
        if self.level < 1 or self.streak_days < 0 or self.cap_bonus_percent < 0:
            raise ValueError(f"{self} has a level below 1 or a negative streak or bonus")

    @classmethod
    def of(cls, user: User, public: PublicSettings, at: dt.datetime) -> MemberStanding:
        """The standing of a member as their document holds it at `at` (after the trigger
        recorded today's activity, so the streak includes today)."""
        gamification = user.gamification
        streak = current_streak_days(gamification.streak, at, user.preferences.time_zone)
        benefit = public.benefit_for(gamification.level)
        return cls(gamification.level, streak, benefit.daily_cap_bonus_percent)


def effective_cap(cap: int, bonus_percent: int) -> int:
    """A cap raised by a level benefit's bonus percent (rounded down)."""
    return cap + cap * bonus_percent // 100


def _frozen(counts: Mapping[HopeCategory, int]) -> Mapping[HopeCategory, int]:
    return MappingProxyType({category: n for category, n in counts.items() if n})


@dataclass(frozen=True, slots=True)
class CapUsage:
    """Points credited per category in the current UTC day and ISO week.

    Stored shape the user document needs (in `gamification`, written by functions):
    `capUsage: {day: "2026-11-24", week: "2026-W48", daily: {silentHero: 35, ...},
    weekly: {silentHero: 120, ...}}`. A window whose key is not the current one reads as zero.
    """

    day: str | None = None
    """UTC day (`YYYY-MM-DD`) that `daily` counts."""
    week: str | None = None
    """UTC ISO week (`YYYY-Www`) that `weekly` counts."""
    daily: Mapping[HopeCategory, int] = field(default_factory=dict)
    """Points credited in `day`, per category."""
    weekly: Mapping[HopeCategory, int] = field(default_factory=dict)
    """Points credited in `week`, per category."""

    def __post_init__(self) -> None:
        if any(n < 0 for n in (*self.daily.values(), *self.weekly.values())):
            raise ValueError("cap usage is never negative")
        object.__setattr__(self, "daily", _frozen(self.daily))
        object.__setattr__(self, "weekly", _frozen(self.weekly))

    def rolled_to(self, at: dt.datetime) -> CapUsage:
        """The usage as of `at`: windows that ended read as zero; windows never move back."""
        today = day_of(at)
        day, week = day_key(today), iso_week_key(today)
        roll_day = self.day is None or day > self.day
        roll_week = self.week is None or week > self.week
        if not roll_day and not roll_week:
            return self
        return CapUsage(
            day=day if roll_day else self.day,
            week=week if roll_week else self.week,
            daily=_NO_COUNTS if roll_day else self.daily,
            weekly=_NO_COUNTS if roll_week else self.weekly,
        )

    def room(
        self, category: HopeCategory, settings: GamificationSettings, bonus_percent: int
    ) -> int:
        """Points the category can still take in this window (both caps)."""
        daily = effective_cap(settings.daily_cap(category), bonus_percent)
        weekly = effective_cap(settings.weekly_cap(category), bonus_percent)
        return max(
            0,
            min(
                daily - self.daily.get(category, 0),
                weekly - self.weekly.get(category, 0),
            ),
        )

    def charged(self, award: Award, at: dt.datetime) -> CapUsage:
        """The usage once `award` is credited at `at` (only positive amounts count)."""
        usage = self.rolled_to(at)
        if award.amount <= 0:
            return usage
        daily, weekly = dict(usage.daily), dict(usage.weekly)
        daily[award.category] = daily.get(award.category, 0) + award.amount
        weekly[award.category] = weekly.get(award.category, 0) + award.amount
        return CapUsage(day=usage.day, week=usage.week, daily=daily, weekly=weekly)


@dataclass(frozen=True, slots=True)
class Award:
    """The priced award, everything a ledger entry records but who, when and why."""

    action: HopeAction
    category: HopeCategory
    base: int
    multiplier: float
    bonus: int
    amount: int
    capped: bool
    reverses: str | None = None
    """For a reversal, the ledger entry id it takes back."""

    @property
    def uncapped(self) -> int:
        """What the award would have paid without caps."""
        return int(self.base * self.multiplier) + self.bonus

    def to_ledger_entry(
        self, *, event_id: str, created_at: dt.datetime, source: str | None = None
    ) -> HopeLedgerEntry:
        """The `users/{uid}/hopeLedger/{entryId}` document recording this award."""
        return HopeLedgerEntry(
            action=self.action,
            category=self.category,
            source=source,
            event_id=event_id,
            base=self.base,
            multiplier=self.multiplier,
            bonus=self.bonus,
            amount=self.amount,
            capped=self.capped,
            reverses=self.reverses,
            created_at=created_at,
        )


def _capped(
    action: HopeAction,
    category: HopeCategory,
    base: int,
    multiplier: float,
    bonus: int,
    *,
    settings: GamificationSettings,
    standing: MemberStanding,
    usage: CapUsage,
    at: dt.datetime,
) -> Award | None:
    uncapped = int(base * multiplier) + bonus
    if uncapped <= 0:
        return None
    room = usage.rolled_to(at).room(category, settings, standing.cap_bonus_percent)
    amount = min(uncapped, room)
    return Award(action, category, base, multiplier, bonus, amount, capped=amount < uncapped)


def price_award(
    action: HopeAction,
    settings: GamificationSettings,
    standing: MemberStanding,
    usage: CapUsage,
    at: dt.datetime,
) -> Award | None:
    """The award an action pays at `at`, or None when it pays nothing (disabled, zero base).

    UnpricedActionError for actions the table does not price (`COMPUTED_ACTIONS`).
    """
    if action in COMPUTED_ACTIONS:
        raise UnpricedActionError(f"{action.value} is not priced by the award table")
    rule = settings.award_rule(action)
    if rule is None or not rule.enabled:
        return None
    multiplier = settings.multiplier_for(standing.level)
    bonus = rule.base_points * settings.streak_bonus_percent(standing.streak_days) // 100
    return _capped(
        action,
        rule.category,
        rule.base_points,
        multiplier,
        bonus,
        settings=settings,
        standing=standing,
        usage=usage,
        at=at,
    )


def price_achievement_reward(
    points: int,
    category: HopeCategory,
    settings: GamificationSettings,
    standing: MemberStanding,
    usage: CapUsage,
    at: dt.datetime,
) -> Award | None:
    """The award for an achievement tier's `hopePointsReward`: level multiplier, no streak
    bonus (the tier is the bonus), caps like any other credit; None for a zero reward."""
    if points < 0:
        raise ValueError(f"an achievement reward is never negative, not {points}")
    return _capped(
        HopeAction.ACHIEVEMENT_REWARD,
        category,
        points,
        settings.multiplier_for(standing.level),
        0,
        settings=settings,
        standing=standing,
        usage=usage,
        at=at,
    )


def reversal_of(entry_id: str, entry: HopeLedgerEntry) -> Award:
    """The adjustment that takes back ledger entry `entry_id` (moderation, fraud)."""
    if entry.reverses is not None:
        raise InvalidArgumentError(f"entry {entry_id} is itself a reversal; it is not reversed")
    return Award(
        HopeAction.ADJUSTMENT,
        entry.category,
        base=0,
        multiplier=1.0,
        bonus=0,
        amount=-entry.amount,
        capped=False,
        reverses=entry_id,
    )


def adjustment(category: HopeCategory, amount: int) -> Award:
    """An admin's correction of `amount` points (negative for a penalty)."""
    if amount == 0:
        raise InvalidArgumentError("an adjustment of 0 points changes nothing")
    return Award(HopeAction.ADJUSTMENT, category, 0, 1.0, 0, amount, capped=False)


def ledger_entry_id(event_id: str, action: HopeAction, discriminator: str = "") -> str:
    """The ledger document id of the award `action` caused by trigger event `event_id`.

    Deterministic, so a redelivered event writes the same id and cannot award twice; hashed,
    so any event id (they may contain '/') makes a valid, bounded document id.
    `discriminator` separates several awards of one action from one event (e.g. per tier).
    """
    digest = hashlib.sha256(f"{event_id}\x00{action.value}\x00{discriminator}".encode())
    return f"{action.value}-{digest.hexdigest()[:40]}"


class LedgerLine(Protocol):
    """What recomputation reads from a ledger entry (HopeLedgerEntry has it)."""

    @property
    def action(self) -> HopeAction: ...
    @property
    def category(self) -> HopeCategory: ...
    @property
    def amount(self) -> int: ...
    @property
    def created_at(self) -> dt.datetime: ...


@dataclass(frozen=True, slots=True)
class HopeTotals:
    """Points per category and in total: the fold of the ledger."""

    by_category: Mapping[HopeCategory, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_category", _frozen(self.by_category))

    @property
    def total(self) -> int:
        """All points."""
        return sum(self.by_category.values())

    def category(self, category: HopeCategory) -> int:
        """Points in one category."""
        return self.by_category.get(category, 0)

    def plus(self, category: HopeCategory, amount: int) -> HopeTotals:
        """The totals after crediting (or, when negative, debiting) `amount`."""
        counts = dict(self.by_category)
        counts[category] = counts.get(category, 0) + amount
        return HopeTotals(counts)

    @classmethod
    def of(cls, points: HopePoints) -> HopeTotals:
        """The totals a user document holds."""
        return cls({category: points.category(category) for category in HopeCategory})

    def to_model(self) -> HopePoints:
        """The `gamification.hopePoints` map; LedgerInconsistentError if a category is < 0."""
        negative = sorted(c.value for c, n in self.by_category.items() if n < 0)
        if negative:
            raise LedgerInconsistentError(f"the ledger leaves {negative} below zero")
        fields: dict[str, int] = {c.value: self.category(c) for c in HopeCategory}
        return HopePoints.model_validate({"total": self.total, **fields})


def totals_from_ledger(entries: Iterable[LedgerLine]) -> HopeTotals:
    """The totals a member holds: the sum of `amount` over their ledger, per category."""
    counts: dict[HopeCategory, int] = {}
    for entry in entries:
        counts[entry.category] = counts.get(entry.category, 0) + entry.amount
    return HopeTotals(counts)


def usage_from_ledger(entries: Iterable[LedgerLine], at: dt.datetime) -> CapUsage:
    """The cap usage as of `at`, rebuilt from the ledger (positive credits in the windows)."""
    today = day_of(at)
    day, week = day_key(today), iso_week_key(today)
    daily: dict[HopeCategory, int] = {}
    weekly: dict[HopeCategory, int] = {}
    for entry in entries:
        if entry.amount <= 0:
            continue
        credited = day_of(entry.created_at)
        if iso_week_key(credited) == week:
            weekly[entry.category] = weekly.get(entry.category, 0) + entry.amount
            if day_key(credited) == day:
                daily[entry.category] = daily.get(entry.category, 0) + entry.amount
    return CapUsage(day=day, week=week, daily=daily, weekly=weekly)


def weekly_points_from_ledger(entries: Iterable[LedgerLine], week: str) -> int:
    """Points credited in UTC ISO week `week` (positive credits only, as the weekly board)."""
    return sum(
        entry.amount
        for entry in entries
        if entry.amount > 0 and iso_week_key(day_of(entry.created_at)) == week
    )
