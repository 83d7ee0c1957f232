"""Envelope encryption of members' personal fields: sealed values are fresh per record, bound
to where they live, unreadable once the member's key is destroyed, and a key rotation re-wraps
data keys without touching sealed data."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mitche.errors import DataLossError, FailedPreconditionError, InvalidArgumentError
from mitche.sealing import (
    CloudKmsKek,
    LocalKeyring,
    MemberKeys,
    data_key_path,
    is_sealed,
    kek_from_uri,
    new_key,
    open_bytes,
    seal_bytes,
)

PATH = "users/alice/private/identity"


@given(st.binary(max_size=2000), st.text(min_size=1, max_size=80))
def test_a_sealed_value_opens_to_its_plaintext_in_its_own_context(
    plaintext: bytes, context: str
) -> None:
    key = new_key()
    assert open_bytes(key, seal_bytes(key, plaintext, context), context) == plaintext


def test_sealing_the_same_value_twice_gives_different_ciphertexts() -> None:
    key = new_key()
    first, second = (seal_bytes(key, b"Alice Martin", f"{PATH}#legalName") for _ in range(2))
    assert first != second
    assert is_sealed(first)
    assert "Alice" not in first


@pytest.mark.parametrize(
    ("what", "tamper"),
    [
        ("a flipped ciphertext byte", lambda v: v[:-5] + ("A" if v[-5] != "A" else "B") + v[-4:]),
        ("a truncated value", lambda v: v[:20]),
        ("a value that is not base64url", lambda v: v + "!!"),
    ],
)
def test_tampering_is_detected(what: str, tamper: object) -> None:
    key = new_key()
    sealed = seal_bytes(key, b"+33612345678", f"{PATH}#phone")
    with pytest.raises(DataLossError):
        open_bytes(key, tamper(sealed), f"{PATH}#phone")  # type: ignore[operator]


def test_a_value_moved_to_another_field_or_member_does_not_open() -> None:
    key = new_key()
    sealed = seal_bytes(key, b"alice@example.org", f"{PATH}#email")
    with pytest.raises(DataLossError, match="failed authentication"):
        open_bytes(key, sealed, f"{PATH}#legalName")
    with pytest.raises(DataLossError):
        open_bytes(key, sealed, "users/bob/private/identity#email")


def test_a_value_sealed_under_another_key_does_not_open() -> None:
    sealed = seal_bytes(new_key(), b"x", PATH)
    with pytest.raises(DataLossError):
        open_bytes(new_key(), sealed, PATH)


def test_plain_text_is_refused_as_a_sealed_value() -> None:
    with pytest.raises(InvalidArgumentError, match="not a sealed value"):
        open_bytes(new_key(), "Alice Martin", PATH)


def test_a_local_keyring_wraps_with_its_current_version_and_unwraps_older_ones(
    tmp_path: Path,
) -> None:
    ring = LocalKeyring(tmp_path / "keyring.json")
    data_key = new_key()
    old = ring.wrap(data_key, "ctx")
    assert old.version == "local-1"
    assert ring.rotate() == "local-2"
    assert ring.current_version() == "local-2"
    assert ring.unwrap(old, "ctx") == data_key
    assert ring.wrap(data_key, "ctx").version == "local-2"
    assert (tmp_path / "keyring.json").stat().st_mode & 0o077 == 0


def test_a_wrap_is_bound_to_its_member(tmp_path: Path) -> None:
    ring = LocalKeyring(tmp_path / "keyring.json")
    wrapped = ring.wrap(new_key(), data_key_path("alice"))
    with pytest.raises(DataLossError):
        ring.unwrap(wrapped, data_key_path("mallory"))


@pytest.mark.parametrize(
    ("uri", "kind"),
    [
        ("gcp-kms://projects/p/locations/europe-west1/keyRings/mitche/cryptoKeys/pii", CloudKmsKek),
        ("local-keyring:///tmp/mitche-test-ring.json", LocalKeyring),
    ],
)
def test_a_kek_uri_selects_its_implementation(uri: str, kind: type) -> None:
    assert isinstance(kek_from_uri(uri), kind)


@pytest.mark.parametrize(
    "uri",
    [
        "gcp-kms://projects/p/keyRings/r",
        "local-keyring://relative/ring.json",
        "aws-kms://arn:aws:kms:eu-west-3:1:key/x",
        "",
    ],
)
def test_a_malformed_kek_uri_is_refused_with_the_expected_forms(uri: str) -> None:
    with pytest.raises(InvalidArgumentError, match=r"expected|absolute"):
        kek_from_uri(uri)


def test_production_without_a_kek_refuses_to_seal(monkeypatch: pytest.MonkeyPatch) -> None:
    from mitche.sealing import kek_from_environment

    monkeypatch.delenv("MITCHE_PII_KEK", raising=False)
    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    with pytest.raises(FailedPreconditionError, match="MITCHE_PII_KEK is not set"):
        kek_from_environment()


class TestMemberKeys:
    """Against a real local Firestore server."""

    @pytest.fixture
    def ring(self, tmp_path: Path) -> LocalKeyring:
        return LocalKeyring(tmp_path / "keyring.json")

    @pytest.fixture
    def keys(self, owner_client: object, ring: LocalKeyring, firestore_clear: None) -> MemberKeys:
        return MemberKeys(owner_client, ring)  # type: ignore[arg-type]

    def test_fields_round_trip_and_none_stays_none(self, keys: MemberKeys) -> None:
        values = {"legalName": "Alice Martin", "phone": None, "home": {"address": "3 rue X"}}
        sealed = keys.seal_fields("alice", PATH, values)
        assert sealed["phone"] is None
        assert all(is_sealed(v) for k, v in sealed.items() if k != "phone")
        assert keys.open_fields("alice", PATH, sealed) == values

    def test_the_data_key_is_stored_only_wrapped(
        self, keys: MemberKeys, owner_client: object
    ) -> None:
        sealed = keys.seal_fields("alice", PATH, {"legalName": "Alice Martin"})
        stored = owner_client.document(data_key_path("alice")).get().to_dict()  # type: ignore[attr-defined]
        assert set(stored) == {"wrappedKey", "kekVersion", "createdAt"}
        assert stored["kekVersion"] == "local-1"
        assert str(sealed["legalName"]) not in str(stored)

    def test_a_destroyed_member_key_makes_their_data_unreadable(self, keys: MemberKeys) -> None:
        sealed = keys.seal_fields("alice", PATH, {"email": "alice@example.org"})
        keys.destroy("alice")
        with pytest.raises(DataLossError, match="no data key"):
            keys.open_fields("alice", PATH, sealed)

    def test_rotation_rewraps_data_keys_without_reencrypting_data(
        self, keys: MemberKeys, ring: LocalKeyring, owner_client: object
    ) -> None:
        sealed = keys.seal_fields("alice", PATH, {"legalName": "Alice Martin"})
        before = owner_client.document(data_key_path("alice")).get().to_dict()  # type: ignore[attr-defined]
        ring.rotate()
        assert keys.rewrap("alice") is True
        after = owner_client.document(data_key_path("alice")).get().to_dict()  # type: ignore[attr-defined]
        assert after["kekVersion"] == "local-2"
        assert after["wrappedKey"] != before["wrappedKey"]
        assert keys.open_fields("alice", PATH, sealed) == {"legalName": "Alice Martin"}
        assert keys.rewrap("alice") is False
        assert keys.rewrap("nobody") is False

    def test_each_member_has_their_own_key(self, keys: MemberKeys) -> None:
        alice = keys.seal_fields("alice", PATH, {"legalName": "Alice"})
        with pytest.raises(DataLossError):
            keys.open_fields("bob", PATH, alice)  # bob has no key yet
        keys.seal_fields("bob", "users/bob/private/identity", {"legalName": "Bob"})
        with pytest.raises(DataLossError):
            keys.open_fields("bob", PATH, alice)
