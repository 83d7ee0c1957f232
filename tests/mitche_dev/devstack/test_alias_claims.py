"""The demo holds what onboarding writes: every member's alias claimed by that member."""

from __future__ import annotations

from mitche.domain.aliases import alias_claim_path
from mitche.models import AliasClaim, User
from mitche_dev.devstack import demo_documents


def test_every_demo_member_holds_the_claim_of_their_alias() -> None:
    documents = dict(demo_documents())
    members = {
        path.split("/")[1]: document
        for path, document in documents.items()
        if isinstance(document, User) and path.count("/") == 1
    }
    claims = {path: d for path, d in documents.items() if isinstance(d, AliasClaim)}
    assert members
    expected = {alias_claim_path(m.profile.anonymous_alias): uid for uid, m in members.items()}
    assert {path: claim.owner_id for path, claim in claims.items()} == expected
