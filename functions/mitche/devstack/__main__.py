"""`python -m mitche.devstack`: seed the demo into the running local stack."""

from mitche.devstack._cli import main

raise SystemExit(main())
