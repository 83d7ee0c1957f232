"""Two colluding accounts and one honest member, driven at random (hypothesis, stateful)
through the real rules and the real functions of a local stack (issue 21).

The colluders do everything a client can do alone or together without a genuine third party:
standing offers one by one and several in one batch (create, batch), edits of them (update),
requests of their own, one offer or many on the honest member's request, offers withdrawn and
made again, accepted offers cancelled and offered again (toggle), and deletions of their offers
(refused: offerings are never deleted). The honest member posts requests, accepts the
colluders' offers, confirms the help and rates them. After every step, with the functions idle:

* what the colluders earned alone never exceeds what others' confirmations earned them;
* a colluder with no confirmation from the honest member holds no points at all, and their
  points are bounded by the honest member's confirmations (each request counted once);
* an acceptance is paid once per (request, helper), however many offers were accepted;
* no member passes a daily cap, counts more acts performed alone than the daily limit, or
  holds totals that differ from their ledger.

CI runs three examples; `MITCHE_COLLUSION_EXAMPLES=N` runs N (a longer hunt on demand).
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import firebase_admin
import httpx
import pytest
from google.api_core import exceptions as google_errors
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from firelab.server import UserClients
from firelab.stack import LocalStack, StackConfig
from firelab.tokens import mock_id_token
from mitche.catalog import SEED_CATALOG
from mitche.domain.aliases import alias_claim_path
from mitche.handlers import default_deps
from mitche.models import DEFAULT_DAILY_CAPS, GamificationSettings, HopeCategory
from mitche.services import to_document

REPOSITORY = Path(__file__).resolve().parents[3]
PROJECT = "demo-mitche-collusion"
SELF_ACTIONS = {"offeringMade", "resourceReviewed", "resourcePublished"}
MOST_PER_CONFIRMATION = 100
"""A generous bound on what one confirmed request can pay a helper, achievement rewards
included (acceptance 10, urgency 15, feedback 5, a few tiers)."""


def _delete_default_app() -> None:
    app = firebase_admin._apps.get(firebase_admin._DEFAULT_APP_NAME)
    if app is not None:
        firebase_admin.delete_app(app)


@pytest.fixture(scope="module")
def stack() -> Iterator[LocalStack]:
    """Mitché's rules, indexes and functions, set up as production is (settings with rate
    limits an operator may choose, the achievement catalog)."""
    _delete_default_app()
    config = StackConfig(
        project=PROJECT,
        rules=REPOSITORY / "firestore.rules",
        indexes=REPOSITORY / "firestore.indexes.json",
        enforce_indexes=True,
        functions_source=REPOSITORY / "functions",
        auth=False,
        storage=False,
    )
    with LocalStack(config) as running:
        owner = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
        limits = {"requestSeconds": 0, "offeringSeconds": 0, "messageSeconds": 0}
        owner.document("systemSettings/public").set({"config": {"rateLimits": limits}})
        for achievement_id, achievement in SEED_CATALOG.items():
            owner.document(f"achievements/{achievement_id}").set(to_document(achievement, owner))
        default_deps().settings.invalidate()
        yield running
    default_deps().settings.invalidate()
    _delete_default_app()


@pytest.fixture(scope="module")
def entrance(stack: LocalStack) -> Iterator[UserClients]:
    assert stack.firestore is not None
    doors = UserClients(stack.firestore.address).start()
    yield doors
    doors.close()


_runs = itertools.count()


class Collusion(RuleBasedStateMachine):
    """The platform with colluders `c0`, `c1` and the honest member `h`."""

    stack: LocalStack
    entrance: UserClients

    def __init__(self) -> None:
        super().__init__()
        run = next(_runs)
        self.owner = firestore.Client(project=PROJECT, credentials=AnonymousCredentials())
        self.uids = {name: f"{name}-run{run}" for name in ("c0", "c1", "h")}
        self.db = {
            name: self.entrance.client(
                PROJECT, mock_id_token(uid, project=PROJECT, email_verified=True)
            )
            for name, uid in self.uids.items()
        }
        self.honest_requests: list[str] = []
        self.offers: dict[str, list[str]] = {"c0": [], "c1": []}
        """Offerings of each colluder on the honest member's requests."""
        self.confirmed_requests: dict[str, set[str]] = {"c0": set(), "c1": set()}
        self.sequence = itertools.count()
        for name, uid in self.uids.items():
            now = firestore.SERVER_TIMESTAMP
            profile = {"displayName": name.upper(), "anonymousAlias": f"{uid} alias"}
            batch = self.db[name].batch()
            batch.set(
                self.db[name].document(f"users/{uid}"),
                {"profile": profile, "createdAt": now, "updatedAt": now},
            )
            batch.set(
                self.db[name].document(alias_claim_path(profile["anonymousAlias"])),
                {"ownerId": uid, "claimedAt": now},
            )
            batch.commit()
        self.idle()

    # ---- helpers ---------------------------------------------------------------------------

    def idle(self) -> None:
        assert self.stack.functions is not None
        answer = httpx.post(f"{self.stack.functions.url}/__firelab/idle?timeout=60", timeout=90)
        assert answer.json() == {"idle": True, "pending": 0}

    def attempt(self, write: Any) -> bool:
        """Run a client write; False when the rules refuse it (a cheat the rules stop)."""
        try:
            write()
        except (google_errors.PermissionDenied, google_errors.FailedPrecondition):
            return False
        finally:
            self.idle()
        return True

    def new_id(self, prefix: str) -> str:
        return f"{prefix}-{self.uids['h']}-{next(self.sequence)}"

    def stamped(self, name: str, stamp: str, path: str) -> Any:
        """A batch holding the member's rate-limit stamp for the document at `path`."""
        batch = self.db[name].batch()
        account = self.db[name].document(f"users/{self.uids[name]}/private/account")
        batch.set(account, {stamp: {"at": firestore.SERVER_TIMESTAMP, "path": path}}, merge=True)
        return batch

    def offering(self, name: str, request_id: str | None, requester: str | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "helperId": self.uids[name],
            "offeringType": "help",
            "requestPath": None
            if request_id is None
            else self.db[name].document(f"requests/{request_id}"),
            "title": "I can help with that",
            "category": "food",
            "remoteOk": True,
            "status": "offered",
            "visibility": "community",
            "createdAt": firestore.SERVER_TIMESTAMP,
            "updatedAt": firestore.SERVER_TIMESTAMP,
        }
        if requester is not None:
            data["requesterId"] = self.uids[requester]
        return data

    # ---- what the colluders do -------------------------------------------------------------

    @rule(name=st.sampled_from(["c0", "c1"]), count=st.integers(min_value=1, max_value=3))
    def offers_to_anyone(self, name: str, count: int) -> None:
        """Standing offers, several in one batch behind one stamp when count > 1 (which the
        rules refuse whole: the stamp names one of them)."""
        paths = [f"offerings/{self.new_id('standing')}" for _ in range(count)]
        batch = self.stamped(name, "lastOffering", paths[0])
        for path in paths:
            batch.set(self.db[name].document(path), self.offering(name, None, None))
        self.attempt(batch.commit)

    @rule(name=st.sampled_from(["c0", "c1"]))
    def posts_own_request(self, name: str) -> None:
        path = f"requests/{self.new_id('own')}"
        batch = self.stamped(name, "lastRequest", path)
        batch.set(self.db[name].document(path), self.request(name))
        self.attempt(batch.commit)

    @rule(name=st.sampled_from(["c0", "c1"]), again=st.integers(min_value=1, max_value=2))
    def offers_on_the_honest_request(self, name: str, again: int) -> None:
        """One offer, or several on the same request, on the honest member's latest request."""
        if not self.honest_requests:
            return
        request_id = self.honest_requests[-1]
        for _ in range(again):
            offering_id = self.new_id("answer")
            batch = self.stamped(name, "lastOffering", f"offerings/{offering_id}")
            batch.set(
                self.db[name].document(f"offerings/{offering_id}"),
                self.offering(name, request_id, "h"),
            )
            if self.attempt(batch.commit):
                self.offers[name].append(offering_id)

    def latest(self, name: str, status: str) -> str | None:
        """The colluder's latest offering on the honest member's requests in `status`."""
        for offering_id in reversed(self.offers[name]):
            stored = self.owner.document(f"offerings/{offering_id}").get().to_dict() or {}
            if stored.get("status") == status:
                return offering_id
        return None

    def helper_update(self, name: str, offering_id: str, fields: dict[str, Any]) -> bool:
        ref = self.db[name].document(f"offerings/{offering_id}")
        return self.attempt(lambda: ref.update({**fields, "updatedAt": firestore.SERVER_TIMESTAMP}))

    @rule(name=st.sampled_from(["c0", "c1"]))
    def withdraws_and_offers_again(self, name: str) -> None:
        """The colluder withdraws a waiting offer and answers the same request again."""
        offering_id = self.latest(name, "offered")
        if offering_id is None:
            return
        stored = self.owner.document(f"offerings/{offering_id}").get().to_dict() or {}
        assert self.helper_update(name, offering_id, {"status": "withdrawn"}), "withdraw refused"
        again = self.new_id("again")
        batch = self.stamped(name, "lastOffering", f"offerings/{again}")
        batch.set(
            self.db[name].document(f"offerings/{again}"),
            self.offering(name, stored["requestPath"].id, "h"),
        )
        if self.attempt(batch.commit):
            self.offers[name].append(again)

    @rule(name=st.sampled_from(["c0", "c1"]))
    def cancels_an_accepted_offer(self, name: str) -> None:
        """Toggle: the colluder cancels an accepted offer, to be offered and accepted again."""
        offering_id = self.latest(name, "accepted")
        if offering_id is not None:
            cancelled = self.helper_update(name, offering_id, {"status": "cancelled"})
            assert cancelled, "a helper could not cancel an accepted offer"

    @rule(name=st.sampled_from(["c0", "c1"]))
    def edits_or_deletes_an_offer(self, name: str) -> None:
        """An edit of an offer's text pays nothing; a deletion is refused."""
        if not self.offers[name]:
            return
        offering_id = self.offers[name][-1]
        edited = self.helper_update(name, offering_id, {"title": f"Edited {next(self.sequence)}"})
        assert edited, "a helper could not edit their offer"
        deleted = self.attempt(self.db[name].document(f"offerings/{offering_id}").delete)
        assert not deleted, "a helper deleted their offering"

    # ---- what the honest member does -------------------------------------------------------

    def request(self, name: str) -> dict[str, Any]:
        return {
            "requesterId": self.uids[name],
            "title": "Groceries for this week",
            "description": "I cannot leave home this week; could someone bring groceries?",
            "category": "food",
            "urgency": "high",
            "status": "open",
            "remoteOk": True,
            "visibility": "community",
            "createdAt": firestore.SERVER_TIMESTAMP,
            "updatedAt": firestore.SERVER_TIMESTAMP,
        }

    @rule()
    def honest_posts_request(self) -> None:
        request_id = self.new_id("honest")
        batch = self.stamped("h", "lastRequest", f"requests/{request_id}")
        batch.set(self.db["h"].document(f"requests/{request_id}"), self.request("h"))
        if self.attempt(batch.commit):
            self.honest_requests.append(request_id)

    @rule(name=st.sampled_from(["c0", "c1"]), pick=st.integers(min_value=0, max_value=5))
    def honest_accepts(self, name: str, pick: int) -> None:
        if not self.offers[name]:
            return
        offering_id = self.offers[name][pick % len(self.offers[name])]
        ref = self.db["h"].document(f"offerings/{offering_id}")
        accepted = self.attempt(
            lambda: ref.update(
                {
                    "status": "accepted",
                    "respondedAt": firestore.SERVER_TIMESTAMP,
                    "updatedAt": firestore.SERVER_TIMESTAMP,
                }
            )
        )
        if accepted:
            stored = self.owner.document(f"offerings/{offering_id}").get().to_dict() or {}
            self.confirmed_requests[name].add(stored["requestPath"].path)

    @rule(name=st.sampled_from(["c0", "c1"]), rating=st.integers(min_value=1, max_value=5))
    def honest_confirms_and_rates(self, name: str, rating: int) -> None:
        """The honest member confirms an accepted offer's help and rates the colluder."""
        offering_id = self.latest(name, "accepted")
        if offering_id is None:
            return
        now = firestore.SERVER_TIMESTAMP
        feedback = {"rating": rating, "authorId": self.uids["h"], "createdAt": now}
        ref = self.db["h"].document(f"offerings/{offering_id}")
        assert self.attempt(
            lambda: ref.update(
                {
                    "status": "completed",
                    "completedAt": now,
                    "requesterFeedback": feedback,
                    "updatedAt": now,
                }
            )
        ), "the honest member could not confirm and rate"

    # ---- what must hold --------------------------------------------------------------------

    def member(self, name: str) -> dict[str, Any]:
        return self.owner.document(f"users/{self.uids[name]}").get().to_dict() or {}

    def ledger(self, name: str) -> list[dict[str, Any]]:
        entries = self.owner.collection(f"users/{self.uids[name]}/hopeLedger").stream()
        return [entry.to_dict() or {} for entry in entries]

    @invariant()
    def colluders_earn_only_what_the_honest_member_confirmed(self) -> None:
        for name in ("c0", "c1"):
            gamification = self.member(name).get("gamification", {})
            total = gamification.get("hopePoints", {}).get("total", 0)
            alone = gamification.get("selfRewards", {}).get("points", 0)
            assert alone <= total - alone, f"{name}: acts performed alone out-earned confirmed ones"
            confirmations = len(self.confirmed_requests[name])
            assert total <= 2 * MOST_PER_CONFIRMATION * confirmations, (
                f"{name} holds {total} points with {confirmations} confirmed requests"
            )

    @invariant()
    def an_acceptance_pays_once_per_request_and_helper(self) -> None:
        for name in ("c0", "c1"):
            paid: Counter[str] = Counter()
            for entry in self.ledger(name):
                if entry.get("action") == "offeringAccepted" and entry.get("amount", 0) > 0:
                    source = entry["source"]
                    path = source.path if hasattr(source, "path") else source
                    offering = self.owner.document(path).get().to_dict() or {}
                    paid[offering["requestPath"].path] += 1
            assert all(count == 1 for count in paid.values()), f"{name}: {paid}"

    @invariant()
    def caps_and_totals_hold(self) -> None:
        limit = GamificationSettings().self_triggered_acts_per_day
        for name in self.uids:
            entries = self.ledger(name)
            hope = self.member(name).get("gamification", {}).get("hopePoints", {})
            assert hope.get("total", 0) == sum(entry["amount"] for entry in entries)
            by_day: Counter[tuple[dt.date, str]] = Counter()
            alone: Counter[dt.date] = Counter()
            for entry in entries:
                day = entry["createdAt"].astimezone(dt.UTC).date()
                if entry["amount"] > 0:
                    by_day[day, entry["category"]] += entry["amount"]
                if entry["action"] in SELF_ACTIONS:
                    alone[day] += 1
            for (_, category), amount in by_day.items():
                assert amount <= DEFAULT_DAILY_CAPS[HopeCategory(category)], name
            assert all(count <= limit for count in alone.values()), f"{name}: {alone}"


def test_colluders_never_out_earn_the_honest_members_confirmations(
    stack: LocalStack, entrance: UserClients
) -> None:
    """Random sequences of the colluders' and the honest member's client operations keep
    every invariant of the reward economy."""
    Collusion.stack = stack
    Collusion.entrance = entrance
    run_state_machine_as_test(
        Collusion,
        settings=settings(
            max_examples=int(os.environ.get("MITCHE_COLLUSION_EXAMPLES", "3")),
            stateful_step_count=16,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
