"""Allow ``python -m summitreader`` as well as the ``summit-reader`` script."""

import sys

from summitreader.cli import main

sys.exit(main())
