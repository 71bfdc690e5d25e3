"""The command's earlier name: ``python -m helpers.audience`` runs ``python -m helpers.model.audience``.

Kept so that scripts written before the layout moved still work; code imports ``helpers.model.audience``.
"""

import sys

from helpers.model.audience import main

__all__ = ["main"]


def __getattr__(name: str):
    raise AttributeError(f"helpers.audience is only the command's earlier name: {name} is in helpers.model.audience")


if __name__ == "__main__":
    sys.exit(main())
