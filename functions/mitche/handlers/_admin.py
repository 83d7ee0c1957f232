"""Admins' and moderators' tools, as callables of the registry (`CALLABLES`).

* `adjust_hope_points` (moderators, admins): credit or debit a member's hope points with a
  reason, through the hope ledger: one transaction writes an `adjustment` entry carrying the
  reason and moves the member's totals, experience and level with it, so totals stay the sum of
  the ledger. The caller names the adjustment (`key`, any id they choose once): a retried call
  finds the entry and changes nothing. A debit that would take a category below zero is refused.
  Adjustments move neither the weekly leaderboard nor the caps: they correct what was earned,
  they are not earned this week.
* `set_feature_flags` (admins): switch named features of `systemSettings/public` on or off.
* `set_service_status` (admins): `operational`, `degraded`, `readOnly` (every client write is
  refused by the rules while reads go on) or `maintenance`, with the message members read.
* `set_rate_limits` (admins): change named intervals of `config.rateLimits` (seconds between
  two creations of a kind by one member; the rules read them), the others kept.
* `load_achievement_catalog` (admins): load the seed catalog (or some of its entries) the way
  `python -m mitche.commands load-catalog` does.

Each call is authorised, parsed and audited by the registry (mitche.callables).
"""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Final

from pydantic import Field, ValidationError

from mitche.callables import MODERATING, ONLY_ADMINS, Actor, CallableSpec
from mitche.catalog import SEED_CATALOG
from mitche.domain.hope_points import HopeTotals
from mitche.domain.levels import experience_after, experience_delta, level_for
from mitche.errors import ErrorCode, FailedPreconditionError, InvalidArgumentError, NotFoundError
from mitche.handler_names import HandlerName
from mitche.handlers._awards import user_path
from mitche.handlers._context import Deps
from mitche.models import (
    FeatureFlags,
    Gamification,
    HopeAction,
    HopeCategory,
    HopeLedgerEntry,
    MitcheModel,
    RateLimits,
    ServiceStatus,
    SettingsDocument,
    Uid,
)
from mitche.services import (
    Unit,
    from_document,
    log_info,
    run_transaction,
    settings_path,
    to_document,
)

__all__ = [
    "ADJUST_HOPE_POINTS",
    "LOAD_ACHIEVEMENT_CATALOG",
    "SET_FEATURE_FLAGS",
    "SET_RATE_LIMITS",
    "SET_SERVICE_STATUS",
    "CatalogLoaded",
    "CatalogRequest",
    "FeatureFlagsRequest",
    "FeatureFlagsSet",
    "PointsAdjusted",
    "PointsAdjustment",
    "RateLimitsRequest",
    "RateLimitsSet",
    "ServiceStatusRequest",
    "ServiceStatusSet",
    "adjustment_entry_id",
]

_Reason = Annotated[str, Field(min_length=3, max_length=500)]
_FLAGS: Final = frozenset(
    FeatureFlags.model_fields[name].alias or name for name in FeatureFlags.model_fields
)
_LIMITS: Final = frozenset(
    RateLimits.model_fields[name].alias or name for name in RateLimits.model_fields
)


# --- hope points ---------------------------------------------------------------------------


class PointsAdjustment(MitcheModel):
    """A credit or debit of a member's hope points, with the reason the member reads."""

    uid: Uid
    """The member."""
    amount: Annotated[int, Field(ge=-10_000, le=10_000)]
    """Points to credit (positive) or take back (negative); never 0."""
    category: HopeCategory
    """The category the points count towards."""
    reason: _Reason
    """Why: the member reads it on the ledger entry."""
    key: Annotated[str, Field(min_length=8, max_length=100, pattern=r"^[A-Za-z0-9_-]+$")]
    """An id the caller picks for this adjustment (a uuid): calling again with the same key
    changes nothing."""


class PointsAdjusted(MitcheModel):
    """The member's standing after the adjustment."""

    uid: Uid
    """The member."""
    entry_id: str
    """The ledger entry (`users/{uid}/hopeLedger/{entryId}`)."""
    total: int
    """Their hope points now."""
    level: int
    """Their level now."""
    repeated: bool
    """Whether the adjustment had been made before (nothing changed this time)."""


def adjustment_entry_id(actor: str, key: str) -> str:
    """The ledger id of an adjustment: one per (caller, key)."""
    digest = hashlib.sha256(f"{actor}\x00{key}".encode()).hexdigest()[:40]
    return f"{HopeAction.ADJUSTMENT.value}-{digest}"


def _gamification(data: dict[str, Any], path: str) -> Gamification:
    raw = data.get("gamification")
    try:
        return from_document(Gamification, raw if isinstance(raw, dict) else {})
    except ValidationError as error:
        raise FailedPreconditionError(
            f"{path}: gamification does not validate; recompute totals first", cause=error
        ) from error


def _adjust(deps: Deps, actor: Actor, request: PointsAdjustment) -> PointsAdjusted:
    if request.amount == 0:
        raise InvalidArgumentError("amount: an adjustment of 0 points changes nothing")
    path = user_path(request.uid)
    entry_id = adjustment_entry_id(actor.uid, request.key)
    entry_path = f"{path}/hopeLedger/{entry_id}"
    rules = deps.settings.gamification(deps.client)
    at = deps.now()

    def work(unit: Unit) -> PointsAdjusted:
        read = unit.get_all([path, entry_path])
        stored = read[path]
        if stored is None:
            raise NotFoundError(f"no member {request.uid!r}")
        current = _gamification(dict(stored), path)
        if read[entry_path] is not None:
            return PointsAdjusted(
                uid=request.uid,
                entry_id=entry_id,
                total=current.hope_points.total,
                level=current.level,
                repeated=True,
            )
        totals = HopeTotals.of(current.hope_points).plus(request.category, request.amount)
        if totals.category(request.category) < 0:
            raise FailedPreconditionError(
                f"{request.uid} holds {current.hope_points.category(request.category)} points in "
                f"{request.category.value}; a debit of {-request.amount} would go below zero"
            )
        experience = experience_after(current.experience, experience_delta(request.amount))
        level = level_for(experience, rules.level_curve)
        updated = current.model_copy(
            update={"hope_points": totals.to_model(), "experience": experience, "level": level}
        )
        entry = HopeLedgerEntry(
            action=HopeAction.ADJUSTMENT,
            category=request.category,
            event_id=f"adjustment:{actor.uid}:{request.key}",
            base=0,
            amount=request.amount,
            reason=request.reason,
            created_at=at,
        )
        unit.update(path, {"gamification": to_document(updated, unit.client)})
        unit.create(entry_path, entry)
        return PointsAdjusted(
            uid=request.uid, entry_id=entry_id, total=totals.total, level=level, repeated=False
        )

    done = run_transaction(deps.client, HandlerName.ADMIN_ADJUST_POINTS, work)
    log_info(
        "hope points adjusted",
        handler=HandlerName.ADMIN_ADJUST_POINTS,
        uid=request.uid,
        amount=request.amount,
        by=actor.uid,
        repeated=done.repeated,
    )
    return done


ADJUST_HOPE_POINTS: Final = CallableSpec(
    name="adjust_hope_points",
    request=PointsAdjustment,
    response=PointsAdjusted,
    roles=MODERATING,
    handler=_adjust,
    summary="A moderator credits or debits a member's hope points, with a reason, through the "
    "ledger.",
    codes=(ErrorCode.NOT_FOUND, ErrorCode.FAILED_PRECONDITION),
    target=lambda request: user_path(request.uid),
    reason=lambda request: f"{request.amount:+d} {request.category.value}: {request.reason}",
)


# --- switches ------------------------------------------------------------------------------


class FeatureFlagsRequest(MitcheModel):
    """Features to switch on (true) or off (false); the others keep their state."""

    flags: Annotated[dict[str, bool], Field(min_length=1, max_length=len(_FLAGS))]
    """Flag names as in `featureFlags` (`events`, `chat`...)."""
    reason: _Reason
    """Why (kept in the audit log)."""


class FeatureFlagsSet(MitcheModel):
    """Every feature flag after the change."""

    feature_flags: FeatureFlags
    """The flags members' apps and the rules now read."""


class ServiceStatusRequest(MitcheModel):
    """How the platform runs from now on, and what members read about it."""

    status: ServiceStatus
    """`readOnly` refuses every client write (reads go on)."""
    message: Annotated[str, Field(max_length=500)] | None = None
    """Shown to members while the status is not `operational`."""
    reason: _Reason
    """Why (kept in the audit log)."""


class ServiceStatusSet(MitcheModel):
    """The status in force."""

    status: ServiceStatus
    """The status members' apps and the rules now read."""
    message: str | None
    """The message members read."""


class RateLimitsRequest(MitcheModel):
    """Intervals to change, in seconds; the others keep their value."""

    limits: Annotated[dict[str, int], Field(min_length=1, max_length=len(_LIMITS))]
    """Names as in `config.rateLimits` (`requestSeconds`, `usageSeconds`...)."""
    reason: _Reason
    """Why (kept in the audit log)."""


class RateLimitsSet(MitcheModel):
    """Every interval after the change."""

    rate_limits: RateLimits
    """The intervals the rules now read."""


_PUBLIC: Final = settings_path(SettingsDocument.PUBLIC)


def _set_flags(deps: Deps, actor: Actor, request: FeatureFlagsRequest) -> FeatureFlagsSet:
    unknown = sorted(set(request.flags) - _FLAGS)
    if unknown:
        raise InvalidArgumentError(f"flags: unknown {unknown}; known: {sorted(_FLAGS)}")
    at = deps.now()

    def work(unit: Unit) -> FeatureFlags:
        stored = unit.get(_PUBLIC) or {}
        raw = stored.get("featureFlags")
        current = from_document(FeatureFlags, raw if isinstance(raw, dict) else {})
        flags = FeatureFlags.model_validate({**current.model_dump(by_alias=True), **request.flags})
        fields = {
            "featureFlags": to_document(flags, unit.client),
            "updatedAt": at,
            "updatedBy": actor.uid,
        }
        if stored:
            unit.update(_PUBLIC, fields)
        else:
            unit.set(_PUBLIC, fields, merge=True)
        return flags

    flags = run_transaction(deps.client, HandlerName.ADMIN_SETTINGS, work)
    deps.settings.invalidate()
    return FeatureFlagsSet(feature_flags=flags)


def _set_status(deps: Deps, actor: Actor, request: ServiceStatusRequest) -> ServiceStatusSet:
    at = deps.now()

    def work(unit: Unit) -> None:
        fields = {
            "config.serviceStatus": request.status.value,
            "config.statusMessage": request.message,
            "updatedAt": at,
            "updatedBy": actor.uid,
        }
        if unit.get(_PUBLIC) is not None:
            unit.update(_PUBLIC, fields)
        else:
            config = {"serviceStatus": request.status.value, "statusMessage": request.message}
            unit.set(_PUBLIC, {"config": config, "updatedAt": at, "updatedBy": actor.uid})

    run_transaction(deps.client, HandlerName.ADMIN_SETTINGS, work)
    deps.settings.invalidate()
    log_info("service status set", status=request.status.value, by=actor.uid)
    return ServiceStatusSet(status=request.status, message=request.message)


def _set_limits(deps: Deps, actor: Actor, request: RateLimitsRequest) -> RateLimitsSet:
    unknown = sorted(set(request.limits) - _LIMITS)
    if unknown:
        raise InvalidArgumentError(f"limits: unknown {unknown}; known: {sorted(_LIMITS)}")
    at = deps.now()

    def work(unit: Unit) -> RateLimits:
        stored = unit.get(_PUBLIC) or {}
        config = stored.get("config")
        raw = config.get("rateLimits") if isinstance(config, dict) else None
        current = from_document(RateLimits, raw if isinstance(raw, dict) else {})
        try:
            limits = RateLimits.model_validate(
                {**current.model_dump(by_alias=True), **request.limits}
            )
        except ValidationError as error:
            raise InvalidArgumentError(f"limits: {error.errors()[0]['msg']}") from error
        if stored:
            unit.update(
                _PUBLIC,
                {
                    "config.rateLimits": to_document(limits, unit.client),
                    "updatedAt": at,
                    "updatedBy": actor.uid,
                },
            )
        else:
            unit.set(
                _PUBLIC,
                {
                    "config": {"rateLimits": to_document(limits, unit.client)},
                    "updatedAt": at,
                    "updatedBy": actor.uid,
                },
            )
        return limits

    limits = run_transaction(deps.client, HandlerName.ADMIN_SETTINGS, work)
    deps.settings.invalidate()
    log_info("rate limits set", limits=request.limits, by=actor.uid)
    return RateLimitsSet(rate_limits=limits)


SET_FEATURE_FLAGS: Final = CallableSpec(
    name="set_feature_flags",
    request=FeatureFlagsRequest,
    response=FeatureFlagsSet,
    roles=ONLY_ADMINS,
    handler=_set_flags,
    summary="An admin switches named features on or off for every member.",
    target=lambda request: _PUBLIC,
    reason=lambda request: f"{request.flags}: {request.reason}",
)
SET_SERVICE_STATUS: Final = CallableSpec(
    name="set_service_status",
    request=ServiceStatusRequest,
    response=ServiceStatusSet,
    roles=ONLY_ADMINS,
    handler=_set_status,
    summary="An admin sets how the platform runs (readOnly refuses every client write).",
    target=lambda request: _PUBLIC,
    reason=lambda request: f"{request.status.value}: {request.reason}",
)

SET_RATE_LIMITS: Final = CallableSpec(
    name="set_rate_limits",
    request=RateLimitsRequest,
    response=RateLimitsSet,
    roles=ONLY_ADMINS,
    handler=_set_limits,
    summary="An admin changes the minimum intervals between a member's creations.",
    target=lambda request: _PUBLIC,
    reason=lambda request: f"{request.limits}: {request.reason}",
)


# --- achievement catalog ---------------------------------------------------------------------


class CatalogRequest(MitcheModel):
    """Which entries of the seed catalog to load (all when absent)."""

    achievement_ids: Annotated[list[str], Field(min_length=1, max_length=200)] | None = None
    """Ids of the seed catalog."""
    reason: _Reason
    """Why (kept in the audit log)."""


class CatalogLoaded(MitcheModel):
    """What the load did, by achievement id."""

    created: list[str]
    updated: list[str]
    reevaluate: list[str]
    """Updated entries whose criterion or tiers changed: run `reevaluate-achievements`."""
    unchanged: list[str]


def _load_catalog(deps: Deps, actor: Actor, request: CatalogRequest) -> CatalogLoaded:
    from mitche.commands._catalog import load_catalog  # the command module imports handlers

    wanted = request.achievement_ids
    if wanted is not None:
        unknown = sorted(set(wanted) - set(SEED_CATALOG))
        if unknown:
            raise InvalidArgumentError(f"achievementIds: not in the seed catalog: {unknown}")
    catalog = SEED_CATALOG if wanted is None else {key: SEED_CATALOG[key] for key in sorted(wanted)}
    done = load_catalog(deps, catalog)
    deps.settings.invalidate()
    return CatalogLoaded(
        created=list(done.created),
        updated=list(done.updated),
        reevaluate=list(done.reevaluate),
        unchanged=list(done.unchanged),
    )


LOAD_ACHIEVEMENT_CATALOG: Final = CallableSpec(
    name="load_achievement_catalog",
    request=CatalogRequest,
    response=CatalogLoaded,
    roles=ONLY_ADMINS,
    handler=_load_catalog,
    summary="An admin loads the seed achievement catalog (or some of its entries).",
    codes=(ErrorCode.FAILED_PRECONDITION,),
    target=lambda request: None,
    reason=lambda request: request.reason,
)

CALLABLES: Final = (
    ADJUST_HOPE_POINTS,
    LOAD_ACHIEVEMENT_CATALOG,
    SET_FEATURE_FLAGS,
    SET_RATE_LIMITS,
    SET_SERVICE_STATUS,
)
"""The callables this module declares (mitche.callables.CALLABLE_MODULES)."""
