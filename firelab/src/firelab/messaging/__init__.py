"""A local Firebase Cloud Messaging endpoint for firebase-admin's `messaging` module, selected
by the standard proxy, CA bundle and credentials variables (no patching of the SDK)."""

from firelab.messaging._credentials import FCM_HOST
from firelab.messaging._server import MessagingServer, SentMessage

__all__ = ["FCM_HOST", "MessagingServer", "SentMessage"]
