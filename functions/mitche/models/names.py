"""Collection names, defined once: rules tests, functions, migrations and schema import them."""

from __future__ import annotations

from enum import StrEnum


class Collection(StrEnum):
    """The 13 top-level collections, named exactly as the platform's data model names them."""

    USERS = "users"
    REQUESTS = "requests"
    OFFERINGS = "offerings"
    COMMUNITY_EVENTS = "communityEvents"
    RESOURCES = "resources"
    CONVERSATIONS = "conversations"
    MESSAGES = "messages"
    TAPESTRY_THREADS = "tapestryThreads"
    REPORTS = "reports"
    ACHIEVEMENTS = "achievements"
    USER_ACHIEVEMENTS = "userAchievements"
    ANALYTICS = "analytics"
    SYSTEM_SETTINGS = "systemSettings"
