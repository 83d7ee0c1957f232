"""The name of every handler, declared once.

A handler's name is part of what it stores: the id of each idempotency marker is derived from
it (`processedEvents/{name}-{hash(event id)}`), the marker records it, and logs and cost
samples carry it. A name typed twice could drift, and a renamed handler would no longer see
the markers it wrote, so a redelivery after a deploy would apply its effect twice. So every
name is a member here, triggers map only members to handlers, and a marker refuses any other
name (`mitche.models.processed_events`). Values never change once deployed; a new handler adds
a member.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["HandlerName"]


class HandlerName(StrEnum):
    """Every handler of a trigger, schedule, callable or command, by the name it stores."""

    # Hope points, counters and achievements of the members who acted.
    GAMIFICATION_OFFERINGS = "gamification.offerings"
    GAMIFICATION_REQUESTS = "gamification.requests"
    GAMIFICATION_EVENTS = "gamification.events"
    GAMIFICATION_REGISTRATIONS = "gamification.registrations"
    GAMIFICATION_TAPESTRY = "gamification.tapestry"
    GAMIFICATION_REPORTS = "gamification.reports"
    GAMIFICATION_RESOURCES = "gamification.resources"
    GAMIFICATION_REVIEWS = "gamification.reviews"
    GAMIFICATION_MESSAGES = "gamification.messages"

    # Daily analytics: one counter per source, and the roll-up of a day.
    ANALYTICS_USERS = "analytics.users"
    ANALYTICS_REQUESTS = "analytics.requests"
    ANALYTICS_OFFERINGS = "analytics.offerings"
    ANALYTICS_EVENTS = "analytics.events"
    ANALYTICS_REGISTRATIONS = "analytics.registrations"
    ANALYTICS_CONVERSATIONS = "analytics.conversations"
    ANALYTICS_MESSAGES = "analytics.messages"
    ANALYTICS_REPORTS = "analytics.reports"
    ANALYTICS_LEDGER = "analytics.ledger"
    ANALYTICS_ACCOUNTS = "analytics.accounts"
    ANALYTICS_ROLLUP = "analytics.rollup"

    # Members: claims and standing, leaderboards, the moderator roster.
    MEMBERS_SYNC = "members.sync"
    MEMBERS_LEADERBOARDS = "members.leaderboards"
    MEMBERS_ROSTER = "members.roster"
    MEMBERS_ACCOUNT = "members.account"

    # Moderation.
    MODERATION_SCREEN = "moderation.screen"
    MODERATION_TRIAGE = "moderation.triage"
    MODERATION_RESOLVE = "moderation.resolve"
    MODERATION_REVIEW = "moderation.review"
    MODERATION_SET_ROLE = "moderation.setRole"
    ADMIN_ADJUST_POINTS = "admin.adjustPoints"
    ADMIN_SETTINGS = "admin.settings"
    MODERATION_LIFT_SUSPENSIONS = "moderation.liftSuspensions"

    # The help cycle, conversations, and identity reveals.
    HELP_CYCLE_ACCEPT = "helpCycle.accept"
    HELP_CYCLE_EXPIRE = "helpCycle.expire"
    CHAT_MESSAGE = "chat.message"
    CHAT_RECEIPTS = "chat.receipts"
    REVEAL_COMPLETE = "reveal.complete"
    IDENTITY_SET = "identity.set"
    IDENTITY_READ = "identity.read"

    # Privacy: consents applied, data exports.
    PRIVACY_CONSENTS = "privacy.consents"
    PRIVACY_EXPORT_REQUEST = "privacy.exportRequest"
    PRIVACY_EXPORT_STEP = "privacy.exportStep"
    PRIVACY_EXPORT_EXPIRED = "privacy.exportExpired"
    PRIVACY_ERASURE = "privacy.erasure"

    # Notifications: the unread count after a read, push delivery, deferred pushes.
    NOTIFICATIONS_READ = "notifications.read"
    NOTIFICATIONS_PUSH = "notifications.push"
    NOTIFICATIONS_DEFERRED = "notifications.deferred"
    NOTIFY_OFFERINGS = "notify.offerings"
    NOTIFY_MESSAGES = "notify.messages"
    NOTIFY_REVEALS = "notify.reveals"
    NOTIFY_REPORTS = "notify.reports"
    NOTIFY_LEVELS = "notify.levels"
    NOTIFY_MODERATION = "notify.moderation"
    NOTIFY_EXPIRING = "notify.expiring"
    NOTIFY_ACHIEVEMENTS = "notify.achievements"

    # The resource hub and the Hope Tapestry.
    RESOURCES_RATING = "resources.rating"
    RESOURCES_HELPFUL = "resources.helpful"
    RESOURCES_PROVIDER = "resources.provider"
    RESOURCES_USAGE = "resources.usage"
    TAPESTRY_DECIDE = "tapestry.decide"
    TAPESTRY_HEARTS = "tapestry.hearts"
    TAPESTRY_NOMINATION = "tapestry.nomination"

    # The near-me lists, one per source collection.
    NEARBY_REQUESTS = "nearby.nearbyRequests"
    NEARBY_EVENTS = "nearby.nearbyEvents"
    NEARBY_RESOURCES = "nearby.nearbyResources"
    NEARBY_OFFERINGS = "nearby.nearbyOfferings"

    # Community events: places and counts, approval, cancellation, check-in, reminders.
    EVENTS_PLACES = "events.places"
    EVENTS_APPROVAL = "events.approval"
    EVENTS_DECIDE = "events.decide"
    EVENTS_CANCEL = "events.cancel"
    EVENTS_CHECK_IN = "events.checkIn"
    EVENTS_REMINDERS = "events.reminders"

    # Level privileges: copied onto the private account; the open-request count and backstop.
    PRIVILEGES_SYNC = "privileges.sync"
    PRIVILEGES_OPEN_REQUESTS = "privileges.openRequests"

    # Matching: the match cards, the suggestions.
    MATCHING_REQUESTS = "matching.requestCards"
    MATCHING_HELPERS = "matching.helperCards"
    MATCHING_SUGGEST_HELPERS = "matching.suggestHelpers"
    MATCHING_SUGGEST_REQUESTS = "matching.suggestRequests"
    MATCHING_URGENT_ALERTS = "matching.urgentAlerts"

    # Attachments: the sweep of uploads no document links.
    ATTACHMENTS_ORPHAN_SWEEP = "attachments.orphanSweep"

    # Operator commands (python -m mitche.commands).
    COMMANDS_BACKFILL = "commands.backfill"
    COMMANDS_LOAD_CATALOG = "commands.loadCatalog"
    COMMANDS_RECOMPUTE_TOTALS = "commands.recomputeTotals"
    COMMANDS_REEVALUATE = "commands.reevaluate"
    COMMANDS_INIT_SETTINGS = "commands.initSettings"
    COMMANDS_SYNC_PRIVILEGES = "commands.syncPrivileges"
