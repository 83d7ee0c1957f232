"""storage.rules keep the attachments pipeline's marker (`mitcheProcessed`) for the functions:
a member's upload carrying it is refused, so no file can skip the pipeline's checks."""

from __future__ import annotations

import datetime as dt

import pytest

from firelab.rules import Auth, InMemoryDocuments, Rules, RulesRequest

from .test_storage_matrix import RULES_FILE

MEMBER = Auth("sam", {"role": "user", "accountStatus": "active"})


@pytest.mark.parametrize(
    ("metadata", "allowed"),
    [
        (None, True),
        ({"caption": "me"}, True),
        ({"mitcheProcessed": "clean"}, False),
        ({"mitcheProcessed": "thumbnail"}, False),
    ],
)
def test_a_member_cannot_mark_an_upload_as_processed(metadata, allowed):
    """Uploads with the marker are refused; any other custom metadata is fine."""
    upload: dict[str, object] = {"contentType": "image/jpeg", "size": 2000}
    if metadata is not None:
        upload["metadata"] = metadata
    request = RulesRequest(
        service="firebase.storage",
        method="create",
        path="uploads/sam/avatars/me.jpg",
        auth=MEMBER,
        time=dt.datetime.now(dt.UTC),
        request_resource=upload,
    )
    decision = Rules.from_file(RULES_FILE).evaluate(request, InMemoryDocuments())
    assert decision.allowed is allowed, decision.explain()
