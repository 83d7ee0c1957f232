"""Re-wrapping every member's data key after the key-encryption key was rotated.

Rotating the Cloud KMS key (a new primary version) leaves each member's data key wrapped by the
version that was primary when it was made; old versions must stay enabled until every wrap has
moved. This command pages through the members in id order and re-wraps each stale data key
(`MemberKeys.rewrap`: one conditional write per member, the sealed data untouched), so it can be
interrupted and resumed with `--after`; once it reports nothing left, the old KMS versions can
be disabled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mitche.commands._members import DEFAULT_PAGE_SIZE, Progress, member_ids
from mitche.handlers import Deps
from mitche.sealing import KeyEncryptionKey, MemberKeys, kek_from_environment
from mitche.services import is_dry_run, log_info

__all__ = ["Rewrap", "rewrap_keys"]


@dataclass(frozen=True, slots=True)
class Rewrap:
    """What one run did (or, in a dry run, would do)."""

    visited: int
    """Members looked at."""
    rewrapped: tuple[str, ...]
    """Members whose data key moved to the current key version."""
    current: int
    """Members whose key already was on it, or who have no key (nothing sealed for them)."""


def rewrap_keys(
    deps: Deps,
    uids: Sequence[str] | None = None,
    *,
    kek: KeyEncryptionKey | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    after: str | None = None,
    progress: Progress | None = None,
) -> Rewrap:
    """Move every member's (or the given members') data key onto the current key version."""
    keys = MemberKeys(deps.client, kek or kek_from_environment())
    change = keys.stale if is_dry_run() else keys.rewrap
    ids = list(uids) if uids is not None else member_ids(deps.client, page_size, after=after)
    visited, rewrapped = 0, []
    for uid in ids:
        visited += 1
        if change(uid):
            rewrapped.append(uid)
        if progress is not None:
            progress(visited, uid)
    log_info("command finished", handler="rewrap-keys", visited=visited, changed=len(rewrapped))
    return Rewrap(visited, tuple(rewrapped), visited - len(rewrapped))
