"""Index of Mitché's Cloud Functions.

The Firebase CLI discovers functions by importing this module and scanning its module-level
decorated functions, so this file only wires decorators to handlers in `mitche.triggers`; no
client is created at import time.
"""
