"""`python -m firelab.rules`: see `firelab.rules.cli`."""

from firelab.rules.cli import main

__all__: list[str] = []

raise SystemExit(main())
