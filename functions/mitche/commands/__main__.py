"""Entry point of `python -m mitche.commands`."""

from mitche.commands._cli import main

raise SystemExit(main())
