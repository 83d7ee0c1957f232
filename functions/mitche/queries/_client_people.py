"""Client queries of the personal, social and moderation screens: conversations and messages,
the tapestry, reports, achievements, leaderboards, points, reveals and analytics."""

from __future__ import annotations

from typing import Final

from mitche.models import (
    ConversationType,
    HopeCategory,
    ModerationState,
    ReportSeverity,
    ReportStatus,
    ThreadStatus,
)
from mitche.queries._client_help import SHOWN_STATES
from mitche.queries._declarations import UID, Caller, CatalogQuery, Order, Param, Where

__all__ = ["PEOPLE_QUERIES"]

_SHOWN: Final = Where("moderation.status", "in", SHOWN_STATES)
_PAGE: Final = Param("limit", "int", maximum=100)
_APPROVED: Final = Where("status", "==", ThreadStatus.APPROVED.value)
_SCREENED_IN: Final = Where(
    "moderation.status",
    "in",
    (ModerationState.APPROVED.value, ModerationState.FLAGGED.value),
)
"""Messages the other participants read: the screen let them through (firestore.rules
canReadMessage)."""
_HELD_OR_FLAGGED: Final = Where(
    "moderation.status", "in", (ModerationState.HIDDEN.value, ModerationState.FLAGGED.value)
)

_CONVERSATIONS: Final = (
    CatalogQuery(
        name="conversations.mine",
        purpose="Inbox: the member's conversations, latest message first (a conversation "
        "appears once its first message is sent).",
        caller=Caller.MEMBER,
        collection="conversations",
        where=(Where("participantIds", "array_contains", UID),),
        order=(Order("lastMessage.sentAt", "desc"),),
        limit=_PAGE,
        guard=("participantIds",),
    ),
    CatalogQuery(
        name="conversations.support",
        purpose="Moderators' support inbox: members' threads with the moderation team, latest "
        "change first.",
        caller=Caller.MODERATOR,
        collection="conversations",
        where=(Where("conversationType", "==", ConversationType.SUPPORT.value),),
        order=(Order("updatedAt", "desc"),),
        limit=_PAGE,
    ),
    CatalogQuery(
        name="messages.ofConversation",
        purpose="A conversation's messages the screen let through (approved or flagged), "
        "newest first (paged back with a cursor); the member's own unscreened or held ones "
        "come from `messages.mineInConversation`.",
        caller=Caller.MEMBER,
        collection="messages",
        where=(
            Where("conversationId", "==", Param("conversationId")),
            Where("participantIds", "array_contains", UID),
            _SCREENED_IN,
        ),
        order=(Order("createdAt", "desc"),),
        limit=_PAGE,
        paged=True,
        guard=("participantIds", "moderation.status"),
    ),
    CatalogQuery(
        name="messages.mineInConversation",
        purpose="The messages the member sent in a conversation, whatever their screening "
        "(pending, held with its reason, approved), newest first.",
        caller=Caller.MEMBER,
        collection="messages",
        where=(
            Where("conversationId", "==", Param("conversationId")),
            Where("participantIds", "array_contains", UID),
            Where("senderId", "==", UID),
        ),
        order=(Order("createdAt", "desc"),),
        limit=_PAGE,
        paged=True,
        guard=("participantIds", "senderId"),
    ),
    CatalogQuery(
        name="messages.heldForReview",
        purpose="Moderators' queue: messages the screen held or flagged (moderation.status "
        "hidden or flagged), most recently screened first; decided with `reviewContent`.",
        caller=Caller.MODERATOR,
        collection="messages",
        where=(_HELD_OR_FLAGGED,),
        order=(Order("moderation.screenedAt", "desc"),),
        limit=_PAGE,
        guard=("moderation.status",),
    ),
)

_TAPESTRY: Final = (
    CatalogQuery(
        name="tapestry.approved",
        purpose="The Hope Tapestry: approved stories in weaving order.",
        caller=Caller.MEMBER,
        collection="tapestryThreads",
        where=(_APPROVED, _SHOWN),
        order=(Order("placement.threadIndex"),),
        limit=_PAGE,
        paged=True,
        guard=("status", "moderation.status"),
    ),
    CatalogQuery(
        name="tapestry.approvedByCategory",
        purpose="The tapestry filtered by hope category, in weaving order.",
        caller=Caller.MEMBER,
        collection="tapestryThreads",
        where=(
            _APPROVED,
            _SHOWN,
            Where(
                "category", "==", Param("category", choices=tuple(c.value for c in HopeCategory))
            ),
        ),
        order=(Order("placement.threadIndex"),),
        limit=_PAGE,
        guard=("status", "moderation.status"),
    ),
    CatalogQuery(
        name="tapestry.mine",
        purpose="Stories I nominated, whatever their review state, newest first.",
        caller=Caller.MEMBER,
        collection="tapestryThreads",
        where=(Where("nominatorId", "==", UID),),
        order=(Order("createdAt", "desc"),),
        guard=("nominatorId",),
    ),
    CatalogQuery(
        name="tapestry.awaitingReview",
        purpose="Moderators' review queue of nominated stories, oldest first.",
        caller=Caller.MODERATOR,
        collection="tapestryThreads",
        where=(Where("status", "==", ThreadStatus.PENDING.value),),
        order=(Order("createdAt"),),
    ),
    CatalogQuery(
        name="tapestry.myHearts",
        purpose="Which stories I gave a heart to (a collection-group query over hearts).",
        caller=Caller.MEMBER,
        collection="hearts",
        group=True,
        where=(Where("userId", "==", UID),),
        guard=("userId",),
    ),
)

_REPORTS: Final = (
    CatalogQuery(
        name="reports.openBySeverity",
        purpose="Moderation queue: open reports of one severity, oldest first (one section per "
        "severity, critical first).",
        caller=Caller.MODERATOR,
        collection="reports",
        where=(
            Where("status", "==", ReportStatus.OPEN.value),
            Where(
                "severity", "==", Param("severity", choices=tuple(s.value for s in ReportSeverity))
            ),
        ),
        order=(Order("createdAt"),),
        limit=_PAGE,
    ),
    CatalogQuery(
        name="reports.assignedToMe",
        purpose="A moderator's own caseload: the cases (`reports/{reportId}/private/case`, "
        "moderators only) assigned to them and not decided yet (open: the triage assigned "
        "it; in review), longest waiting first; each case's parent is its report (a "
        "collection-group query over `private`).",
        caller=Caller.MODERATOR,
        collection="private",
        group=True,
        where=(
            Where("assignedModeratorId", "==", UID),
            Where("status", "in", (ReportStatus.OPEN.value, ReportStatus.IN_REVIEW.value)),
        ),
        order=(Order("assignedAt"),),
        guard=("assignedModeratorId",),
    ),
    CatalogQuery(
        name="reports.mine",
        purpose="Reports I filed and what became of them, newest first.",
        caller=Caller.MEMBER,
        collection="reports",
        where=(Where("reporterId", "==", UID),),
        order=(Order("createdAt", "desc"),),
        guard=("reporterId",),
    ),
    CatalogQuery(
        name="reports.log",
        purpose="A report's moderation log, in order.",
        caller=Caller.MODERATOR,
        collection="reports/{reportId}/actions",
        order=(Order("at"),),
    ),
)

_PROGRESS: Final = (
    CatalogQuery(
        name="achievements.catalog",
        purpose="Achievements screen: the visible, active achievements in display order.",
        caller=Caller.MEMBER,
        collection="achievements",
        where=(Where("hidden", "==", False), Where("active", "==", True)),
        order=(Order("sortOrder"),),
        guard=("hidden",),
    ),
    CatalogQuery(
        name="userAchievements.mine",
        purpose="My achievements and progress, latest change first.",
        caller=Caller.MEMBER,
        collection="userAchievements",
        where=(Where("userId", "==", UID),),
        order=(Order("updatedAt", "desc"),),
        guard=("userId",),
    ),
    CatalogQuery(
        name="leaderboards.top",
        purpose="A leaderboard (all-time or one week): the top entries by points.",
        caller=Caller.MEMBER,
        collection="systemSettings/leaderboards/boards/{boardId}/entries",
        order=(Order("points", "desc"),),
        limit=Param("limit", "int", maximum=500),
        guard=("limit",),
    ),
    CatalogQuery(
        name="hopeLedger.mine",
        purpose="My hope points history, newest first.",
        caller=Caller.MEMBER,
        collection="users/{uid}/hopeLedger",
        order=(Order("createdAt", "desc"),),
        limit=_PAGE,
        paged=True,
    ),
    CatalogQuery(
        name="blocks.mine",
        purpose="Members I blocked, most recent first (to unblock one).",
        caller=Caller.MEMBER,
        collection="users/{uid}/blocks",
        order=(Order("createdAt", "desc"),),
        limit=_PAGE,
        paged=True,
    ),
    CatalogQuery(
        name="reveal.incoming",
        purpose="Reveal requests addressed to me: other members' consents naming me as the "
        "counterpart (a collection-group query), newest first.",
        caller=Caller.MEMBER,
        collection="revealConsents",
        group=True,
        where=(Where("counterpartId", "==", UID),),
        order=(Order("createdAt", "desc"),),
        guard=("counterpartId",),
    ),
    CatalogQuery(
        name="analytics.range",
        purpose="Admin dashboard: the daily metrics of a date range, in day order.",
        caller=Caller.ADMIN,
        collection="analytics",
        where=(Where("day", ">=", Param("first")), Where("day", "<=", Param("last"))),
        order=(Order("day"),),
    ),
)

PEOPLE_QUERIES: Final = (*_CONVERSATIONS, *_TAPESTRY, *_REPORTS, *_PROGRESS)
"""The personal, social and moderation screens' queries."""
