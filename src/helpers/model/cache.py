"""Results that do not depend on the member's export, computed once and kept on disk.

A figure such as LinkedIn's published network sizes beside the model depends only on the seed, the
draws and the project's own files: it is the same for every export, so each report (and each test's
report) need not compute it again. The key of a kept result holds its arguments and a digest of every
data file and source file of the project, so any change to the model or its assumptions computes it
afresh. Kept under ``build/cache`` (git-ignored); nothing of the member's export is ever kept there.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import polars as pl

from helpers.paths import DATA_DIR, PROJECT_ROOT

CACHE_DIR = PROJECT_ROOT / "build" / "cache"


@cache
def _project_digest() -> str:
    """Digest of the model's inputs: the project's data files (not the sample) and its source files."""
    digest = hashlib.sha256()
    files = sorted(p for p in DATA_DIR.glob("*") if p.is_file()) + sorted(Path(__file__).parents[1].rglob("*.py"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def remembered(name: str, arguments: dict, compute: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """``compute()``, or the table it gave last time for the same ``arguments`` and the same project files."""
    key = hashlib.sha256(json.dumps([name, arguments, _project_digest()], sort_keys=True).encode()).hexdigest()[:24]
    path = CACHE_DIR / f"{name}-{key}.parquet"
    if path.exists():
        return pl.read_parquet(path)
    table = compute()
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    table.write_parquet(partial)
    partial.replace(path)  # atomic: a process computing the same table beside this one never reads half of it
    return table
