"""The demo community the local stack starts with: a small neighbourhood network in Lyon.

Eight members with stable uids (see `Actor`) ask for and offer help, run events, list
resources, chat, tell stories and report abuse, so that every actor of the rules' access matrix
has documents to read and documents they are refused. Every document is a validated model;
timestamps are relative to the `now` passed in, ids are fixed, and two calls with the same
`now` return equal lists.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from mitche.domain.moderation import custom_claims
from mitche.errors import InternalError
from mitche.handlers._identity import IdentityWrite
from mitche_dev.devstack._actors import Actor, DemoAccount, display_name, email
from mitche_dev.devstack._conversations import conversation_documents
from mitche_dev.devstack._events import event_documents
from mitche_dev.devstack._ids import DemoDocument
from mitche_dev.devstack._moderation import moderation_documents
from mitche_dev.devstack._notifications import notification_documents
from mitche_dev.devstack._people import people_documents, people_identities, security_of
from mitche_dev.devstack._platform import platform_documents
from mitche_dev.devstack._requests import offering_documents, request_documents
from mitche_dev.devstack._resources import resource_documents
from mitche_dev.devstack._tapestry import tapestry_documents
from mitche_dev.devstack._timeline import Timeline
from mitche_dev.devstack._world import DEMO_NOW, Clock

__all__ = [
    "DEMO_NOW",
    "DemoAccount",
    "DemoDocument",
    "demo_accounts",
    "demo_documents",
    "demo_identities",
]


def demo_documents(now: dt.datetime = DEMO_NOW) -> list[DemoDocument]:
    """Every demo document as (path, model), each before the documents nested below it.

    Raises InvalidArgumentError when `now` is not timezone-aware.
    """
    timeline = Timeline(Clock(now))
    documents = [
        *people_documents(timeline),
        *request_documents(timeline),
        *offering_documents(timeline),
        *event_documents(timeline),
        *resource_documents(timeline),
        *conversation_documents(timeline),
        *tapestry_documents(timeline),
        *moderation_documents(timeline),
        *notification_documents(timeline),
        *platform_documents(timeline),
    ]
    repeated = sorted(path for path, count in Counter(p for p, _ in documents).items() if count > 1)
    if repeated:
        raise InternalError(f"the demo writes these paths twice: {repeated}")
    return documents


def demo_identities(now: dt.datetime = DEMO_NOW) -> list[tuple[str, IdentityWrite, dt.datetime]]:
    """What each member gave `set_identity`, and when (sealed by the backend on seeding)."""
    return people_identities(Timeline(Clock(now)))


def demo_accounts(now: dt.datetime = DEMO_NOW) -> list[DemoAccount]:
    """One Auth account per actor, in `Actor` order, with the custom claims the backend derives
    from the member's `security` map (the same function the moderation callables use)."""
    timeline = Timeline(Clock(now))
    return [
        DemoAccount(
            uid=actor.value,
            email=email(actor),
            password=f"{actor.value}-demo-password",
            display_name=display_name(actor),
            custom_claims=custom_claims(security_of(actor, timeline)),
        )
        for actor in Actor
    ]
