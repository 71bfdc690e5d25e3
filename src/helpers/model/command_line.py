"""What the models' command lines for a member of a given size share: the arguments, their checks, the answer.

``python -m helpers.model.reach`` and ``python -m helpers.model.feed`` each describe a LinkedIn member with
``--connections`` connections and a typical make-up, from ``--seed``; each prints one sentence and, as its last
line, one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json

from helpers.evidence.profile import CONNECTION_CAP

#: The seed of the commands when none is given: the report's (``make report``'s ``SEED``).
DEFAULT_SEED = 20261122


def member_parser(prog: str, description: str) -> argparse.ArgumentParser:
    """A parser with the ``--seed`` every member command takes."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    return parser


def add_connections(parser: argparse.ArgumentParser | argparse._ActionsContainer, *, required: bool) -> None:
    """The ``--connections`` argument: the member's size, a typical make-up."""
    parser.add_argument("--connections", type=int, required=required,
                        help=f"the member's connections (1 to {CONNECTION_CAP:,}), typical make-up")


def check_connections(parser: argparse.ArgumentParser, connections: int) -> None:
    """Stop with a usage error (exit code 2) unless ``connections`` is a size LinkedIn allows."""
    if not 1 <= connections <= CONNECTION_CAP:
        parser.error(f"--connections must be between 1 and {CONNECTION_CAP:,} (LinkedIn's cap)")


def print_answer(sentence: str, found: dict) -> int:
    """Print the sentence, then the figures as one JSON object on the last line; the command's exit code."""
    print(sentence)
    print(json.dumps(found))
    return 0
