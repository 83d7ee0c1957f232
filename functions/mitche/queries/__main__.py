"""`python -m mitche.queries indexes [--check]`: see mitche.queries.indexgen."""

import sys

from mitche.queries.indexgen import main

sys.exit(main())
