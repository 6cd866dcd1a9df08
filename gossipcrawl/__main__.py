"""`python -m gossipcrawl ...` is the `gossipcrawl` command."""

import sys

from gossipcrawl.commands import main

sys.exit(main())
