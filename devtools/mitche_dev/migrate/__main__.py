"""Entry point of `python -m mitche_dev.migrate`."""

from mitche_dev.migrate._cli import main

raise SystemExit(main())
