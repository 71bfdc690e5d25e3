"""What each section leaves in the report folder for the index page: its verdicts (``NN-name.verdicts.json``,
the claims ledger reads them) and its headline sentences (``NN-name.summary.json``). Written here and read
back here, so that the two files have one format and one place.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

from helpers.claims import Verdict
from helpers.paths import resolve
from helpers.report.prose import verdict_label

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


def verdict_sentences(verdicts: list[Verdict], words: int = 12) -> list[str]:
    """One headline sentence a verdict: the claim in its own words, shortened, and its verdict as the
    member reads it (an internal claim id means nothing to a member).

    >>> verdict_sentences([Verdict("spam-rises", "mixed", "", {"robust": False})])
    ['“So what are the downside of a large network?…”: uncertain, leans mixed.']
    """
    return [f"“{_shortened(v.claim, words)}”: {verdict_label(v.verdict, v.details.get('robust')).lower()}."
            for v in verdicts]


def _shortened(claim: str, words: int) -> str:
    """The claim's first fragment (quotes join fragments with " ... "), cut to ``words`` words."""
    first = claim.split(" ... ")[0].split()
    cut = " ".join(first[:words]).rstrip(".,;:")
    return cut if len(first) <= words and len(claim.split(" ... ")) == 1 else f"{cut}…"


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


_VERDICT_BOX = re.compile(r'<div class="verdict" data-claim="(?P<claim>[a-z0-9-]+)" data-verdict="(?P<verdict>[a-z ]+)"')


def with_claim_verdicts(page: str, stem: str, records: list[dict]) -> str:
    """A rendered section with each verdict box that judges one half of a claim marked as that half
    (``data-part``) and followed, inside the box, by the claim's verdict over the whole report, so that a
    claim reads the same on every page as on the index."""
    by_id = {record["id"]: record for record in records}

    def mark(found: re.Match) -> str:
        record = by_id.get(found["claim"])
        parts = record["details"]["parts"] if record else []
        mine = next((p for p in parts if p["notebook"] == stem), None)
        if len(parts) < 2 or mine is None:
            return found[0]
        return f'{found[0]} data-part="{html.escape(mine["key"])}" data-overall="{html.escape(record["verdict"])}"'

    marked = _VERDICT_BOX.sub(mark, page)
    return re.sub(r'(<div class="verdict"[^>]*data-overall="[^"]*"[^>]*>)', lambda m: m[1] + _overall(m[1], by_id),
                  marked)


def _overall(opening: str, by_id: dict[str, dict]) -> str:
    claim = re.search(r'data-claim="([^"]+)"', opening)[1]
    record = by_id[claim]
    label = verdict_label(record["verdict"], record["details"].get("robust"))
    return (f'<div class="overall" data-claim="{html.escape(claim)}" data-verdict="{html.escape(record["verdict"])}" '
            f'style="font-size:.9rem;margin-bottom:.3rem">In this report as a whole: <strong>{html.escape(label)}</strong> '
            f'({html.escape(record["details"]["in_words"])}; <a href="index.html#claim-{html.escape(claim)}">all '
            f'verdicts</a>)</div>')
