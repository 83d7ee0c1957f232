"""Settings admins tune in the console, read with code defaults and cached per instance.

A function instance serves many events; reading four settings documents and the achievement
catalog on every one of them would multiply each trigger's cost. The store keeps what it read
for `ttl` seconds (an admin's change reaches every instance within that time). An absent
document, or an absent field, means the code default; a document that no longer validates
(an admin's typo) is logged as an error and the code defaults are used, so a bad edit in the
console degrades to the defaults instead of stopping every trigger.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final, TypeVar

from google.cloud import firestore
from pydantic import ValidationError

from mitche.models import (
    LEADERBOARDS_DOCUMENT,
    Achievement,
    AnalyticsSettings,
    AuditSettings,
    Collection,
    GamificationSettings,
    LeaderboardSettings,
    MatchingSettings,
    MitcheModel,
    ModerationSettings,
    PublicSettings,
    SettingsDocument,
)
from mitche.queries import query_for
from mitche.services._cost import CostSample, record_cost
from mitche.services._log import log_error, log_warning
from mitche.services._unit import Unit, run_transaction
from mitche.services.codec import from_document

__all__ = ["DEFAULT_TTL_SECONDS", "GameRules", "SettingsStore", "settings_path"]

DEFAULT_TTL_SECONDS: Final = 60.0
"""How long an instance trusts what it read."""

ModelT = TypeVar("ModelT", bound=MitcheModel)


def settings_path(document: SettingsDocument) -> str:
    """The path of a settings document."""
    return f"{Collection.SYSTEM_SETTINGS.value}/{document.value}"


@dataclass(frozen=True, slots=True)
class GameRules:
    """Everything pricing an award and evaluating achievements needs."""

    gamification: GamificationSettings
    public: PublicSettings
    catalog: Mapping[str, Achievement]


@dataclass(slots=True)
class _Entry:
    value: Any
    read_at: float


class SettingsStore:
    """Settings documents and the achievement catalog, each cached for `ttl` seconds."""

    def __init__(
        self, *, ttl: float = DEFAULT_TTL_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: dict[str, _Entry] = {}
        self._leaderboard_key: bytes | None = None

    def invalidate(self) -> None:
        """Forget everything read, so the next call reads again."""
        with self._lock:
            self._cache.clear()
            self._leaderboard_key = None

    def _cached(self, key: str, load: Callable[[], Any]) -> Any:
        now = self._clock()
        with self._lock:
            entry = self._cache.get(key)
            if entry is not None and now - entry.read_at < self._ttl:
                return entry.value
        value = load()
        with self._lock:
            self._cache[key] = _Entry(value, now)
        return value

    def _document(
        self, client: firestore.Client, document: SettingsDocument, model: type[ModelT]
    ) -> ModelT:
        def load() -> ModelT:
            path = settings_path(document)
            snapshot = client.document(path).get()
            record_cost(CostSample("settings", 1, 0))
            if not snapshot.exists:
                return model()
            try:
                return from_document(model, snapshot.to_dict() or {})
            except ValidationError as error:
                log_error(
                    "settings document is invalid; using the code defaults",
                    path=path,
                    errors=error.errors(include_url=False, include_context=False),
                )
                return model()

        value: ModelT = self._cached(document.value, load)
        return value

    def gamification(self, client: firestore.Client) -> GamificationSettings:
        """`systemSettings/gamification`, or its code defaults."""
        return self._document(client, SettingsDocument.GAMIFICATION, GamificationSettings)

    def public(self, client: firestore.Client) -> PublicSettings:
        """`systemSettings/public`, or its code defaults."""
        return self._document(client, SettingsDocument.PUBLIC, PublicSettings)

    def moderation(self, client: firestore.Client) -> ModerationSettings:
        """`systemSettings/moderation`, or its code defaults."""
        return self._document(client, SettingsDocument.MODERATION, ModerationSettings)

    def analytics(self, client: firestore.Client) -> AnalyticsSettings:
        """`systemSettings/analytics`, or its code defaults."""
        return self._document(client, SettingsDocument.ANALYTICS, AnalyticsSettings)

    def matching(self, client: firestore.Client) -> MatchingSettings:
        """`systemSettings/matching`, or its code defaults."""
        return self._document(client, SettingsDocument.MATCHING, MatchingSettings)

    def audit(self, client: firestore.Client) -> AuditSettings:
        """`systemSettings/audit`, or its code defaults."""
        return self._document(client, SettingsDocument.AUDIT, AuditSettings)

    def catalog(self, client: firestore.Client) -> Mapping[str, Achievement]:
        """The achievement catalog by id; entries that do not validate are skipped (logged)."""

        def load() -> Mapping[str, Achievement]:
            catalog: dict[str, Achievement] = {}
            snapshots = list(query_for(client, "functions.achievementCatalog").stream())
            record_cost(CostSample("settings", max(1, len(snapshots)), 0))
            for snapshot in snapshots:
                try:
                    catalog[snapshot.id] = from_document(Achievement, snapshot.to_dict() or {})
                except ValidationError as error:
                    log_warning(
                        "achievement does not validate; it is not evaluated",
                        path=snapshot.reference.path,
                        errors=error.errors(include_url=False, include_context=False),
                    )
            return MappingProxyType(catalog)

        value: Mapping[str, Achievement] = self._cached("achievements", load)
        return value

    def game_rules(self, client: firestore.Client) -> GameRules:
        """The award settings, level benefits and catalog together."""
        return GameRules(self.gamification(client), self.public(client), self.catalog(client))

    def leaderboard_key(self, client: firestore.Client) -> bytes:
        """The secret that keys leaderboard entry ids, generated on first use and then cached
        for the life of the instance (it never changes)."""
        with self._lock:
            if self._leaderboard_key is not None:
                return self._leaderboard_key

        def ensure(unit: Unit) -> str:
            stored = unit.get(LEADERBOARDS_DOCUMENT)
            current = LeaderboardSettings.model_validate(stored or {})
            if current.entry_key is not None:
                return current.entry_key
            fresh = LeaderboardSettings(
                entry_key=secrets.token_hex(32), created_at=datetime.now(UTC)
            )
            unit.set(LEADERBOARDS_DOCUMENT, fresh)
            assert fresh.entry_key is not None
            return fresh.entry_key

        key = bytes.fromhex(run_transaction(client, "settings.leaderboardKey", ensure))
        with self._lock:
            self._leaderboard_key = key
        return key
