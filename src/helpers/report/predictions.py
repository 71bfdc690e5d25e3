"""What a report commits to about the member's future, written down so that a later export can check it.

Each page that makes a prediction writes its records (``{stem}.predictions.json``, :func:`commit`); the report
gathers them into ``predictions.json`` beside ``claims.json`` (:func:`write`) with what a later check must know:
the export's date, a fingerprint of what was read, the project's version and a hash of the assumptions. A record
is ``{"id", "about", "point", "interval_50": [lo, hi], "interval_90": [lo, hi]}`` and may say more (``unit``,
``p_at_least_1000``, ``basis``); nothing in the file names a person: the fingerprint is a digest, not the rows.
Beside them, ``connections_per_day`` counts the connections made on each day (counts only, no one named), so that a
later export can tell whether it is the same member's: it holds most of the earlier connections on the same days.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import date
from importlib import metadata
from pathlib import Path

from helpers.evidence.stats import wilson
from helpers.export import LinkedInExport
from helpers.model.assumptions import ASSUMPTIONS_FILE
from helpers.paths import resolve

FILE = "predictions.json"
PAGE_SUFFIX = ".predictions.json"
#: The normal quantiles of the central 50% and 90% intervals.
Z50, Z90 = 0.6744897501960817, 1.6448536269514722


def prediction(id: str, about: str, point: float, interval_50, interval_90, **more) -> dict:
    """One record; the figures rounded to what they can claim (4 significant digits), the intervals as lists."""
    return {"id": id, "about": about, "point": _rounded(point), "interval_50": [_rounded(v) for v in interval_50],
            "interval_90": [_rounded(v) for v in interval_90], **more}


def _rounded(value: float) -> float:
    value = float(value)
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, 3 - int(math.floor(math.log10(abs(value)))))


def share_prediction(id: str, about: str, hits: int, trials: int, **more) -> dict | None:
    """A share of future trials (invitations accepted), with the Wilson intervals of the share the member's past
    gives; None without a past trial. These are intervals of the rate: the share of a few future trials scatters
    more (the check says so beside each outcome)."""
    if trials <= 0:
        return None
    return prediction(id, about, hits / trials, wilson(hits, trials, Z50), wilson(hits, trials, Z90),
                      unit="share", trials=trials, **more)


def commit(output_dir: str | Path, stem: str, records: list[dict | None]) -> None:
    """Write a page's predictions (``None`` records, the ones it could not make, are left out)."""
    folder = resolve(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    kept = [r for r in records if r is not None]
    (folder / f"{stem}{PAGE_SUFFIX}").write_text(json.dumps(kept, ensure_ascii=False, indent=1))


def export_date(export: LinkedInExport) -> date:
    """The export's date as its content shows it: the latest day any file read covers (LinkedIn writes no date)."""
    days = [r.last for r in export.read_log if r.last is not None]
    if not days and export.connections.height:
        days = [export.connections["connected_on"].max()]
    return max(days) if days else date.today()


def fingerprint(export: LinkedInExport) -> str:
    """A digest of the connections read (who and when, sorted): the same for the same file, another for another
    member's; it cannot be turned back into a name."""
    rows = export.connections.select("first_name", "last_name", "connected_on").sort(
        "connected_on", "first_name", "last_name", nulls_last=True).iter_rows()
    digest = hashlib.sha256()
    for row in rows:
        digest.update("\x1f".join("" if v is None else str(v) for v in row).encode() + b"\n")
    return digest.hexdigest()[:16]


def connections_per_day(export: LinkedInExport) -> dict[str, int]:
    """How many connections were made on each day (``YYYY-MM-DD``), in day order; undated rows are not counted."""
    days = export.connections["connected_on"].drop_nulls().value_counts().sort("connected_on")
    return {day.isoformat(): int(count) for day, count in days.iter_rows()}


def assumptions_hash() -> str:
    """A digest of ``data/assumptions.toml``: a check made with other assumptions can tell."""
    return hashlib.sha256(ASSUMPTIONS_FILE.read_bytes()).hexdigest()[:16]


def version() -> str:
    return metadata.version("helpers")


def write(folder: Path, export: LinkedInExport, stems: list[str]) -> dict:
    """Gather the pages' predictions (in the order of ``stems``) into ``predictions.json`` and return it."""
    found = []
    for stem in stems:
        path = folder / f"{stem}{PAGE_SUFFIX}"
        if path.exists():
            found += json.loads(path.read_text(encoding="utf-8"))
    document = {"export_date": export_date(export).isoformat(), "fingerprint": fingerprint(export),
                "version": version(), "assumptions_hash": assumptions_hash(), "predictions": found,
                "connections_per_day": connections_per_day(export)}
    (folder / FILE).write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return document


def monthly(table, id: str = "connections", unit: str = "connections") -> list[dict]:
    """One record a month of a forecast table (``month``, ``point``, ``low_50`` ... ``high_90``)."""
    return [prediction(id, row["month"], row["point"], [row["low_50"], row["high_50"]],
                       [row["low_90"], row["high_90"]], unit=unit) for row in table.iter_rows(named=True)]


def acceptance(notes) -> list[dict | None]:
    """The share of invitations accepted with and without a note (a ``stats.TwoShares`` of the member's past)."""
    return [share_prediction("acceptance_with_note", "invitations sent with a note", notes.hits_a, notes.n_a),
            share_prediction("acceptance_without_note", "invitations sent without a note", notes.hits_b, notes.n_b)]


def _at(table, size: int) -> dict | None:
    rows = [row for row in table.iter_rows(named=True) if row["connections"] == size]
    return rows[0] if rows else None


def second_degree(curve, size: int) -> list[dict]:
    """The 2nd degree at ``size`` connections from a growth curve with joint draws (``second_q05`` ... ``q95``):
    the median draw, its 50% and 90% intervals over the assumptions' ranges."""
    row = _at(curve, size)
    if row is None or "second_q25" not in row:
        return []
    return [prediction("second_degree", f"{size} connections", row["second_q50"],
                       [row["second_q25"], row["second_q75"]], [row["second_q05"], row["second_q95"]], unit="people",
                       basis="the reach model for a typical member of this size and make-up")]


def impressions(table, sizes: list[int]) -> list[dict]:
    """The next post's impressions at each of ``sizes`` (from ``audience.views_table``: its ``median``, ``p25``
    ... ``p95`` over posts and members like this one, and the chance of 1,000)."""
    found = []
    for size in sorted(set(sizes)):
        row = _at(table, size)
        if row is not None:
            found.append(prediction("impressions_next_post", f"{size} connections", row["median"],
                                    [row["p25"], row["p75"]], [row["p05"], row["p95"]], unit="impressions",
                                    p_at_least_1000=_rounded(row["p1000"])))
    return found


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def month_words(label: str) -> str:
    """A ``YYYY-MM`` month as a member reads it.

    >>> month_words("2027-11")
    'November 2027'
    """
    return f"{MONTHS[int(label[5:]) - 1]} {label[:4]}"


def replay_table(replayed, last: int = 6):
    """The latest ``last`` replayed checks (``forecast.replay``) as a member reads them."""
    import polars as pl

    recent = replayed.tail(last).with_columns(pl.col("written", "at").map_elements(month_words, return_dtype=pl.String))
    return recent.select(
        pl.col("written").alias("Written at the start of"), pl.col("from").alias("Connections then"),
        pl.col("at").alias("Checked at the end of"),
        pl.format("{} ({} to {})", pl.col("point").round(0).cast(pl.Int64), pl.col("low_90").round(0).cast(pl.Int64),
                  pl.col("high_90").round(0).cast(pl.Int64)).alias("Predicted (90% interval)"),
        pl.col("outcome").cast(pl.Int64).alias("What the export shows"),
        pl.when(pl.col("inside_50")).then(pl.lit("inside the 50%")).when(pl.col("inside_90"))
        .then(pl.lit("inside the 90%")).otherwise(pl.lit("outside")).alias("Outcome"))
