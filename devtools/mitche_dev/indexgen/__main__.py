"""`python -m mitche_dev.indexgen [--check]`: see `mitche_dev.indexgen`."""

import sys

from mitche_dev.indexgen import main

sys.exit(main())
