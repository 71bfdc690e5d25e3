"""The command's earlier name: ``python -m helpers.reach`` runs ``python -m helpers.model.reach``.

Kept so that scripts written before the layout moved still work; code imports ``helpers.model.reach``.
"""

import sys

from helpers.model.reach import main

__all__ = ["main"]


def __getattr__(name: str):
    raise AttributeError(f"helpers.reach is only the command's earlier name: {name} is in helpers.model.reach")


if __name__ == "__main__":
    sys.exit(main())
