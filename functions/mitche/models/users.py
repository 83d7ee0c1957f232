"""Members of Mitché (`users/{userId}`, the id is the Firebase Authentication uid)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["HopeCategory"]


class HopeCategory(StrEnum):
    """The kinds of good a member does; hope points are awarded and totalled per category.

    Every action in the award table (systemSettings `gamification`) names one category;
    achievements and daily analytics group points by it.
    """

    SILENT_HERO = "silentHero"
    """Quiet, unthanked help: fulfilling requests anonymously, helping without being asked."""
    VOICE_OF_COMPASSION = "voiceOfCompassion"
    """Listening and emotional support: support conversations, stories shared in the tapestry."""
    COMMUNITY_BUILDER = "communityBuilder"
    """Bringing people together: organising, co-organising and attending community events."""
    GUARDIAN = "guardian"
    """Keeping the community safe: reports that moderators upheld, verified safety work."""
    PROVIDER = "provider"
    """Material help: resources listed and verified, items given, financial offerings."""
    MENTOR = "mentor"
    """Sharing skills and guiding newcomers: skill offerings accepted, mentorship sessions."""
    CONNECTOR = "connector"
    """Linking people to help: referrals to resources, introductions that led to an offering."""
    FIRST_RESPONDER = "firstResponder"
    """Showing up fast: answering urgent or critical requests before their deadline."""
