"""`python -m firelab.rules`: see `firelab.rules.cli`."""

from firelab.rules.cli import main

raise SystemExit(main())
