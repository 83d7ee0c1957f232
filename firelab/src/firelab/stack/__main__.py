"""`python -m firelab.stack`: run the local Firebase stack until Ctrl-C."""

import sys

from firelab.stack._cli import main

__all__: list[str] = []

sys.exit(main())
