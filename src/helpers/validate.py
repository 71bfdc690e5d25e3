"""The command's earlier name: ``python -m helpers.validate`` runs ``python -m helpers.model.validate``.

Kept so that scripts written before the layout moved still work; code imports ``helpers.model.validate``.
"""

import sys

from helpers.model.validate import main

__all__ = ["main"]


def __getattr__(name: str):
    raise AttributeError(f"helpers.validate is only the command's earlier name: {name} is in helpers.model.validate")


if __name__ == "__main__":
    sys.exit(main())
