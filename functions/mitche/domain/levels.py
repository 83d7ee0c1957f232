"""Experience and levels: how hope points turn into progression, and what a level unlocks.

The curve itself is `LevelCurve` (systemSettings `gamification.levelCurve`); this module only
reads it, so admins tune one formula and clients, functions and tests all agree.

Design choices, and why:
* Experience is the good a member has done, as the ledger records it: every positive credit
  adds its amount; a reversal (an adjustment that `reverses` an entry, e.g. an award obtained
  by fraud) takes back what the reversed entry gave; a penalty (a negative adjustment that
  reverses nothing) lowers hope points but not experience, so moderation takes points, never
  the progress of the help that really happened. Experience is never negative.
* The level is a function of experience alone (the highest level whose threshold is
  reached), hence monotone: more experience never means a lower level.
* Level benefits are data (systemSettings `public.levelBenefits`, readable by clients); a
  level-up reports which benefits it unlocked so the trigger can notify the member.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from mitche.models.system_settings import LevelBenefit, LevelCurve, PublicSettings
from mitche.models.users import HopeAction, HopeLedgerEntry

__all__ = [
    "LevelProgress",
    "LevelUp",
    "benefit_at",
    "detect_level_up",
    "experience_after",
    "experience_delta",
    "experience_from_ledger",
    "level_for",
    "level_progress",
]


def experience_delta(amount: int, *, reversed_amount: int | None = None) -> int:
    """How a ledger entry of `amount` changes experience.

    `reversed_amount` is the amount of the entry it reverses, for a reversal (None otherwise).
    """
    if reversed_amount is not None:
        return -max(reversed_amount, 0)
    return max(amount, 0)


def experience_after(experience: int, delta: int) -> int:
    """Experience after a change, never below zero."""
    return max(0, experience + delta)


def experience_from_ledger(entries: Iterable[tuple[str, HopeLedgerEntry]]) -> int:
    """Experience rebuilt from a member's ledger, given as (entry id, entry) pairs."""
    ledger = list(entries)
    amounts = {entry_id: entry.amount for entry_id, entry in ledger}
    total = 0
    for _, entry in ledger:
        if entry.action is HopeAction.ADJUSTMENT and entry.reverses is not None:
            total += experience_delta(entry.amount, reversed_amount=amounts.get(entry.reverses, 0))
        else:
            total += experience_delta(entry.amount)
    return max(0, total)


def level_for(experience: int, curve: LevelCurve) -> int:
    """The level a member with `experience` has, along the configured curve."""
    return curve.level_for_experience(experience)


@dataclass(frozen=True, slots=True)
class LevelProgress:
    """Where a member stands on the curve, as a client shows it."""

    level: int
    experience: int
    level_threshold: int
    """Experience at which the current level was reached."""
    next_threshold: int | None
    """Experience needed for the next level; None at the highest level."""

    @property
    def fraction(self) -> float:
        """Share of the way from this level to the next, 1.0 at the highest level."""
        if self.next_threshold is None:
            return 1.0
        span = self.next_threshold - self.level_threshold
        return (self.experience - self.level_threshold) / span


def level_progress(experience: int, curve: LevelCurve) -> LevelProgress:
    """The member's level and how far they are towards the next one."""
    level = level_for(experience, curve)
    upcoming = curve.experience_for_level(level + 1) if level < curve.max_level else None
    return LevelProgress(level, experience, curve.experience_for_level(level), upcoming)


def benefit_at(level: int, settings: PublicSettings) -> LevelBenefit:
    """The benefits row that applies at `level`."""
    return settings.benefit_for(level)


@dataclass(frozen=True, slots=True)
class LevelUp:
    """A rise of level caused by an experience change."""

    from_level: int
    to_level: int
    previous_benefit: LevelBenefit
    """The benefits row at the old level."""
    benefit: LevelBenefit
    """The benefits row at the new level."""
    unlocked: tuple[LevelBenefit, ...]
    """Benefit rows first reached by this level-up (empty if it stays within one row)."""

    @property
    def levels_gained(self) -> int:
        """How many levels were gained at once."""
        return self.to_level - self.from_level

    @property
    def became_mentorship_eligible(self) -> bool:
        """Whether the member may now offer mentorship and could not before."""
        return self.benefit.mentorship_eligible and not self.previous_benefit.mentorship_eligible


def detect_level_up(
    experience_before: int,
    experience_now: int,
    curve: LevelCurve,
    settings: PublicSettings,
) -> LevelUp | None:
    """The level-up an experience change causes, or None when the level does not rise.

    The stored level always follows experience (`level_for`); a fall after a reversal is not
    a level-up and is not announced.
    """
    before = level_for(experience_before, curve)
    after = level_for(experience_now, curve)
    if after <= before:
        return None
    unlocked = tuple(row for row in settings.level_benefits if before < row.min_level <= after)
    return LevelUp(
        before, after, settings.benefit_for(before), settings.benefit_for(after), unlocked
    )
