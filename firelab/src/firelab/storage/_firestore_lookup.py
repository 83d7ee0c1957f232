"""`firestore.get()` and `firestore.exists()` in storage.rules, served by a Firestore emulator.

As in production and on the official emulator (firebase-tools `emulator/storage/rules/
runtime.js`, `fetchFirestoreDocument`), Storage rules read documents from Firestore itself:
here a GET of the Firestore REST API (`/v1/projects/{project}/documents/...`) on the server at
`host` with administrator credentials, so rules see what is stored whatever Firestore's own
rules say. Any answer but 200 reads as a missing document, as on the emulator.
"""

from __future__ import annotations

import http.client
from collections.abc import Mapping
from urllib.parse import quote

from google.cloud.firestore_v1.types import Document
from google.protobuf import json_format

__all__ = ["FirestoreRestDocuments"]


class FirestoreRestDocuments:
    """A `firelab.rules.DocumentLookup` over a Firestore emulator's REST API."""

    def __init__(self, host: str, project: str, *, timeout: float = 10.0) -> None:
        self.host = host
        self.project = project
        self._timeout = timeout

    def get_document(self, database: str, path: str) -> Mapping[str, object] | None:
        """The document's fields (protobuf Values), None when absent or unreadable."""
        target = "/".join(quote(part, safe="") for part in path.split("/"))
        url = (
            f"/v1/projects/{quote(self.project, safe='')}/databases/"
            f"{quote(database, safe='()')}/documents/{target}"
        )
        connection = http.client.HTTPConnection(self.host, timeout=self._timeout)
        try:
            connection.request("GET", url, headers={"Authorization": "Bearer owner"})
            response = connection.getresponse()
            body = response.read()
        except OSError:
            return None
        finally:
            connection.close()
        if response.status != 200:
            return None
        document = Document.pb(Document())
        try:
            json_format.Parse(body.decode("utf-8"), document, ignore_unknown_fields=True)
        except (ValueError, json_format.ParseError):
            return None
        return dict(document.fields)

    def get_document_after(self, database: str, path: str) -> Mapping[str, object] | None:
        """Storage requests write no documents: the same as `get_document`."""
        return self.get_document(database, path)
