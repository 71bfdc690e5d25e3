"""The command's earlier name: ``python -m helpers.audience`` runs ``python -m helpers.model.audience``.

Kept so that scripts written before the layout moved still work; new code imports ``helpers.model.audience``.
"""

import sys

from helpers.model.audience import main

if __name__ == "__main__":
    sys.exit(main())
