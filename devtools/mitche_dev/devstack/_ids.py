"""Fixed document ids of the demo, in one place so the modules can point at each other.

Ids are readable slugs: a test, a doc or the rules' access matrix can name "the request Bob was
accepted on" as `requests/req-groceries-croix-rousse`.
"""

from __future__ import annotations

from typing import Final, TypeAlias

from mitche.models._base import MitcheModel
from mitche.models.names import Collection

__all__ = [
    "ACCESS",
    "ACCOUNT",
    "CONV_ALICE_BOB_GROCERIES",
    "CONV_CAROL_DAN",
    "CONV_SAM_ALICE",
    "EVT_CLOTHES_SWAP_DRAFT",
    "EVT_REPAIR_CAFE",
    "EVT_SOUP_NIGHT",
    "EVT_SUPPORT_CIRCLE_PENDING",
    "IDENTITY",
    "LOCATION",
    "MSG_ALICE_ENTRANCE",
    "MSG_ALICE_THANKS",
    "MSG_BOB_HELLO",
    "MSG_BOB_ON_MY_WAY",
    "MSG_CAROL_DELETED",
    "MSG_CAROL_FLYER",
    "MSG_DAN_TOOLS",
    "MSG_SAM_SCAM",
    "MSG_SAM_URGING",
    "NOMINATION",
    "OFF_BOB_GROCERIES",
    "OFF_BOB_WARDROBE",
    "OFF_CAROL_ELECTRICITY",
    "OFF_DAN_COATS",
    "REQ_ALICE_ELECTRICITY",
    "REQ_ALICE_GROCERIES",
    "REQ_ALICE_LAPTOP",
    "REQ_ALICE_SUNDAY_TALKS",
    "REQ_ALICE_WARDROBE",
    "REQ_DAN_HOSPITAL_LIFT",
    "REQ_SAM_PROMO",
    "RES_FOOD_GROCERY",
    "RES_LEGAL_CLINIC_DRAFT",
    "RPT_ALICE_SCAM_RESOLVED",
    "RPT_BOB_SPAM_OPEN",
    "RPT_DAN_RESOURCE_DISMISSED",
    "THR_APPROVED_WARDROBE",
    "THR_PENDING_SOUP",
    "THR_REJECTED_NAMED",
    "DemoDocument",
    "path",
]

DemoDocument: TypeAlias = tuple[str, MitcheModel]
"""A document of the demo: its path and its model."""

REQ_ALICE_GROCERIES: Final = "req-groceries-croix-rousse"
REQ_ALICE_WARDROBE: Final = "req-wardrobe-guillotiere"
REQ_ALICE_SUNDAY_TALKS: Final = "req-sunday-talks"
REQ_ALICE_ELECTRICITY: Final = "req-electricity-bill"
REQ_ALICE_LAPTOP: Final = "req-laptop-job-search"
REQ_DAN_HOSPITAL_LIFT: Final = "req-lift-to-hospital"
REQ_SAM_PROMO: Final = "req-sam-promo"

OFF_BOB_GROCERIES: Final = "off-bob-groceries"
OFF_BOB_WARDROBE: Final = "off-bob-wardrobe"
OFF_DAN_COATS: Final = "off-dan-winter-coats"
OFF_CAROL_ELECTRICITY: Final = "off-carol-electricity"

EVT_REPAIR_CAFE: Final = "evt-repair-cafe-croix-rousse"
EVT_SOUP_NIGHT: Final = "evt-soup-night-guillotiere"
EVT_CLOTHES_SWAP_DRAFT: Final = "evt-clothes-swap-draft"
EVT_SUPPORT_CIRCLE_PENDING: Final = "evt-support-circle-online"

RES_FOOD_GROCERY: Final = "res-epicerie-solidaire-guillotiere"
RES_LEGAL_CLINIC_DRAFT: Final = "res-permanence-juridique-draft"

CONV_ALICE_BOB_GROCERIES: Final = "conv-groceries-alice-bob"
CONV_CAROL_DAN: Final = "conv-dm-carol-dan"
CONV_SAM_ALICE: Final = "conv-dm-sam-alice"

MSG_BOB_HELLO: Final = "msg-groceries-1-bob-hello"
MSG_ALICE_ENTRANCE: Final = "msg-groceries-2-alice-entrance"
MSG_BOB_ON_MY_WAY: Final = "msg-groceries-3-bob-on-my-way"
MSG_ALICE_THANKS: Final = "msg-groceries-4-alice-thanks"
MSG_CAROL_FLYER: Final = "msg-dm-1-carol-flyer"
MSG_DAN_TOOLS: Final = "msg-dm-2-dan-tools"
MSG_CAROL_DELETED: Final = "msg-dm-3-carol-deleted"
MSG_SAM_SCAM: Final = "msg-dm-sam-scam"
MSG_SAM_URGING: Final = "msg-dm-sam-urging"

THR_APPROVED_WARDROBE: Final = "thread-wardrobe-kindness"
THR_PENDING_SOUP: Final = "thread-soup-night"
THR_REJECTED_NAMED: Final = "thread-named-neighbour"

RPT_ALICE_SCAM_RESOLVED: Final = "rpt-scam-message"
RPT_BOB_SPAM_OPEN: Final = "rpt-spam-request"
RPT_DAN_RESOURCE_DISMISSED: Final = "rpt-resource-hours"

IDENTITY: Final = "private/identity"
"""Suffix of a user's identity document."""
ACCOUNT: Final = "private/account"
"""Suffix of a user's private account (standing and rate-limit times)."""
LOCATION: Final = "private/location"
"""Suffix of a request's exact-location document."""
ACCESS: Final = "private/access"
"""Suffix of an event's access document."""
NOMINATION: Final = "private/nomination"
"""Suffix of a tapestry thread's nomination document."""


def path(collection: Collection, document_id: str, *rest: str) -> str:
    """The path of a document: `collection/id`, then any further `sub/id` segments."""
    return "/".join((collection.value, document_id, *rest))
