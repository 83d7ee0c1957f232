"""Mitché's development tools: the generators (rules, schema, indexes) and the local dev stack.

They read the `mitche` models and query catalog and may use `firelab`; nothing here is deployed
with the Cloud Functions codebase in `functions/`, which never imports this package.
"""
