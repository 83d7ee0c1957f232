"""The help cycle's server side under real CloudEvents: screening, acceptance, standing
offerings claimed, expiry, chat upkeep and reveal completion (each delivered by hand, twice where
a redelivery could do harm)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mitche.errors import InvalidArgumentError, PermissionDeniedError
from mitche.handlers import (
    Caller,
    default_deps,
    exchange_conversation_id,
    expire_overdue_requests,
    review_content,
)
from mitche.models import Offering, RevealConsent
from tests.mitche.handlers.factories import (
    T0,
    accepted,
    make_conversation,
    make_message,
    make_offering,
    make_request,
    make_user,
)

from .conftest import Store


def _doc(store: Store, path: str) -> dict[str, Any]:
    data = store.get(path)
    assert data is not None, path
    return data


def _create(store: Store, function: str, path: str, model: Any, event_id: str = "evt-1") -> None:
    after = store.put(path, model)
    event = store.event(path, None, after, at=T0, event_id=event_id)
    store.deliver(function, event)


def _screening(store: Store) -> dict[str, int]:
    totals: dict[str, int] = {}
    for day in store.ids("analytics"):
        for shard in store.client.collection(f"analytics/{day}/shards").stream():
            for key, value in (shard.to_dict() or {}).get("screening", {}).items():
                totals[key] = totals.get(key, 0) + value
    return totals


# --- screening ------------------------------------------------------------------------------


def test_a_new_request_is_approved_within_its_trigger_and_counted(store: Store) -> None:
    """A plain request gets `moderation.status` approved (so the feeds list it), stamped by the
    screen, and the day's analytics count one approval; a redelivery writes nothing more."""
    store.put("users/samira", make_user("samira"))
    path, request = make_request()
    after = store.put(path, request)
    event = store.event(path, None, after, at=T0)
    store.deliver("request_written", event)
    first = _doc(store, path)["moderation"]
    store.deliver("request_written", event)
    assert _doc(store, path)["moderation"] == first
    assert first["status"] == "approved"
    assert first["screenedAt"] == first["reviewedAt"]
    assert _screening(store) == {"approved": 1}


def test_a_severe_keyword_holds_the_post_and_its_author_reads_why(store: Store) -> None:
    """A request asking for a "wire transfer" (a high-severity keyword) is hidden and the reason
    names the words; a lesser keyword only flags it for review."""
    store.put("users/samira", make_user("samira"))
    path, request = make_request(description="Please send a wire transfer to my cousin today.")
    _create(store, "request_written", path, request)
    held = _doc(store, path)["moderation"]
    assert held["status"] == "hidden"
    assert "wire transfer" in held["reason"]
    path, request = make_request(request_id="req2", description="Click here for my fundraiser.")
    _create(store, "request_written", path, request, event_id="evt-2")
    assert _doc(store, path)["moderation"]["status"] == "flagged"
    assert _screening(store) == {"held": 1, "flagged": 1}


def test_an_author_with_upheld_reports_waits_for_review(store: Store) -> None:
    """Strikes at the suspension threshold hold the member's new posts; one strike flags them."""
    strikes = {"strikes": 3, "lastStrikeAt": T0 - dt.timedelta(days=1)}
    store.put("users/samira", make_user("samira", security=strikes))
    path, request = make_request()
    _create(store, "request_written", path, request)
    assert _doc(store, path)["moderation"]["status"] == "hidden"


def test_the_switch_off_approves_everything(store: Store) -> None:
    """With `screenNewContent` false, even a severe keyword is approved."""
    store.put("systemSettings/moderation", {"screenNewContent": False})
    default_deps().settings.invalidate()
    path, request = make_request(description="Please send a wire transfer to my cousin today.")
    _create(store, "request_written", path, request)
    assert _doc(store, path)["moderation"]["status"] == "approved"


def test_an_edit_is_screened_again_and_a_held_post_fixed_by_its_author_is_released(
    store: Store,
) -> None:
    """Editing the text re-runs the screen: a held post whose severe words are gone is approved
    again (the hold was the screen's own), an approved one that gains them is held."""
    path, request = make_request(description="Please send a wire transfer to my cousin today.")
    before = store.put(path, request)
    store.deliver("request_written", store.event(path, None, before, at=T0))
    assert _doc(store, path)["moderation"]["status"] == "hidden"
    fixed = request.model_copy(update={"description": "Could someone lend me 20 euros?"})
    held_doc = store.proto(path)
    after = store.put(path, {**_doc(store, path), "description": fixed.description})
    later = T0 + dt.timedelta(minutes=5)
    store.deliver("request_written", store.event(path, held_doc, after, at=later, event_id="e2"))
    assert _doc(store, path)["moderation"]["status"] == "approved"


def test_an_edit_never_loosens_what_a_moderator_decided(store: Store) -> None:
    """Content a moderator hid stays hidden when its author edits it clean."""
    path, request = make_request()
    data = {
        **request.to_firestore(),
        "moderation": {"status": "hidden", "reason": "Hidden by a moderator", "reviewedAt": T0},
    }
    before = store.put(path, data)
    after = store.put(path, {**data, "description": "Something else entirely, all fine."})
    store.deliver("request_written", store.event(path, before, after, at=T0))
    assert _doc(store, path)["moderation"]["reason"] == "Hidden by a moderator"


def test_a_message_is_screened_like_any_post(store: Store) -> None:
    """Messages are screened too (one handler for every source)."""
    store.put(*make_conversation())
    path, message = make_message(text="Send nudes")
    _create(store, "message_written", path, message)
    assert _doc(store, path)["moderation"]["status"] == "hidden"


# --- acceptance -----------------------------------------------------------------------------


def _accept(store: Store, offering_id: str = "off1", helper: str = "amina") -> str:
    path, offering = make_offering(helper, offering_id)
    before = store.put(path, offering)
    after = store.put(path, accepted(offering))
    event = store.event(path, before, after, at=T0, event_id=f"accept-{offering_id}")
    store.deliver("offering_written", event)
    store.deliver("offering_written", event)
    return path


def test_accepting_an_offering_adds_the_helper_and_opens_the_conversation(store: Store) -> None:
    """The requester accepts amina's offering: the request lists amina among its accepted helpers
    and is in progress, and a request conversation between the two is opened and linked from the
    offering; the redelivery changes nothing."""
    store.put(*make_request())
    offering_path = _accept(store)
    request = _doc(store, "requests/req1")
    assert request["acceptedHelperIds"] == ["amina"]
    assert request["status"] == "inProgress"
    conversation_id = _doc(store, offering_path)["conversationId"]
    assert conversation_id == exchange_conversation_id("requests/req1", "amina")
    conversation = _doc(store, f"conversations/{conversation_id}")
    assert conversation["conversationType"] == "request"
    assert sorted(conversation["participantIds"]) == ["amina", "samira"]
    assert conversation["context"].path == "requests/req1"


def test_a_second_helper_gets_a_conversation_of_their_own(store: Store) -> None:
    """Each accepted helper talks with the requester in their own conversation."""
    store.put(*make_request())
    _accept(store)
    _accept(store, "off2", "jonas")
    assert _doc(store, "requests/req1")["acceptedHelperIds"] == ["amina", "jonas"]
    assert (
        _doc(store, "offerings/off1")["conversationId"]
        != _doc(store, "offerings/off2")["conversationId"]
    )


def test_a_squatted_conversation_id_is_not_reused(store: Store) -> None:
    """A conversation someone else created under the exchange's id is left alone; the exchange
    gets a conversation of its own with the requester and the helper in it."""
    store.put(*make_request())
    squatted = exchange_conversation_id("requests/req1", "amina")
    store.put(f"conversations/{squatted}", make_conversation(squatted, ("mallory", "eve"))[1])
    offering_path = _accept(store)
    conversation_id = _doc(store, offering_path)["conversationId"]
    assert conversation_id != squatted
    participants = _doc(store, f"conversations/{conversation_id}")["participantIds"]
    assert sorted(participants) == ["amina", "samira"]


def test_a_claimed_standing_offering_opens_a_direct_conversation(store: Store) -> None:
    """samira claims amina's standing offer: a dm between the two opens, linked from it."""
    data = make_offering(requestPath=None, requesterId=None)[1].to_firestore()
    before = store.put("offerings/standing", data)
    claimed = Offering.model_validate(
        {**data, "requesterId": "samira", "status": "accepted", "respondedAt": T0}
    )
    after = store.put("offerings/standing", claimed)
    store.deliver("offering_written", store.event("offerings/standing", before, after, at=T0))
    conversation_id = _doc(store, "offerings/standing")["conversationId"]
    conversation = _doc(store, f"conversations/{conversation_id}")
    assert conversation["conversationType"] == "dm"
    assert sorted(conversation["participantIds"]) == ["amina", "samira"]


# --- expiry ---------------------------------------------------------------------------------


def test_overdue_requests_expire_and_their_waiting_offers_with_them(store: Store) -> None:
    """The schedule expires a request whose deadline passed (not one still due); the request's
    trigger then expires the offer still waiting for an answer, not the accepted one."""
    past = T0 - dt.timedelta(hours=1)
    store.put(*make_request(deadline=past))
    store.put(*make_request(request_id="req2", deadline=T0 + dt.timedelta(days=1)))
    before = store.proto("requests/req1")
    store.put(*make_offering("amina", "off1"))
    store.put("offerings/off2", accepted(make_offering("jonas", "off2")[1]))
    outcome = expire_overdue_requests(default_deps(), T0)
    assert outcome.expired == ("requests/req1",)
    assert _doc(store, "requests/req1")["status"] == "expired"
    assert _doc(store, "requests/req2")["status"] == "open"
    after = store.proto("requests/req1")
    store.deliver("request_written", store.event("requests/req1", before, after, at=T0))
    assert _doc(store, "offerings/off1")["status"] == "expired"
    assert _doc(store, "offerings/off2")["status"] == "accepted"
    assert expire_overdue_requests(default_deps(), T0).expired == ()


# --- chat -----------------------------------------------------------------------------------


def test_a_message_updates_the_inbox_once(store: Store) -> None:
    """amina writes to samira: the conversation shows the preview, one message, one unread for
    samira (none for amina), and samira's archived conversation comes back; a redelivery
    counts nothing twice."""
    path, conversation = make_conversation()
    data = conversation.to_firestore()
    data["participantState"] = {"samira": {"joinedAt": T0, "archived": True}}
    store.put(path, data)
    message_path, message = make_message()
    after = store.put(message_path, message)
    event = store.event(message_path, None, after, at=T0)
    store.deliver("message_written", event)
    store.deliver("message_written", event)
    inbox = _doc(store, path)
    assert inbox["lastMessage"]["preview"] == "Hello!"
    assert inbox["lastMessage"]["senderId"] == "amina"
    assert inbox["messageCount"] == 1
    assert inbox["unreadCounts"] == {"samira": 1}
    assert inbox["participantState"]["samira"]["archived"] is False


def test_a_held_message_never_reaches_the_inbox_preview(store: Store) -> None:
    """The preview of a message the screen holds is empty, and nobody's badge counts it."""
    store.put(*make_conversation())
    message_path, message = make_message(text="please send nudes")
    _create(store, "message_written", message_path, message)
    inbox = _doc(store, "conversations/conv1")
    assert inbox["lastMessage"]["preview"] == ""
    assert inbox.get("unreadCounts", {}).get("samira", 0) == 0


def _moderate(store: Store, path: str, status: str, event_id: str) -> None:
    """A moderator's decision on a message (its moderation status), delivered twice."""
    before = store.proto(path)
    data = _doc(store, path)
    after = store.put(path, {**data, "moderation": {**data["moderation"], "status": status}})
    event = store.event(path, before, after, at=T0, event_id=event_id)
    store.deliver("message_written", event)
    store.deliver("message_written", event)


def test_a_moderators_decision_moves_the_badges_of_those_who_had_not_read(store: Store) -> None:
    """A held message released by a moderator counts once for samira; a visible one removed
    stops counting; a redelivered decision moves nothing twice."""
    path, conversation = make_conversation()
    store.put(path, conversation)
    held_path, held = make_message(message_id="held", text="please send nudes")
    _create(store, "message_written", held_path, held, event_id="send-held")
    assert _doc(store, held_path)["moderation"]["status"] == "hidden"
    _moderate(store, held_path, "approved", "release")
    assert _doc(store, path)["unreadCounts"] == {"samira": 1}
    shown_path, shown = make_message(message_id="shown")
    _create(store, "message_written", shown_path, shown, event_id="send-shown")
    assert _doc(store, path)["unreadCounts"] == {"samira": 2}
    _moderate(store, shown_path, "removed", "remove")
    assert _doc(store, path)["unreadCounts"] == {"samira": 1}


def test_a_receipt_recount_leaves_out_what_moderation_hides(store: Store) -> None:
    """samira reads up to a point; after it come one message she can open and one the screen
    held: her badge shows one."""
    path, conversation = make_conversation()
    store.put(path, conversation)
    for index, (minutes, text) in enumerate(((1, "Hello!"), (2, "please send nudes"))):
        message_path, message = make_message(message_id=f"m{index}", text=text)
        sent = message.model_copy(update={"created_at": T0 + dt.timedelta(minutes=minutes)})
        _create(store, "message_written", message_path, sent, event_id=f"send-{index}")
    before = store.proto(path)
    state = {"samira": {"joinedAt": T0, "lastReadAt": T0}}
    after = store.put(path, {**_doc(store, path), "participantState": state})
    store.deliver("conversation_written", store.event(path, before, after, at=T0))
    assert _doc(store, path)["unreadCounts"] == {"samira": 1}


def test_a_read_receipt_recounts_the_unread_badge(store: Store) -> None:
    """samira reads up to the first of two messages: her badge shows one; a removed
    participant's count is dropped."""
    path, conversation = make_conversation()
    store.put(path, conversation)
    for index, minutes in enumerate((1, 2)):
        message_path, message = make_message(message_id=f"m{index}")
        sent = message.model_copy(update={"created_at": T0 + dt.timedelta(minutes=minutes)})
        _create(store, "message_written", message_path, sent, event_id=f"send-{index}")
    assert _doc(store, path)["unreadCounts"] == {"samira": 2}
    before = store.proto(path)
    state = {"samira": {"joinedAt": T0, "lastReadAt": T0 + dt.timedelta(minutes=1)}}
    after = store.put(path, {**_doc(store, path), "participantState": state})
    store.deliver("conversation_written", store.event(path, before, after, at=T0))
    assert _doc(store, path)["unreadCounts"] == {"samira": 1}


# --- reveal ---------------------------------------------------------------------------------


def _consent(store: Store, owner: str, counterpart: str, status: str = "consented") -> Any:
    consent = RevealConsent(
        counterpart_id=counterpart,
        context="conversations/conv1",
        status=status,  # type: ignore[arg-type]
        created_at=T0,
        updated_at=T0,
    )
    path = f"users/{owner}/revealConsents/{counterpart}"
    after = store.put(path, consent)
    return path, after


def test_the_second_consent_completes_the_reveal_both_ways(store: Store) -> None:
    """When samira answers amina's consent, both grants are written, both consents are stamped
    completed, and both summaries count one reveal; a redelivery changes nothing."""
    for uid in ("amina", "samira"):
        store.put(f"users/{uid}", make_user(uid))
    path, after = _consent(store, "amina", "samira")
    store.deliver("reveal_consent_written", store.event(path, None, after, at=T0))
    assert store.get("users/amina/revealGrants/samira") is None
    path, after = _consent(store, "samira", "amina")
    event = store.event(path, None, after, at=T0, event_id="e2")
    store.deliver("reveal_consent_written", event)
    store.deliver("reveal_consent_written", event)
    assert _doc(store, "users/amina/revealGrants/samira")["counterpartId"] == "samira"
    assert _doc(store, "users/samira/revealGrants/amina")["counterpartId"] == "amina"
    for owner, counterpart in (("amina", "samira"), ("samira", "amina")):
        assert _doc(store, f"users/{owner}/revealConsents/{counterpart}")["completedAt"] == T0
        assert _doc(store, f"users/{owner}")["reveal"]["completed"] == 1


def test_a_withdrawn_consent_stops_the_reveal(store: Store) -> None:
    """amina withdrew before samira answered: nothing is granted."""
    _consent(store, "amina", "samira", status="withdrawn")
    path, after = _consent(store, "samira", "amina")
    store.deliver("reveal_consent_written", store.event(path, None, after, at=T0))
    assert store.get("users/amina/revealGrants/samira") is None
    assert store.get("users/samira/revealGrants/amina") is None


# --- a moderator's review of screened content -----------------------------------------------

MODERATOR = Caller("modkenji", {"role": "moderator", "accountStatus": "active"})


def test_a_moderator_releases_held_content_and_a_later_edit_cannot_undo_a_hide(
    store: Store,
) -> None:
    """A held request is approved by a moderator (visible again); a request a moderator hid
    stays hidden when its author edits it, and a member may not call the review at all."""
    path, request = make_request(description="Please send a wire transfer to my cousin today.")
    _create(store, "request_written", path, request)
    assert _doc(store, path)["moderation"]["status"] == "hidden"
    outcome = review_content(default_deps(), MODERATOR, {"path": path, "decision": "approve"})
    assert outcome == {"path": path, "status": "approved", "reason": None}
    assert _doc(store, path)["moderation"]["status"] == "approved"

    decision = {"path": path, "decision": "hide", "note": "Asks for money outside the platform"}
    review_content(default_deps(), MODERATOR, decision)
    before = store.proto(path)
    after = store.put(path, {**_doc(store, path), "description": "All fine now, promise."})
    store.deliver("request_written", store.event(path, before, after, at=T0, event_id="e9"))
    assert _doc(store, path)["moderation"]["reason"] == "Asks for money outside the platform"
    member = Caller("samira", {"role": "user", "accountStatus": "active"})
    with pytest.raises(PermissionDeniedError):
        review_content(default_deps(), member, {"path": path, "decision": "approve"})
    with pytest.raises(InvalidArgumentError):
        review_content(default_deps(), MODERATOR, {"path": "reports/r1", "decision": "approve"})
