"""A cohort worker that dies on one export, as a parser crashing on a hostile file would (spawned workers import
it by name, so it lives in a module of its own)."""

from __future__ import annotations

import os

from helpers.report.cohort import summarise_one


def dies_on_crash(path: str, seed: int):
    if "crash" in path:
        os._exit(3)
    return summarise_one(path, seed)
