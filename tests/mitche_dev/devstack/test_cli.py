"""`python -m mitche_dev.devstack`: configuration errors, failures and the sign-in table.

Seeding a real server through the command is exercised by the local stack's own tests.
"""

from __future__ import annotations

import io

import pytest

from mitche_dev.devstack import demo_accounts
from mitche_dev.devstack._cli import accounts_table, main


def test_missing_firestore_host_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without FIRESTORE_EMULATOR_HOST the command writes nothing and exits with status 2."""
    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    out = io.StringIO()
    assert main([], out=out) == 2
    assert "FIRESTORE_EMULATOR_HOST is not set" in out.getvalue()


def test_missing_auth_host_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without FIREBASE_AUTH_EMULATOR_HOST the command asks for it or for --no-accounts."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:1")
    monkeypatch.delenv("FIREBASE_AUTH_EMULATOR_HOST", raising=False)
    out = io.StringIO()
    assert main([], out=out) == 2
    assert "--no-accounts" in out.getvalue()


def test_a_naive_now_fails_before_any_write(monkeypatch: pytest.MonkeyPatch) -> None:
    """A --now without an offset is refused with status 1 and the reason, before anything is
    sent (the host given accepts no connection)."""
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:1")
    out = io.StringIO()
    assert main(["--no-accounts", "--now", "2026-11-23T10:00:00"], out=out) == 1
    assert "timezone-aware" in out.getvalue()


def test_accounts_table_lists_every_account() -> None:
    """The sign-in table has a header, then one aligned line per account with its uid, email,
    password and claims."""
    accounts = demo_accounts()
    lines = accounts_table(accounts).splitlines()
    assert lines[0].split() == ["uid", "email", "password", "claims"]
    assert len(lines) == len(accounts) + 1
    for line, account in zip(lines[1:], accounts, strict=True):
        assert line.split()[:3] == [account.uid, account.email, account.password]
        assert line.index(account.email) == lines[0].index("email")
    assert "verifiedProvider=True" in lines[1 + [a.uid for a in accounts].index("erin")]
