"""firelab: local Firebase tooling for Python developers.

A Firestore / Cloud Storage Security Rules engine and a local Firestore-compatible server that
the real Firebase SDKs connect to unchanged. Standalone: it knows nothing of the application
that uses it.
"""
