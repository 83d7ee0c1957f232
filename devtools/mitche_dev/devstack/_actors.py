"""The demo's cast: named members with stable uids, and their Firebase Auth accounts.

Tests, docs and the rules' access matrix refer to these people by uid ("alice", "mod"), so the
uids never change. Each account's custom claims are what the backend would have set: the rules
read roles and flags from claims, never from a document a client can write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from mitche.models.users import Role

__all__ = [
    "DEMO_EMAIL_DOMAIN",
    "Actor",
    "DemoAccount",
    "display_name",
    "email",
    "role",
]

DEMO_EMAIL_DOMAIN: Final = "example.com"
"""Domain of every demo address (reserved for examples, so no mail ever leaves)."""


class Actor(StrEnum):
    """The demo members; each value is the member's uid."""

    ALICE = "alice"
    """Requester: asks for groceries, a lift of furniture, someone to talk to."""
    BOB = "bob"
    """Helper: answers Alice's requests; accepted on one, completed another."""
    CAROL = "carol"
    """Event organiser: the repair café, the soup night, a draft and a pending event."""
    DAN = "dan"
    """Co-organiser of Carol's events; offers winter coats; had a request expire."""
    ERIN = "erin"
    """Verified resource provider: runs the solidarity grocery, drafts a legal clinic."""
    MOD = "mod"
    """Moderator: handles reports and reviews tapestry stories."""
    ADA = "ada"
    """Administrator: last edited the system settings."""
    SAM = "sam"
    """Suspended member: sent a scam message and posted spam."""


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """A Firebase Auth account of the demo, as the Auth emulator should hold it."""

    uid: str
    """The account's uid, equal to the `Actor` value and the `users/{uid}` document id."""
    email: str
    """Sign-in email."""
    password: str
    """Sign-in password (demo only; the Auth emulator never leaves the machine)."""
    display_name: str
    """Display name on the account."""
    custom_claims: Mapping[str, str | int | bool] = field(default_factory=dict)
    """Claims the rules read as `request.auth.token.*`."""


_DISPLAY_NAMES: Final = MappingProxyType(
    {
        Actor.ALICE: "Alice",
        Actor.BOB: "Bob",
        Actor.CAROL: "Carol",
        Actor.DAN: "Dan",
        Actor.ERIN: "Erin",
        Actor.MOD: "Morgan (moderator)",
        Actor.ADA: "Ada (admin)",
        Actor.SAM: "Sam",
    }
)


def display_name(actor: Actor) -> str:
    """The name the actor is shown by, on the account and on the profile."""
    return _DISPLAY_NAMES[actor]


def email(actor: Actor) -> str:
    """The actor's sign-in (and identity) email."""
    return f"{actor.value}@{DEMO_EMAIL_DOMAIN}"


def role(actor: Actor) -> Role:
    """The actor's role, as on the `role` claim and `security.role`."""
    if actor is Actor.MOD:
        return Role.MODERATOR
    if actor is Actor.ADA:
        return Role.ADMIN
    return Role.USER
