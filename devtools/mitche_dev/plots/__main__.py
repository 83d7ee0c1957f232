import sys

from mitche_dev.plots import main

sys.exit(main())
