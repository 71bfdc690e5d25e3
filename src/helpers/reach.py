"""The command's earlier name: ``python -m helpers.reach`` runs ``python -m helpers.model.reach``.

Kept so that scripts written before the layout moved still work; new code imports ``helpers.model.reach``.
"""

import sys

from helpers.model.reach import main

if __name__ == "__main__":
    sys.exit(main())
