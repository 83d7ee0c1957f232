"""The moments the demo's documents share, so that they tell one consistent story.

A request's creation time is also its requester's `lastRequestAt`; a message's send time is
also its conversation's `lastMessage.sentAt` and the reported evidence's time. Each such moment
is defined once here, relative to the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mitche_dev.devstack._world import Clock

__all__ = ["Timeline"]


@dataclass(frozen=True, slots=True)
class Timeline:
    """Named moments of the demo story, oldest first within each group."""

    clock: Clock

    @property
    def now(self) -> dt.datetime:
        """The demo's now."""
        return self.clock.now

    # Members joined between four months and six weeks ago.
    def joined(self, order: int) -> dt.datetime:
        """When the `order`-th member (0 for the first) joined: a week apart."""
        return self.clock.ago(days=120 - 7 * order, hours=3)

    # --- requests ------------------------------------------------------------------------
    @property
    def laptop_requested(self) -> dt.datetime:
        return self.clock.ago(days=40, hours=2)

    @property
    def laptop_closed(self) -> dt.datetime:
        return self.clock.ago(days=33)

    @property
    def wardrobe_requested(self) -> dt.datetime:
        return self.clock.ago(days=21, hours=5)

    @property
    def wardrobe_offered(self) -> dt.datetime:
        return self.clock.ago(days=21, hours=2)

    @property
    def wardrobe_accepted(self) -> dt.datetime:
        return self.clock.ago(days=20, hours=22)

    @property
    def wardrobe_fulfilled(self) -> dt.datetime:
        return self.clock.ago(days=18, hours=4)

    @property
    def lift_requested(self) -> dt.datetime:
        return self.clock.ago(days=14, hours=6)

    @property
    def lift_deadline(self) -> dt.datetime:
        return self.clock.ago(days=9)

    @property
    def promo_requested(self) -> dt.datetime:
        return self.clock.ago(days=4, hours=7)

    @property
    def sunday_talks_requested(self) -> dt.datetime:
        return self.clock.ago(days=3, hours=1)

    @property
    def groceries_requested(self) -> dt.datetime:
        return self.clock.ago(days=2, hours=4)

    @property
    def groceries_offered(self) -> dt.datetime:
        return self.clock.ago(days=2, hours=3)

    @property
    def groceries_accepted(self) -> dt.datetime:
        return self.clock.ago(days=2, hours=1)

    @property
    def electricity_requested(self) -> dt.datetime:
        return self.clock.ago(days=1, hours=6)

    @property
    def electricity_offered(self) -> dt.datetime:
        return self.clock.ago(hours=20)

    @property
    def coats_offered(self) -> dt.datetime:
        return self.clock.ago(days=12)

    # --- conversations -------------------------------------------------------------------
    @property
    def carol_flyer_sent(self) -> dt.datetime:
        return self.clock.ago(days=6, hours=5)

    @property
    def dan_tools_sent(self) -> dt.datetime:
        return self.clock.ago(days=6, hours=4, minutes=40)

    @property
    def carol_deleted_sent(self) -> dt.datetime:
        return self.clock.ago(days=6, hours=4, minutes=30)

    @property
    def sam_scam_sent(self) -> dt.datetime:
        return self.clock.ago(days=3, hours=9)

    @property
    def sam_urging_sent(self) -> dt.datetime:
        return self.sam_scam_sent + dt.timedelta(minutes=3)

    @property
    def bob_hello_sent(self) -> dt.datetime:
        return self.groceries_offered + dt.timedelta(minutes=1)

    @property
    def alice_entrance_sent(self) -> dt.datetime:
        return self.clock.ago(days=2, minutes=50)

    @property
    def bob_on_my_way_sent(self) -> dt.datetime:
        return self.clock.ago(days=1, hours=2)

    @property
    def alice_thanks_sent(self) -> dt.datetime:
        return self.clock.ago(hours=23)

    @property
    def dan_reveal_consented(self) -> dt.datetime:
        return self.clock.ago(days=6, hours=3)

    @property
    def alice_reveal_consented(self) -> dt.datetime:
        return self.clock.ago(days=1, hours=20)

    @property
    def bob_reveal_consented(self) -> dt.datetime:
        return self.clock.ago(days=1, hours=12)

    # --- events --------------------------------------------------------------------------
    @property
    def soup_night_starts(self) -> dt.datetime:
        return self.clock.local(-10, 18, 30)

    @property
    def soup_night_ends(self) -> dt.datetime:
        return self.clock.local(-10, 21, 30)

    @property
    def repair_cafe_starts(self) -> dt.datetime:
        return self.clock.local(5, 14)

    @property
    def repair_cafe_ends(self) -> dt.datetime:
        return self.clock.local(5, 18)

    # --- resources, tapestry, reports ----------------------------------------------------
    @property
    def grocery_listed(self) -> dt.datetime:
        return self.clock.ago(days=70)

    @property
    def grocery_verified(self) -> dt.datetime:
        return self.clock.ago(days=68)

    @property
    def alice_reviewed_grocery(self) -> dt.datetime:
        return self.clock.ago(days=30, hours=5)

    @property
    def bob_reviewed_grocery(self) -> dt.datetime:
        return self.clock.ago(days=11, hours=2)

    @property
    def wardrobe_story_told(self) -> dt.datetime:
        return self.clock.ago(days=16)

    @property
    def wardrobe_story_approved(self) -> dt.datetime:
        return self.clock.ago(days=15, hours=2)

    @property
    def scam_reported(self) -> dt.datetime:
        return self.clock.ago(days=3, hours=8)

    @property
    def scam_resolved(self) -> dt.datetime:
        return self.clock.ago(days=2, hours=20)

    @property
    def suspension_ends(self) -> dt.datetime:
        return self.clock.ahead(days=5, hours=4)

    @property
    def spam_reported(self) -> dt.datetime:
        return self.clock.ago(days=4, hours=1)

    @property
    def resource_reported(self) -> dt.datetime:
        return self.clock.ago(days=8)

    @property
    def resource_report_dismissed(self) -> dt.datetime:
        return self.clock.ago(days=7, hours=3)
