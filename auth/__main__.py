"""``python -m auth``: see ``auth.cli``."""

import sys

from auth.cli import main

sys.exit(main())
