"""`python -m mitche_dev.devstack`: run the local stack with demo data (the README's main job);
`python -m mitche_dev.devstack seed`: only seed already running emulators (the official suite
too)."""

import sys

from mitche_dev.devstack import _cli, _stack_cli

if sys.argv[1:2] == ["seed"]:
    raise SystemExit(_cli.main(sys.argv[2:]))
raise SystemExit(_stack_cli.main(sys.argv[1:]))
