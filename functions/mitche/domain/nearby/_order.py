"""The order of a near-me list as one sortable string per entry (`key`), then distance, then id.

Firestore orders by stored fields only, and distance depends on who searches, so each list is
ordered by a searcher-independent `key` first and by distance only among equal keys. Requests
rank most urgent first, then soonest deadline (none last): their key is the urgency's letter
(`a` critical ... `d` low) followed by the deadline in fixed-width UTC, or by `~` when there is
none. Events rank soonest start first: their key is the start time. Resources and standing
offerings rank nearest first: every key is `~`.

Two kinds of key runs follow from this. A deadline or a start time is shared by few entries,
so equal keys are few and are sorted by distance once all of them are read ("merge" bands).
A key ending in `~` is shared by a whole urgency level (or a whole list), so its entries are
read ring by ring, nearest cells first ("ring" keys). `bands` splits the key space into these.

Keys use only the characters of `KEY_ALPHABET`, all above `!`, so `successor(key)` (the key
followed by `!`) is below every longer key that starts with it and above the key itself.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

__all__ = [
    "KEY_ALPHABET",
    "NEAREST_KEY",
    "TOP_KEY",
    "URGENCY_LETTERS",
    "Band",
    "bands",
    "request_key",
    "successor",
    "time_key",
]

KEY_ALPHABET: Final = re.compile(r"^[-.0-9:A-Z_a-z~]{1,40}$")
"""What a key may contain (every character sorts above `!`)."""
NEAREST_KEY: Final = "~"
"""The key of entries ranked by distance alone, and the suffix of a request without deadline."""
TOP_KEY: Final = "\x7f"
"""A bound above every key."""
URGENCY_LETTERS: Final = {"critical": "a", "high": "b", "medium": "c", "low": "d"}
"""Most urgent first: the letter each urgency level's keys start with."""


def time_key(moment: dt.datetime) -> str:
    """A timestamp as a fixed-width UTC string that sorts like the time
    (`2026-11-23T10:00:00.000000Z`)."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment!r} has no timezone; keys are built from aware datetimes")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def request_key(urgency: str, deadline: dt.datetime | None) -> str:
    """The key of an open request: urgency letter, then deadline (`~` for none)."""
    letter = URGENCY_LETTERS.get(urgency)
    if letter is None:
        raise ValueError(f"urgency is {urgency!r}, must be one of {sorted(URGENCY_LETTERS)}")
    return letter + (time_key(deadline) if deadline is not None else NEAREST_KEY)


def successor(key: str) -> str:
    """The smallest bound above `key` and below every other key starting with it."""
    return key + "!"


@dataclass(frozen=True, slots=True)
class Band:
    """A run of the key order read one way: keys in [low, high) merged across streams, or
    (`ring`) the single key `low` read ring by ring."""

    low: str
    high: str
    ring: bool = False


def bands(ring_keys: tuple[str, ...], low: str = "", high: str = TOP_KEY) -> tuple[Band, ...]:
    """The bands covering keys in [low, high): merge bands between the ring keys, each ring key
    a band of its own, in key order."""
    result: list[Band] = []
    start = low
    for key in sorted(k for k in ring_keys if low <= k < high):
        if start < key:
            result.append(Band(start, key))
        result.append(Band(key, successor(key), ring=True))
        start = successor(key)
    if start < high:
        result.append(Band(start, high))
    return tuple(result)
