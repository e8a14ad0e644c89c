"""``python -m model.cli``: the same as the ``parkcap`` console script."""

import sys

from model.cli import main

sys.exit(main())
