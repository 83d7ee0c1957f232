"""The one root of the errors firelab raises on purpose.

Every exception class firelab defines derives from `FirelabError`, so a caller can tell
firelab's refusals (a rules file that does not parse, a request the Firestore server rejects,
an Auth emulator that did not come up) apart from failures of its own code with one `except`.
Each subclass also keeps the built-in base it always had (`ValueError`, `RuntimeError`), so
code that caught those still does.
"""

from __future__ import annotations

__all__ = ["FirelabError"]


class FirelabError(Exception):
    """Something firelab was asked to do cannot be done; the subclass says what kind of thing."""
