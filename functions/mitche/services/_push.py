"""Push through Firebase Cloud Messaging's HTTP v1 API, with firebase-admin's `send_each`.

`FcmSender` builds one `messaging.Message` per device token (a notification title and body,
and data naming the notification and the document to open) and sends them in batches of up to
500 with `messaging.send_each` on the default Admin app. A result tells which tokens FCM says
are gone, per the FCM v1 error codes: `UNREGISTERED` (404: the app was uninstalled or the
token expired) and `INVALID_ARGUMENT` with an `FcmError` detail (400: not a registration token;
a 400 with a `google.rpc.BadRequest` detail is a bad message instead, and prunes nothing).

Locally the same code runs unchanged: the firelab stack points `requests` at its FCM endpoint
through `HTTPS_PROXY`, `REQUESTS_CA_BUNDLE` and `GOOGLE_APPLICATION_CREDENTIALS`.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

from firebase_admin import exceptions, messaging

from mitche.services._clients import admin_app

__all__ = ["FcmSender", "PushMessage", "PushResult", "PushSender", "token_is_gone"]

_BATCH: Final = 500
_FCM_ERROR: Final = "type.googleapis.com/google.firebase.fcm.v1.FcmError"


@dataclass(frozen=True, slots=True)
class PushMessage:
    """One push to one device."""

    token: str
    title: str
    body: str
    data: Mapping[str, str] = field(default_factory=dict)
    collapse_key: str | None = None
    """Devices keep only the latest push with the same key (a conversation's)."""


@dataclass(frozen=True, slots=True)
class PushResult:
    """What FCM answered for one message."""

    token: str
    sent: bool
    gone: bool = False
    """FCM says the token will never work again: remove the device."""
    error: str | None = None


class PushSender(Protocol):
    """Sends pushes; one result per message, in order."""

    def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        """Send each message."""
        ...


def _fcm_error_code(error: exceptions.FirebaseError) -> str | None:
    response = error.http_response
    if response is None:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    details = body.get("error", {}).get("details", []) if isinstance(body, dict) else []
    for detail in details:
        if isinstance(detail, dict) and detail.get("@type") == _FCM_ERROR:
            code = detail.get("errorCode")
            return str(code) if code else None
    return None


def token_is_gone(error: exceptions.FirebaseError) -> bool:
    """Whether FCM's answer means the registration token is invalid for good."""
    if isinstance(error, messaging.UnregisteredError):
        return True
    return isinstance(error, exceptions.InvalidArgumentError) and (
        _fcm_error_code(error) == "INVALID_ARGUMENT"
    )


def _message(push: PushMessage) -> messaging.Message:
    android = messaging.AndroidConfig(collapse_key=push.collapse_key) if push.collapse_key else None
    apns = (
        messaging.APNSConfig(headers={"apns-collapse-id": push.collapse_key[:64]})
        if push.collapse_key
        else None
    )
    with warnings.catch_warnings():
        # firebase-admin 7.7 deprecates `token` in favour of installation ids (`fid`); the
        # apps register FCM registration tokens (getToken()), which FCM still addresses by
        # `token`, so this is the field that reaches them.
        warnings.simplefilter("ignore", DeprecationWarning)
        return messaging.Message(
            token=push.token,
            notification=messaging.Notification(title=push.title, body=push.body),
            data=dict(push.data),
            android=android,
            apns=apns,
        )


class FcmSender:
    """The production sender: `messaging.send_each` on the default Admin app."""

    def __init__(self, app: Any = None) -> None:
        self._app = app

    def send(self, messages: Sequence[PushMessage]) -> list[PushResult]:
        """Send in batches of 500; each message's outcome, gone tokens marked."""
        results: list[PushResult] = []
        app = self._app if self._app is not None else admin_app()
        for start in range(0, len(messages), _BATCH):
            batch = list(messages[start : start + _BATCH])
            response = messaging.send_each([_message(push) for push in batch], app=app)
            for push, answer in zip(batch, response.responses, strict=True):
                error = answer.exception
                if error is None:
                    results.append(PushResult(push.token, sent=True))
                else:
                    results.append(
                        PushResult(
                            push.token,
                            sent=False,
                            gone=isinstance(error, exceptions.FirebaseError)
                            and token_is_gone(error),
                            error=str(getattr(error, "code", None) or type(error).__name__),
                        )
                    )
        return results
