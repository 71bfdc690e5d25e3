"""The command's earlier name: ``python -m helpers.validate`` runs ``python -m helpers.model.validate``.

Kept so that scripts written before the layout moved still work; new code imports ``helpers.model.validate``.
"""

import sys

from helpers.model.validate import main

if __name__ == "__main__":
    sys.exit(main())
