"""What each section leaves in the report folder for the index page: its verdicts (``NN-name.verdicts.json``,
the claims ledger reads them) and its headline sentences (``NN-name.summary.json``). Written here and read
back here, so that the two files have one format and one place.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from helpers.claims import Verdict
from helpers.paths import resolve

VERDICT_SUFFIX = ".verdicts.json"
SUMMARY_SUFFIX = ".summary.json"


def finish_section(output_dir: str | Path, stem: str, verdicts: list[Verdict], headline: list[str]) -> None:
    """Write a section's verdicts and its headline sentences (plain text, escaped on the index)."""
    folder = resolve(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    records = [v.record() for v in verdicts]
    (folder / f"{stem}{VERDICT_SUFFIX}").write_text(json.dumps(records, ensure_ascii=False, indent=1,
                                                               default=_jsonable))
    (folder / f"{stem}{SUMMARY_SUFFIX}").write_text(json.dumps({"notebook": stem, "lines": headline},
                                                               ensure_ascii=False, indent=1))


def verdict_records(folder: Path) -> Iterator[tuple[str, dict]]:
    """(section stem, verdict record) for every verdict in a report folder, in section order."""
    for path in sorted(folder.glob(f"*{VERDICT_SUFFIX}")):
        stem = path.name.removesuffix(VERDICT_SUFFIX)
        for record in json.loads(path.read_text()):
            yield stem, record


def headline(folder: Path, stem: str) -> list[str]:
    """A section's headline sentences; none when it wrote none."""
    path = folder / f"{stem}{SUMMARY_SUFFIX}"
    return json.loads(path.read_text())["lines"] if path.exists() else []


def _jsonable(value: object) -> object:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to JSON")
