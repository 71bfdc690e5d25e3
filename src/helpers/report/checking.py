"""The blogger's experiment checked: an earlier report's ``predictions.json`` against a later export.

``python -m helpers.report --export later.zip --before reports/earlier/predictions.json`` reads the earlier
predictions (:func:`read_before`, which refuses a file that is not one, is not older than the export, is of this
very export, is another member's (the later export lacks most of its connections on the days they were made) or was
made with other assumptions: the report then renders without the check and says why), sets each
prediction beside what the later export shows (:func:`check`) and writes ``checked.json`` and the page
``checked.html``. What no export shows (the 2nd degree) is said plainly, with the outcome left empty. Each post
made in between (and settled) is its own check of the next post's impressions, at the prediction nearest its
network's size that day.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from helpers.evidence import invitations
from helpers.export import LinkedInExport
from helpers.model import forecast
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
    return _validated(document, later, name)


def _validated(document: dict, later: LinkedInExport, name: str) -> dict:
    """``document`` when it can be checked against ``later``, else :class:`BeforeError`."""
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
    per_day = document.get("connections_per_day")
    if isinstance(per_day, dict) and per_day:
        kept = kept_by_day(per_day, later)["kept"]
        if kept < SAME_MEMBER_KEPT:
            raise BeforeError(f"{name}: this export holds only {kept:.0%} of the earlier export's connections on the "
                              f"days they were made (under {SAME_MEMBER_KEPT:.0%}): it looks like another member's. "
                              "Give the predictions of an earlier export of the same member.")
    if document["assumptions_hash"] != predictions.assumptions_hash():
        raise BeforeError(f"{name} was made with other assumptions (data/assumptions.toml has changed since): check "
                          "it with the version that wrote it, or render the earlier export again with this one.")
    return document


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


#: What a share's check does not count: the interval is the past rate's, and a share of few invitations scatters more.
SHARE_NOTE = ("the interval is of the acceptance rate your past invitations gave; the share of a few invitations "
              "since scatters more than that, so it falls outside more often than the interval says")
#: Posts younger than this at the later export are left out: they are still gathering impressions.
SETTLING_DAYS = 14


def _posts_since(later: LinkedInExport, since: date) -> tuple[pl.DataFrame, bool]:
    """The member's posts published after ``since`` and at least :data:`SETTLING_DAYS` before the later export, with
    the rows of Connections.csv on each post's day (``size``); and whether a workbook covering them lists only its
    top posts (the smaller ones then missing)."""
    empty = pl.DataFrame(schema={"published_on": pl.Date, "impressions": pl.Int64, "size": pl.Int64})
    if later.analytics is None or later.analytics.posts.is_empty():
        return empty, False
    until = predictions.export_date(later) - timedelta(days=SETTLING_DAYS)
    posts = later.analytics.posts.filter(pl.col("published_on") > since, pl.col("published_on") <= until,
                                         pl.col("impressions").is_not_null()).sort("published_on")
    dated = later.connections["connected_on"].drop_nulls().sort()
    sizes = [int(dated.search_sorted(day, side="right")) for day in posts["published_on"].to_list()]
    windows = later.analytics.windows
    capped = bool(windows.filter(pl.col("period_end") > since)["capped"].any()) if windows.height else False
    return posts.select("published_on", "impressions").with_columns(pl.Series("size", sizes, dtype=pl.Int64)), capped


def _nearest(records: list[dict], size: int) -> dict:
    """The record whose size (``about``: "N connections") is nearest ``size`` on a log scale."""
    return min(records, key=lambda r: abs(math.log(max(int(r["about"].split()[0]), 1) / max(size, 1))))


def check(before: dict, later: LinkedInExport) -> dict:
    """Each earlier prediction beside what ``later`` shows (``checked.json``'s content)."""
    earlier = date.fromisoformat(before["export_date"])
    now = predictions.export_date(later)
    last_month = forecast.month_index(now) - 1  # the last complete month before this export
    month = forecast.month_label(last_month)
    rows = later.connections
    dated = rows["connected_on"]
    records = []
    accepted = _acceptance(later, earlier)
    for record in before["predictions"]:
        kind = record["id"]
        if kind == "connections":
            if record["about"] != month:
                continue
            outcome = float(rows.height - int((dated > forecast.month_end(last_month)).sum()))
            records.append(_checked(record, outcome))
        elif kind.startswith("acceptance_"):
            hits, trials = accepted.get(kind, (0, 0))
            records.append(_checked(record, hits / trials, trials=trials, note=SHARE_NOTE) if trials else _checked(
                record, None, "no invitation of this kind sent since the earlier export has been answered in this "
                              "export's Invitations.csv"))
        elif kind == "second_degree":
            records.append(_checked(record, None, "no export holds the 2nd degree: it cannot be observed"))
        elif kind == "impressions_next_post":
            continue  # each post made since is checked below, against the prediction at its network's size
        else:
            records.append(_checked(record, None, "this version does not yet read this outcome from a later export"))
    impressions = [r for r in before["predictions"] if r["id"] == "impressions_next_post"]
    if impressions:
        posts, capped = _posts_since(later, earlier)
        for post in posts.iter_rows(named=True):
            records.append(_checked(_nearest(impressions, post["size"]), float(post["impressions"]),
                                    published_on=post["published_on"].isoformat(), size_then=post["size"],
                                    **({"note": "the workbook lists only its top posts: smaller ones are missing, so "
                                                "these run high"} if capped else {})))
        if posts.is_empty():
            records.append(_checked(impressions[0], None, "no post made since the earlier export (and at least "
                                                           f"{SETTLING_DAYS} days before this one) is in this "
                                                           "export's analytics workbooks"))
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


#: An earlier export whose connections the later one keeps fewer of than this share is taken for another member's.
SAME_MEMBER_KEPT = 0.5


def kept_by_day(per_day: dict[str, int], later: LinkedInExport) -> dict[str, float]:
    """An earlier report's connections per day set beside the later export's on the same days: how many of the
    earlier connections it holds at most (``kept``, a share) and how many it lacks at least (``removed``: a
    connection removed on a day someone else was added that day is not seen)."""
    now = Counter(predictions.connections_per_day(later))
    held = sum(min(int(count), now.get(day, 0)) for day, count in per_day.items())
    total = sum(int(count) for count in per_day.values())
    return {"kept": held / max(total, 1), "removed": total - held}


def _keys(export: LinkedInExport) -> Counter:
    return Counter(export.connections.select("first_name", "last_name", "connected_on").iter_rows())


def membership(earlier: LinkedInExport, later: LinkedInExport) -> dict[str, float]:
    """Connections of the earlier export missing from the later one (``removed``: by name and day, in either
    direction's absence), those made since (``added``) and the share of the earlier ones kept."""
    before, after = _keys(earlier), _keys(later)
    removed = sum((before - after).values())
    return {"removed": removed, "added": sum((after - before).values()),
            "kept": 1 - removed / max(sum(before.values()), 1)}


def _impressions_ahead(earlier: LinkedInExport, seed: int) -> list[dict]:
    """The next post's impressions at the earlier export's size and at its next milestone, as its audience page
    writes them (the same model, its own posts, the report's seed and draws)."""
    from helpers.evidence import profile
    from helpers.evidence.member import member_summary
    from helpers.model import audience, audience_own_posts

    member = member_summary(earlier)
    sizes = [max(member.connections, 1), profile.next_milestone(max(member.connections, 1))]
    model = audience_own_posts.member_audience(member, seed=seed).model
    return predictions.impressions(audience.views_table(model, sizes), sizes)


def from_export(path: Path, later: LinkedInExport, seed: int) -> tuple[dict, dict]:
    """An earlier export given instead of its predictions: the connections forecast, acceptance with and without a
    note and the next post's impressions written from it now (what needs the reach model, the 2nd degree, is not:
    no export can show it), and who was removed or added in between; :class:`BeforeError` when it cannot be read or
    is another member's."""
    from helpers.errors import ExportError
    from helpers.export import load_export

    try:
        earlier = load_export(path)
    except ExportError as error:
        raise BeforeError(f"the earlier export could not be read: {error}") from None
    found = membership(earlier, later)
    if found["kept"] < SAME_MEMBER_KEPT:
        raise BeforeError(f"{path.name}: the later export keeps only {found['kept']:.0%} of its connections (under "
                          f"{SAME_MEMBER_KEPT:.0%}): it looks like another member's export.")
    since = predictions.export_date(earlier)
    records = predictions.monthly(forecast.connections_ahead(forecast.recent_pace(earlier.connections, since),
                                                             seed=seed))
    gap, _ = invitations.invitations_gap(earlier)
    if not gap and earlier.has_column("invitations", "has_message"):
        outgoing = invitations.outgoing_invitations(earlier.invitations, earlier.connections)
        records += [r for r in predictions.acceptance(invitations.compare(
            outgoing, pl.col("has_message"), "with a note", "without a note")) if r is not None]
    records += _impressions_ahead(earlier, seed)
    document = {"export_date": since.isoformat(), "fingerprint": predictions.fingerprint(earlier),
                "version": predictions.version(), "assumptions_hash": predictions.assumptions_hash(),
                "predictions": records}
    return _validated(document, later, path.name), found


def check_before(path: Path, later: LinkedInExport, seed: int) -> dict:
    """``checked.json``'s content for an earlier ``predictions.json`` or an earlier export (then with the
    connections removed in between)."""
    if path.suffix.lower() == ".json":
        before = read_before(path, later)
        checked = check(before, later)
        if isinstance(before.get("connections_per_day"), dict) and before["connections_per_day"]:
            checked.update(removed=kept_by_day(before["connections_per_day"], later)["removed"],
                           removed_why="at least: connections of the earlier export missing on the days they were "
                                       "made (a predictions file holds counts per day, not the people)")
        return checked
    document, found = from_export(path, later, seed)
    checked = check(document, later)
    checked.update(removed=found["removed"], added=found["added"],
                   removed_why="connections of the earlier export not in this one, by name and day")
    return checked
