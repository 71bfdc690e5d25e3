"""``make bench``: speed and memory figures, one ``name: value`` line each.

Each measurement runs in a fresh subprocess so its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

#: A member at LinkedIn's cap: 30,000 connections over ten years.
CAP_GROWTH = ((date(2016, 1, 1), 0), (date(2021, 1, 1), 12_000), (date(2026, 11, 15), 30_000))


def write_cap_export(folder: Path, seed: int = 30_000) -> Path:
    """A Connections.csv of 30,000 invented connections in LinkedIn's 2023+ format."""
    import numpy as np

    from helpers.synth import connections_csv, make_people

    folder.mkdir(parents=True, exist_ok=True)
    people = make_people(np.random.default_rng(seed), CAP_GROWTH)
    (folder / "Connections.csv").write_text(connections_csv(people), encoding="utf-8")
    return folder


def _read_export(path: str) -> dict:
    from helpers.export import load_export

    started = time.perf_counter()
    export = load_export(path)
    return {"seconds": time.perf_counter() - started, "rows": export.connections.height}


def _measure(function: str, *args: str) -> dict:
    """Run ``function(*args)`` of this module in a child process; its result plus its own peak memory (MB)."""
    code = (f"import json, resource, helpers.bench as b; r = b.{function}(*{list(args)!r}); "
            "r['peak_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; print(json.dumps(r))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        export = write_cap_export(Path(scratch) / "cap")
        read = _measure("_read_export", str(export))
        assert read["rows"] == 30_000, read
        print(f"export_read_seconds_30k: {read['seconds']:.3f}")
        print(f"export_read_peak_mb_30k: {read['peak_mb']:.0f}")


if __name__ == "__main__":
    main()
