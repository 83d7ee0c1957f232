"""Callable errors: every canonical code has a callable code; failures never leak details."""

from __future__ import annotations

import pytest
from firebase_functions import https_fn

from mitche.errors import ErrorCode, NotFoundError, PermissionDeniedError
from mitche.triggers._errors import HTTPS_CODES, callable_errors


def test_every_canonical_code_has_a_callable_code() -> None:
    """The table covers every code, each to the callable code of the same name."""
    assert set(HTTPS_CODES) == set(ErrorCode)
    for code, https in HTTPS_CODES.items():
        assert https.name == code.value


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NotFoundError("no report 'x'"), https_fn.FunctionsErrorCode.NOT_FOUND),
        (PermissionDeniedError("moderators only"), https_fn.FunctionsErrorCode.PERMISSION_DENIED),
    ],
)
def test_a_mitche_error_reaches_the_client_with_its_code_and_message(
    error: Exception, code: https_fn.FunctionsErrorCode
) -> None:
    """A deliberate error keeps its code and message for the client."""

    def fail() -> None:
        raise error

    with pytest.raises(https_fn.HttpsError) as caught:
        callable_errors("test", fail)
    assert caught.value.code is code
    assert caught.value.message == error.message  # type: ignore[attr-defined]


def test_an_unexpected_failure_is_internal_and_logged(capsys: pytest.CaptureFixture[str]) -> None:
    """Anything else is logged and the client only learns that the function failed."""

    def fail() -> None:
        raise KeyError("secret detail")

    with pytest.raises(https_fn.HttpsError) as caught:
        callable_errors("test", fail)
    assert caught.value.code is https_fn.FunctionsErrorCode.INTERNAL
    assert "secret" not in caught.value.message
    assert "secret detail" in capsys.readouterr().err
