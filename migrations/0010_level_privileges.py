"""Level privileges on the private account (issue 11): members who reached a level before the
privileges were enforced get the `privileges` map the rules now read on
`users/{uid}/private/account` (organising events, the open-request limit, mentorship).

From this release the member document's trigger copies the benefits row of a member's level
onto their account whenever the level changes; a member without the map has the first row's
privileges (level 1), so a member above level 1 who joined earlier would lose what their level
allows until their level next changes. `up` writes the row of their stored
`gamification.level`, from `systemSettings/public.levelBenefits` (the code default table when
the project has none), for every member above level 1 whose map differs; members at level 1
need no map, and a member whose map is right is left alone, so applying twice changes nothing.
The open-request count (`openRequests`) is not written here: the rules read an absent count as
0, and the request trigger recounts it on the member's next request (closing that request if
it goes past the limit), so no member can open more than the limit allows.
`down` removes the map (what the trigger wrote since is removed too; it is derived and the
trigger writes it again on the next level change).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from mitche.models import DEFAULT_LEVEL_BENEFITS

SCOPE = "users/{userId}"
READS = ("users/{userId}", "users/{userId}/private/account", "systemSettings/public")
WRITES = ("users/{userId}/private/account",)

PUBLIC: Final = "systemSettings/public"
# The fields as they were named when this migration was written (a migration is a record).
FIELD: Final = "privileges"
ROW_KEYS: Final = ("maxOpenRequests", "canOrganizeEvents", "mentorshipEligible")
DEFAULT_ROWS: Final = tuple(row.model_dump(by_alias=True) for row in DEFAULT_LEVEL_BENEFITS)

Document = dict[str, Any]


def related(path: str) -> tuple[str, ...]:
    """The member's account, and the public settings holding the level benefits table."""
    return (f"{path}/private/account", PUBLIC)


def _level(user: Mapping[str, Any]) -> int:
    gamification = user.get("gamification")
    level = gamification.get("level", 1) if isinstance(gamification, Mapping) else 1
    return level if isinstance(level, int) and not isinstance(level, bool) and level >= 1 else 1


def _rows(settings: Mapping[str, Any] | None) -> Sequence[Mapping[str, Any]]:
    rows = (settings or {}).get("levelBenefits")
    return rows if isinstance(rows, list) and rows else DEFAULT_ROWS


def privileges_at(level: int, settings: Mapping[str, Any] | None) -> Document:
    """The map of a member at `level`: the last benefits row whose minLevel is reached."""
    rows = _rows(settings)
    applicable = [row for row in rows if row.get("minLevel", 1) <= level] or [rows[0]]
    row = applicable[-1]
    defaults = {"maxOpenRequests": 3, "canOrganizeEvents": False, "mentorshipEligible": False}
    return {"level": level, **{key: row.get(key, defaults[key]) for key in ROW_KEYS}}


def _paths(documents: Mapping[str, Document | None]) -> tuple[str, str]:
    user = next(path for path in documents if path.startswith("users/") and path.count("/") == 1)
    return user, f"{user}/private/account"


def up(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Write the member's privileges map when their level is above 1 and the map differs."""
    user_path, account_path = _paths(documents)
    user, account = documents[user_path], documents[account_path]
    if user is None:
        return {}
    level = _level(user)
    if level == 1:
        return {}
    wanted = privileges_at(level, documents.get(PUBLIC))
    if (account or {}).get(FIELD) == wanted:
        return {}
    return {account_path: {**(account or {}), FIELD: wanted}}


def down(documents: Mapping[str, Document | None]) -> dict[str, Document | None]:
    """Remove the map (an account left empty is deleted)."""
    _, account_path = _paths(documents)
    account = documents[account_path]
    if account is None or FIELD not in account:
        return {}
    rest = {key: value for key, value in account.items() if key != FIELD}
    return {account_path: rest or None}
