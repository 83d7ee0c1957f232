"""firelab: local Firebase tooling for Python developers.

A Firestore / Cloud Storage Security Rules engine (`firelab.rules`), a local Firestore-compatible
server that the real Firebase SDKs connect to unchanged (`firelab.server`), a runtime for a
Python Cloud Functions codebase (`firelab.functions`), the stack that runs them together with
the Auth emulator (`firelab.stack`), Firestore index logic (`firelab.indexes`), mock ID tokens
(`firelab.tokens`) and pytest fixtures (`firelab.pytest_plugin`, loaded by pytest on its own).
Standalone: it knows nothing of the application that uses it.
"""

from importlib.metadata import version as _version

from firelab._errors import FirelabError

__all__ = ["FirelabError"]

__version__ = _version("firelab-firebase")
"""The installed distribution's version (firelab-firebase on the package index)."""
