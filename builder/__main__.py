"""`python -m builder` is the `disseminate` command."""

import sys

from .cli import main

sys.exit(main())
