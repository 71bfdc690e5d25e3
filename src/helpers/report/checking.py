"""The blogger's experiment checked: an earlier report's ``predictions.json`` against a later export.

``python -m helpers.report --export later.zip --before reports/earlier/predictions.json`` reads the earlier
predictions (:func:`read_before`, which refuses a file that is not one, is not older than the export, is of this
very export or was made with other assumptions: the report then renders without the check and says why), sets each
prediction beside what the later export shows (:func:`check`) and writes ``checked.json`` and the page
``checked.html``. What no export shows (the 2nd degree) or this version does not read yet (the impressions of posts
made in between) is said plainly, with the outcome left empty.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from helpers.evidence import invitations
from helpers.export import LinkedInExport
from helpers.report import predictions

FILE = "checked.json"
PAGE = "checked.html"
HEADER = {"export_date", "fingerprint", "version", "assumptions_hash", "predictions"}
RECORD = {"id", "about", "point", "interval_50", "interval_90"}


class BeforeError(ValueError):
    """An earlier predictions file that cannot be checked against this export, and why."""


def read_before(path: Path, later: LinkedInExport) -> dict:
    """The earlier predictions, or :class:`BeforeError` saying which file, what was expected and what to do."""
    name = path.name
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BeforeError(f"{name}: no such file. Give the predictions.json of an earlier report "
                          "(reports/<name>/predictions.json).") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = f" (line {error.lineno})" if isinstance(error, json.JSONDecodeError) else ""
        raise BeforeError(f"{name}{line}: not a predictions file (expected the JSON an earlier report wrote as "
                          "predictions.json).") from None
    if not isinstance(document, dict) or not HEADER <= set(document) or not isinstance(document["predictions"], list) \
            or any(not isinstance(r, dict) or not RECORD <= set(r) for r in document["predictions"]):
        raise BeforeError(f"{name}: not a predictions file: expected {', '.join(sorted(HEADER))} and records with "
                          f"{', '.join(sorted(RECORD))}, as an earlier report writes them.")
    try:
        earlier = date.fromisoformat(document["export_date"])
    except (TypeError, ValueError):
        raise BeforeError(f"{name}: its export_date {document['export_date']!r} is not a date (YYYY-MM-DD).") from None
    now = predictions.export_date(later)
    if document["fingerprint"] == predictions.fingerprint(later):
        raise BeforeError(f"{name} was written from this very export: check it against a later one.")
    if earlier >= now:
        raise BeforeError(f"{name} is about an export of {earlier}, not older than this one ({now}): give the "
                          "predictions of an earlier export.")
    if document["assumptions_hash"] != predictions.assumptions_hash():
        raise BeforeError(f"{name} was made with other assumptions (data/assumptions.toml has changed since): check "
                          "it with the version that wrote it, or render the earlier export again with this one.")
    return document


def _month_end(label: str) -> date:
    year, month = int(label[:4]), int(label[5:])
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def _last_complete_month(day: date) -> str:
    previous = date(day.year, day.month, 1) - timedelta(days=1)
    return f"{previous.year:04d}-{previous.month:02d}"


def _checked(record: dict, outcome: float | None, why: str = "", **more) -> dict:
    found = {key: record[key] for key in ("id", "about", "point", "interval_50", "interval_90")}
    found["unit"] = record.get("unit", "")
    if outcome is None:
        return {**found, "outcome": None, "inside_50": None, "inside_90": None, "why": why, **more}
    low50, high50 = record["interval_50"]
    low90, high90 = record["interval_90"]
    return {**found, "outcome": outcome, "inside_50": low50 <= outcome <= high50,
            "inside_90": low90 <= outcome <= high90, **more}


def _acceptance(later: LinkedInExport, since: date) -> dict[str, tuple[int, int]]:
    """Invitations the member sent after ``since``, with and without a note: (accepted, decided) each."""
    if later.invitations is None or not later.has_column("invitations", "has_message"):
        return {}
    outgoing = invitations.outgoing_invitations(later.invitations, later.connections)
    sent = outgoing.filter(pl.col("sent_at").dt.date() > since, pl.col("accepted").is_not_null())
    found = {}
    for key, note in (("acceptance_with_note", True), ("acceptance_without_note", False)):
        group = sent.filter(pl.col("has_message") == note)
        found[key] = (int(group["accepted"].sum()), group.height)
    return found


def check(before: dict, later: LinkedInExport) -> dict:
    """Each earlier prediction beside what ``later`` shows (``checked.json``'s content)."""
    earlier = date.fromisoformat(before["export_date"])
    now = predictions.export_date(later)
    month = _last_complete_month(now)
    rows = later.connections
    dated = rows["connected_on"]
    records, done = [], set()
    accepted = _acceptance(later, earlier)
    for record in before["predictions"]:
        kind = record["id"]
        if kind == "connections":
            if record["about"] != month:
                continue
            outcome = float(rows.height - int((dated > _month_end(month)).sum()))
            records.append(_checked(record, outcome))
        elif kind.startswith("acceptance_"):
            hits, trials = accepted.get(kind, (0, 0))
            records.append(_checked(record, hits / trials, trials=trials) if trials else _checked(
                record, None, "no invitation of this kind sent since the earlier export has been answered in this "
                              "export's Invitations.csv"))
        elif kind == "second_degree":
            records.append(_checked(record, None, "no export holds the 2nd degree: it cannot be observed"))
        else:
            records.append(_checked(record, None, "this version does not yet read this outcome from a later export"))
        done.add(kind)
    if "connections" in {r["id"] for r in before["predictions"]} and not any(r["id"] == "connections" for r in records):
        records.insert(0, {"id": "connections", "about": month, "unit": "connections", "point": None, "interval_50": None,
                           "interval_90": None, "outcome": float(rows.height), "inside_50": None, "inside_90": None,
                           "why": "the earlier predictions do not reach this export's last complete month"})
    return {"earlier": {"export_date": before["export_date"], "fingerprint": before["fingerprint"]},
            "later": {"export_date": now.isoformat(), "fingerprint": predictions.fingerprint(later)},
            "checks": records, "added": int((dated > earlier).sum()), "removed": None,
            "removed_why": "the connections removed in between need the earlier export itself, which a predictions "
                           "file does not hold"}


def coverage(checked: dict) -> dict[str, int]:
    """How many checks had an outcome and how many fell inside each interval."""
    seen = [r for r in checked["checks"] if r["inside_50"] is not None]
    return {"checked": len(seen), "inside_50": sum(r["inside_50"] for r in seen),
            "inside_90": sum(r["inside_90"] for r in seen)}


def write(folder: Path, checked: dict) -> None:
    (folder / FILE).write_text(json.dumps(checked, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


#: What each prediction is, as the page names it.
LABELS = {"connections": "Connections", "impressions_next_post": "Impressions of your next post",
          "second_degree": "2nd degree", "acceptance_with_note": "Invitations accepted, with a note",
          "acceptance_without_note": "Invitations accepted, without a note"}


def number(value: float, unit: str = "") -> str:
    """A figure as the page shows it: shares as percentages, counts with separators.

    >>> number(0.75, "share"), number(1.0, "share"), number(722.0, "connections")
    ('75%', '100%', '722')
    """
    return f"{value:.0%}" if unit == "share" else f"{value:,.0f}"


def summary_line(checked: dict) -> str:
    found = coverage(checked)
    return (f"Of the earlier report's predictions ({checked['earlier']['export_date']}), {found['checked']} could be "
            f"checked on this export: {found['inside_50']} inside their 50% interval, {found['inside_90']} inside "
            f"their 90%.")
